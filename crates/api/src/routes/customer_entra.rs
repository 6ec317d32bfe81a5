//! A customer tenant's Microsoft Entra connection for just-in-time admin accounts (SPEC §16),
//! for the MSP's admins: its settings, Authorize by admin consent in the customer's directory
//! and the way back, and the directory's domains and built-in roles to choose from.

use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use proto::{
    ConsentRedirect, CustomerEntraSettings, EntraDomain, EntraRole, Page,
    UpdateCustomerEntraSettings,
};
use sea_orm::TransactionTrait;
use uuid::Uuid;

use crate::{
    error::ApiError,
    infra::{auth::Caller, state::AppState},
    routes::{json_object::JsonObject, redirects, user_source::ConsentCallbackQuery},
    services::customer_entra::{self, consent},
};

const CALLBACK_PATH: &str = "/api/v1/customer-entra/consent-callback";

/// A customer's Entra connection: the application's name, the consented directory and who
/// authorised it, the accounts' lifetime and domain, and the role mapping (the MSP's admins).
#[utoipa::path(
    tag = "customer-entra",
    params(("id" = Uuid, Path, description = "The customer's tenant ID")),
    responses(
        (status = 200, description = "The connection (defaults until saved)", body = CustomerEntraSettings),
        (status = 403, description = "Admins only", body = proto::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such customer of your MSP", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[get("/customers/{id}/entra-connection")]
pub async fn get_customer_entra(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<web::Json<CustomerEntraSettings>, ApiError> {
    Ok(web::Json(
        customer_entra::settings(&state.reads, &caller, id.into_inner()).await?,
    ))
}

/// Saves a customer's Entra connection (audited). The name (1–100 characters) and the lifetime
/// (1–24 hours) at any time; the account domain (verified, managed by Entra) and the role
/// mapping (built-in roles the directory has, the MSP's own technician groups) once authorised,
/// each checked against the customer's directory.
#[utoipa::path(
    tag = "customer-entra",
    params(("id" = Uuid, Path, description = "The customer's tenant ID")),
    request_body = UpdateCustomerEntraSettings,
    responses(
        (status = 200, description = "Saved", body = CustomerEntraSettings),
        (status = 400, description = "Malformed body", body = proto::Problem, content_type = "application/problem+json"),
        (status = 403, description = "Admins only", body = proto::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such customer of your MSP", body = proto::Problem, content_type = "application/problem+json"),
        (status = 409, description = "No Entra app configured, or the directory is not authorised yet", body = proto::Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field breaks a rule, or the directory refuses the domain or a role", body = proto::Problem, content_type = "application/problem+json"),
        (status = 502, description = "Microsoft Graph is unreachable or answered unexpectedly", body = proto::Problem, content_type = "application/problem+json"),
        (status = 503, description = "Microsoft Graph is throttling", body = proto::Problem, content_type = "application/problem+json"),
        (status = 504, description = "Microsoft Graph did not answer in time", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[put("/customers/{id}/entra-connection")]
pub async fn put_customer_entra(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: JsonObject<UpdateCustomerEntraSettings>,
) -> Result<web::Json<CustomerEntraSettings>, ApiError> {
    let transaction = state.db.begin().await?;
    let saved = customer_entra::update(
        &transaction,
        &caller,
        &state.graph,
        state.operator_app(),
        id.into_inner(),
        body.into_inner(),
    )
    .await?;
    transaction.commit().await?;
    Ok(web::Json(saved))
}

/// **Authorize**: where to send the admin's browser for Microsoft Entra's admin consent in the
/// customer's directory; it comes back to `/api/v1/customer-entra/consent-callback`.
#[utoipa::path(
    tag = "customer-entra",
    params(("id" = Uuid, Path, description = "The customer's tenant ID")),
    responses(
        (status = 200, description = "Entra's admin consent URL", body = ConsentRedirect),
        (status = 403, description = "Admins only", body = proto::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such customer of your MSP", body = proto::Problem, content_type = "application/problem+json"),
        (status = 409, description = "No Entra app is configured for this server", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[post("/customers/{id}/entra-connection/authorize")]
pub async fn authorize_customer_entra(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    id: web::Path<Uuid>,
) -> Result<web::Json<ConsentRedirect>, ApiError> {
    let transaction = state.db.begin().await?;
    let redirect_url = consent::begin(
        &transaction,
        &caller,
        &state.graph,
        state.operator_app(),
        id.into_inner(),
        &redirects::back_to(&request, CALLBACK_PATH),
    )
    .await?;
    transaction.commit().await?;
    Ok(web::Json(ConsentRedirect { redirect_url }))
}

/// Where Microsoft Entra sends the browser back after the admin consent in a customer's
/// directory: records the directory (or the refusal) and redirects to the web app's page of the
/// customer's connection, `/customer-entra/{customer id}?consent=granted` or
/// `?consent=refused&reason=…` (`/customer-entra?consent=refused…` for a state this server did not
/// issue). Only a `state` issued in the last 10 minutes counts.
#[utoipa::path(
    tag = "customer-entra",
    params(ConsentCallbackQuery),
    security(()),
    responses(
        (status = 302, description = "To the web app's page of the connection, with the outcome")
    )
)]
#[get("/customer-entra/consent-callback")]
pub async fn customer_entra_consent_callback(
    state: web::Data<AppState>,
    query: web::Query<ConsentCallbackQuery>,
) -> Result<HttpResponse, ApiError> {
    let transaction = state.db.begin().await?;
    let (customer, outcome) = consent::complete(&transaction, query.into_inner().into()).await?;
    transaction.commit().await?;
    let page = match customer {
        Some(customer) => format!("/customer-entra/{customer}"),
        None => "/customer-entra".to_owned(),
    };
    Ok(redirects::redirect(&format!("{page}?{}", outcome.page_query())).finish())
}

/// The customer directory's domains, each with whether accounts can be created there (only
/// verified domains that Entra manages; federated ones with the reason).
#[utoipa::path(
    tag = "customer-entra",
    params(("id" = Uuid, Path, description = "The customer's tenant ID")),
    responses(
        (status = 200, description = "The directory's domains, default first", body = Page<EntraDomain>),
        (status = 403, description = "Admins only", body = proto::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such customer of your MSP", body = proto::Problem, content_type = "application/problem+json"),
        (status = 409, description = "No Entra app configured, or not authorised yet", body = proto::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Entra refused the app's token", body = proto::Problem, content_type = "application/problem+json"),
        (status = 502, description = "Microsoft Graph is unreachable or answered unexpectedly", body = proto::Problem, content_type = "application/problem+json"),
        (status = 503, description = "Microsoft Graph is throttling", body = proto::Problem, content_type = "application/problem+json"),
        (status = 504, description = "Microsoft Graph did not answer in time", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[get("/customers/{id}/entra-connection/domains")]
pub async fn customer_entra_domains(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<web::Json<Page<EntraDomain>>, ApiError> {
    let items = customer_entra::domains(
        &state.reads,
        &caller,
        &state.graph,
        state.operator_app(),
        id.into_inner(),
    )
    .await?;
    Ok(web::Json(Page::whole(items)))
}

/// The customer directory's built-in roles a role mapping can name, by name.
#[utoipa::path(
    tag = "customer-entra",
    params(("id" = Uuid, Path, description = "The customer's tenant ID")),
    responses(
        (status = 200, description = "Entra's built-in roles, by name", body = Page<EntraRole>),
        (status = 403, description = "Admins only", body = proto::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such customer of your MSP", body = proto::Problem, content_type = "application/problem+json"),
        (status = 409, description = "No Entra app configured, or not authorised yet", body = proto::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Entra refused the app's token", body = proto::Problem, content_type = "application/problem+json"),
        (status = 502, description = "Microsoft Graph is unreachable or answered unexpectedly", body = proto::Problem, content_type = "application/problem+json"),
        (status = 503, description = "Microsoft Graph is throttling", body = proto::Problem, content_type = "application/problem+json"),
        (status = 504, description = "Microsoft Graph did not answer in time", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[get("/customers/{id}/entra-connection/roles")]
pub async fn customer_entra_roles(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<web::Json<Page<EntraRole>>, ApiError> {
    let items = customer_entra::roles(
        &state.reads,
        &caller,
        &state.graph,
        state.operator_app(),
        id.into_inner(),
    )
    .await?;
    Ok(web::Json(Page::whole(items)))
}
