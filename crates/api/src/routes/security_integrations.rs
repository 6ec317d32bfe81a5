//! Settings → Integrations → Security integrations (SPEC §14, admins): the tenant's Duo Web SDK
//! application. The Client Secret goes in and never comes out.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use chrono::Utc;
use entity::security_integration;
use proto::{
    NewSecurityIntegration, SecurityIntegration, SecurityIntegrationChanges,
    SecurityIntegrationCheck, SecurityIntegrationKind,
};
use sea_orm::TransactionTrait;
use uuid::Uuid;

use crate::{
    error::ApiError,
    infra::{auth::Caller, state::AppState},
    routes::json_object::JsonObject,
    services::{
        security_integrations::{self, Submitted},
        storage::StorageError,
    },
};

fn to_dto(stored: security_integration::Model) -> Result<SecurityIntegration, ApiError> {
    let kind = SecurityIntegrationKind::from_code(&stored.kind).ok_or_else(|| {
        ApiError::from(StorageError::Corrupt {
            what: "security integration kind",
            value: stored.kind.clone(),
        })
    })?;
    Ok(SecurityIntegration {
        id: stored.id,
        kind,
        name: stored.name,
        client_id: stored.client_id,
        api_hostname: stored.api_hostname,
        enabled: stored.enabled,
        created_at: stored.created_at,
        updated_at: stored.updated_at,
    })
}

/// The tenant's security integrations (never a Client Secret).
#[utoipa::path(
    tag = "security-integrations",
    responses(
        (status = 200, description = "The integrations, oldest first", body = Vec<SecurityIntegration>),
        (status = 403, description = "Admins only", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[get("/settings/security-integrations")]
pub async fn list_security_integrations(
    state: web::Data<AppState>,
    caller: Caller,
) -> Result<web::Json<Vec<SecurityIntegration>>, ApiError> {
    let stored = security_integrations::list(&state.reads, &caller).await?;
    Ok(web::Json(
        stored.into_iter().map(to_dto).collect::<Result<_, _>>()?,
    ))
}

/// Adds Duo Web SDK: Duo's health check runs with the credentials first and says what is wrong
/// (a hostname that is not Duo's, credentials Duo refuses, Duo unreachable). The secret is
/// encrypted at rest. One per tenant.
#[utoipa::path(
    tag = "security-integrations",
    request_body = NewSecurityIntegration,
    responses(
        (status = 201, description = "Added (Duo's health check passed)", body = SecurityIntegration),
        (status = 400, description = "Malformed body", body = proto::Problem, content_type = "application/problem+json"),
        (status = 403, description = "Admins only", body = proto::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The tenant already has one", body = proto::Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = proto::Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not JSON", body = proto::Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is not valid (`invalid`), the hostname is not Duo's (`not_a_duo_host`, `not_duo`), or Duo refused the credentials (`duo_credentials_refused`)", body = proto::Problem, content_type = "application/problem+json"),
        (status = 502, description = "Duo cannot be reached (`duo_unreachable`)", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[post("/settings/security-integrations")]
pub async fn create_security_integration(
    state: web::Data<AppState>,
    caller: Caller,
    body: JsonObject<NewSecurityIntegration>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let submitted = Submitted {
        name: Some(&body.name),
        client_id: Some(&body.client_id),
        client_secret: Some(&body.client_secret),
        api_hostname: Some(&body.api_hostname),
        enabled: Some(body.enabled),
    };
    // Duo's health check is a network call: no transaction is held open across it.
    let created = security_integrations::create(
        &state.db,
        &state.duo,
        &state.mfa_key,
        &caller,
        body.kind,
        submitted,
    )
    .await?;
    Ok(HttpResponse::Created().json(to_dto(created)?))
}

/// One security integration of the tenant.
#[utoipa::path(
    tag = "security-integrations",
    params(("id" = Uuid, Path, description = "The integration")),
    responses(
        (status = 200, description = "The integration", body = SecurityIntegration),
        (status = 403, description = "Admins only", body = proto::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such integration in your tenant", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[get("/settings/security-integrations/{id}")]
pub async fn get_security_integration(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<web::Json<SecurityIntegration>, ApiError> {
    let stored = security_integrations::get(&state.reads, &caller, id.into_inner()).await?;
    Ok(web::Json(to_dto(stored)?))
}

/// Changes name, credentials, hostname or whether it is on. Duo's health check runs again when
/// the credentials or the hostname change or it is turned on; a secret left out is kept.
#[utoipa::path(
    tag = "security-integrations",
    params(("id" = Uuid, Path, description = "The integration")),
    request_body = SecurityIntegrationChanges,
    responses(
        (status = 200, description = "Changed", body = SecurityIntegration),
        (status = 400, description = "Malformed body", body = proto::Problem, content_type = "application/problem+json"),
        (status = 403, description = "Admins only", body = proto::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such integration in your tenant", body = proto::Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = proto::Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not JSON", body = proto::Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is not valid, the hostname is not Duo's, or Duo refused the credentials", body = proto::Problem, content_type = "application/problem+json"),
        (status = 502, description = "Duo cannot be reached (`duo_unreachable`)", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[patch("/settings/security-integrations/{id}")]
pub async fn update_security_integration(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: JsonObject<SecurityIntegrationChanges>,
) -> Result<web::Json<SecurityIntegration>, ApiError> {
    let body = body.into_inner();
    let submitted = Submitted {
        name: body.name.as_deref(),
        client_id: body.client_id.as_deref(),
        client_secret: body.client_secret.as_deref(),
        api_hostname: body.api_hostname.as_deref(),
        enabled: body.enabled,
    };
    let updated = security_integrations::update(
        &state.db,
        &state.duo,
        &state.mfa_key,
        &caller,
        id.into_inner(),
        submitted,
    )
    .await?;
    Ok(web::Json(to_dto(updated)?))
}

/// Deletes the integration: nobody is offered Duo any more; users who linked it sign in with
/// their other factor, or enrol one.
#[utoipa::path(
    tag = "security-integrations",
    params(("id" = Uuid, Path, description = "The integration")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Admins only", body = proto::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such integration in your tenant", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[delete("/settings/security-integrations/{id}")]
pub async fn delete_security_integration(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let transaction = state.db.begin().await?;
    security_integrations::delete(&transaction, &caller, id.into_inner()).await?;
    transaction.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Runs Duo's health check with the stored credentials ("Test").
#[utoipa::path(
    tag = "security-integrations",
    params(("id" = Uuid, Path, description = "The integration")),
    responses(
        (status = 200, description = "Duo answered the health check", body = SecurityIntegrationCheck),
        (status = 403, description = "Admins only", body = proto::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such integration in your tenant", body = proto::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Duo refused the stored credentials, or the host is not Duo", body = proto::Problem, content_type = "application/problem+json"),
        (status = 502, description = "Duo cannot be reached (`duo_unreachable`)", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[post("/settings/security-integrations/{id}/check")]
pub async fn check_security_integration(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<web::Json<SecurityIntegrationCheck>, ApiError> {
    security_integrations::check(
        &state.reads,
        &state.duo,
        &state.mfa_key,
        &caller,
        id.into_inner(),
    )
    .await?;
    Ok(web::Json(SecurityIntegrationCheck {
        healthy: true,
        checked_at: Utc::now(),
    }))
}
