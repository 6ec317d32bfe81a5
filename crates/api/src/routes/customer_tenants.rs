//! Going into a customer tenant (SPEC §15): open it from the MSP, find it by its address, list
//! the ones the caller may go into, and go back.

use actix_web::{HttpRequest, HttpResponse, delete, get, http::header, post, web};
use proto::{CustomerTenant, HostAddress, OpenedCustomerTenant, Page, TokenResponse};
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    error::{ApiError, RequestError},
    infra::{auth::Caller, state::AppState},
    routes::{
        auth::session_cookie,
        paging::{PageQuery, check_search_length},
    },
    services::{customer_tenants, paging::PageRequest},
};

/// Goes into a customer tenant of your MSP without signing in again: a new session scoped to it
/// (the answer's token, also set as the web app's session cookie) in which you act in that
/// tenant only, with your own role and claims, until you go back (`DELETE
/// /api/v1/me/customer-tenant`). Your MSP's admins may open every customer tenant; technicians
/// those delegated to them, directly or through a group. Audited in both tenants. Needs a
/// signed-in session (not an API token).
#[utoipa::path(
    tag = "customer-tenants",
    params(("id" = Uuid, Path, description = "Customer ID")),
    responses(
        (status = 200, description = "In the customer tenant", body = OpenedCustomerTenant),
        (status = 403, description = "An API token cannot open a customer tenant", body = proto::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such customer tenant, or not delegated to you", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[post("/customers/{id}/open")]
pub async fn open_customer_tenant(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let (session, customer_tenant) = customer_tenants::open(
        &state.db,
        &state.addresses,
        &caller,
        id.into_inner(),
        state.jwt.ttl_secs(),
    )
    .await?;
    let token = state.jwt.issue(session.user_id, session.id)?;
    let expires_in = state.jwt.ttl().as_secs();
    Ok(HttpResponse::Ok()
        .cookie(session_cookie(&state, token.clone(), expires_in))
        .json(OpenedCustomerTenant {
            access_token: token,
            token_type: "Bearer".to_owned(),
            expires_in,
            customer_tenant,
        }))
}

/// Goes back from a customer tenant to your MSP: ends the customer-tenant session and answers
/// with a token for the MSP session it was opened from (also set as the session cookie).
#[utoipa::path(
    tag = "customer-tenants",
    responses(
        (status = 200, description = "Back in your MSP", body = TokenResponse),
        (status = 401, description = "The MSP session ended meanwhile; sign in again", body = proto::Problem, content_type = "application/problem+json"),
        (status = 409, description = "This session is not in a customer tenant", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[delete("/me/customer-tenant")]
pub async fn leave_customer_tenant(
    state: web::Data<AppState>,
    caller: Caller,
) -> Result<HttpResponse, ApiError> {
    let parent = customer_tenants::leave(&state.db, &caller).await?;
    let token = state.jwt.issue(parent.user_id, parent.id)?;
    let remaining = (parent.expires_at - chrono::Utc::now())
        .num_seconds()
        .max(0);
    let expires_in = u64::try_from(remaining).unwrap_or(0);
    Ok(HttpResponse::Ok()
        .cookie(session_cookie(&state, token.clone(), expires_in))
        .json(TokenResponse {
            access_token: token,
            token_type: "Bearer".to_owned(),
            expires_in,
            mfa_enrolment_required: false,
        }))
}

/// `GET /customer-tenants` query: paging and an optional search of display names.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct CustomerTenantQuery {
    /// Only matching customer tenants: for admins the Customers page's search (a part of the
    /// name, a date, a number); for technicians a part of the name or the display name (ignoring
    /// case).
    #[param(max_length = 200)]
    pub q: Option<String>,
    /// 1-based page number (default 1), at most 1 000 000.
    #[param(minimum = 1, maximum = 1_000_000)]
    pub page: Option<u64>,
    /// Items per page, 1–100 (default 25).
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<u64>,
}

/// The customer tenants you may go into ("Your customers"): every one of your MSP's for its
/// admins, the delegated ones (directly or through a group) for technicians; by name.
#[utoipa::path(
    tag = "customer-tenants",
    params(CustomerTenantQuery),
    responses(
        (status = 200, description = "A page of customer tenants", body = Page<CustomerTenant>),
        (status = 400, description = "Malformed query", body = proto::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Paging out of range or search too long", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[get("/customer-tenants")]
pub async fn list_customer_tenants(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<CustomerTenantQuery>,
) -> Result<web::Json<Page<CustomerTenant>>, ApiError> {
    let query = query.into_inner();
    check_search_length(query.q.as_deref())?;
    let page = PageRequest::try_from(&PageQuery {
        page: query.page,
        per_page: query.per_page,
    })?;
    Ok(web::Json(
        customer_tenants::list_enterable(
            &state.reads,
            &state.addresses,
            &caller,
            query.q.as_deref(),
            page,
        )
        .await?,
    ))
}

/// The customer tenant at an address (`<tenant name>-<MSP name>`, as in `/t/<address>`), if you
/// may go into it; any other address, yours or not, is a plain 404.
#[utoipa::path(
    tag = "customer-tenants",
    params(("address" = String, Path, description = "`<tenant name>-<MSP name>`, e.g. `contoso-demo-reseller`")),
    responses(
        (status = 200, description = "The customer tenant", body = CustomerTenant),
        (status = 404, description = "No such customer tenant, or not delegated to you", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[get("/customer-tenants/{address}")]
pub async fn find_customer_tenant(
    state: web::Data<AppState>,
    caller: Caller,
    address: web::Path<String>,
) -> Result<web::Json<CustomerTenant>, ApiError> {
    Ok(web::Json(
        customer_tenants::find_by_address(&state.reads, &state.addresses, &caller, &address)
            .await?,
    ))
}

/// The customer tenant address this request's `Host` names, when the server has a public domain
/// (`https://<address>.<public domain>`); 404 for any other host, and without a public domain.
/// Needs no sign-in: the web app asks before it shows the sign-in page.
#[utoipa::path(
    tag = "customer-tenants",
    responses(
        (status = 200, description = "The address of this host", body = HostAddress),
        (status = 404, description = "This host is not a customer tenant's", body = proto::Problem, content_type = "application/problem+json")
    ),
    security(())
)]
#[get("/host-address")]
pub async fn host_address(
    state: web::Data<AppState>,
    request: HttpRequest,
) -> Result<web::Json<HostAddress>, ApiError> {
    let address = state
        .addresses
        .public_domain
        .as_ref()
        .zip(request.headers().get(header::HOST))
        .and_then(|(domain, host)| domain.address_of_host(host.to_str().ok()?))
        .ok_or(RequestError::NotFound)?;
    if !customer_tenants::address_exists(&state.reads, &address).await? {
        return Err(RequestError::NotFound.into());
    }
    Ok(web::Json(HostAddress {
        address: address.as_str().to_owned(),
    }))
}
