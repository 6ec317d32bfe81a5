//! Settings → User Management → SSO (SPEC §13, admins): the Tenant URL and secret token that
//! Microsoft Entra's provisioning service uses, and its provisioning log.

use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use proto::{CreatedScimToken, Page, ProvisioningCall, ScimSettings, ScimTokenStatus};
use sea_orm::TransactionTrait;

use crate::{
    error::ApiError,
    infra::{auth::Caller, state::AppState},
    routes::{paging::PageQuery, scim::base_url},
    services::{
        paging::PageRequest,
        provisioning::{calls, tokens},
    },
};

/// The Tenant URL to give Entra, and the secret token in use (never the token itself).
#[utoipa::path(
    tag = "sso",
    responses(
        (status = 200, description = "The SCIM settings", body = ScimSettings),
        (status = 403, description = "Admins only", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[get("/settings/scim")]
pub async fn get_scim_settings(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
) -> Result<web::Json<ScimSettings>, ApiError> {
    caller.require_admin()?;
    let token = tokens::status(&state.reads, &caller)
        .await?
        .map(|token| ScimTokenStatus {
            prefix: token.prefix,
            created_at: token.created_at,
            last_used_at: token.last_used_at,
        });
    Ok(web::Json(ScimSettings {
        tenant_url: base_url(&request),
        token,
    }))
}

/// Generates the secret token for Entra, shown in this answer only. An earlier token stops
/// working at once (rotation).
#[utoipa::path(
    tag = "sso",
    responses(
        (status = 201, description = "The new token, shown this once", body = CreatedScimToken),
        (status = 403, description = "Admins only", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[post("/settings/scim-token")]
pub async fn create_scim_token(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    caller.require_admin()?;
    let transaction = state.db.begin().await?;
    let issued = tokens::issue(&transaction, &caller).await?;
    transaction.commit().await?;
    Ok(HttpResponse::Created().json(CreatedScimToken {
        tenant_url: base_url(&request),
        secret_token: issued.secret.into_string(),
    }))
}

/// Revokes the secret token: Entra's provisioning stops until a new one is generated.
#[utoipa::path(
    tag = "sso",
    responses(
        (status = 204, description = "Revoked (or there was none)"),
        (status = 403, description = "Admins only", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[delete("/settings/scim-token")]
pub async fn revoke_scim_token(
    state: web::Data<AppState>,
    caller: Caller,
) -> Result<HttpResponse, ApiError> {
    caller.require_admin()?;
    let transaction = state.db.begin().await?;
    tokens::revoke(&transaction, &caller).await?;
    transaction.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The provisioning log: Entra's latest calls with the answers they got, newest first (30 days).
#[utoipa::path(
    tag = "sso",
    params(PageQuery),
    responses(
        (status = 200, description = "A page of provisioning calls", body = Page<ProvisioningCall>),
        (status = 403, description = "Admins only", body = proto::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Paging out of range", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[get("/settings/scim/calls")]
pub async fn list_provisioning_calls(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<PageQuery>,
) -> Result<web::Json<Page<ProvisioningCall>>, ApiError> {
    caller.require_admin()?;
    let page = PageRequest::try_from(&*query)?;
    // This replica's calls noted before this request are in the answer.
    state.provisioning_calls.flush().await;
    Ok(web::Json(calls::list(&state.reads, &caller, page).await?))
}
