//! `/scim/v2` (SPEC §13): Microsoft Entra's provisioning service creates, updates, deactivates
//! and deletes the tenant's technicians with the tenant's secret token. SCIM speaks its own JSON
//! (`application/scim+json`, SCIM error bodies), so these routes sit beside `/api/v1`, outside
//! the OpenAPI document; `scim2 test` and the Entra replays in the tests check them.

mod discovery;
mod error;
mod filter;
mod patch;
mod projection;
mod resource;
mod users;

use std::{future::Future, pin::Pin};

use actix_web::{
    FromRequest, HttpRequest, HttpResponse, dev::Payload, http::StatusCode, http::header, web,
};
use serde_json::Value;
use uuid::Uuid;

pub use error::ScimError;

use crate::{
    infra::{auth::source_ip_of, state::AppState},
    services::provisioning::{calls::CallRecord, tokens, users::Provisioner},
};

pub const USER_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
pub const SCIM_CONTENT_TYPE: &str = "application/scim+json";

/// The SCIM base URL as the caller reached this server (the SSO page's Tenant URL).
pub fn base_url(request: &HttpRequest) -> String {
    let connection = request.connection_info();
    format!("{}://{}/scim/v2", connection.scheme(), connection.host())
}

fn scim_json(status: StatusCode, body: &Value) -> HttpResponse {
    HttpResponse::build(status)
        .content_type(SCIM_CONTENT_TYPE)
        .body(body.to_string())
}

/// The tenant whose secret token the request presents.
pub struct ScimTenant {
    pub provisioner: Provisioner,
}

async fn authenticate(request: HttpRequest) -> Result<ScimTenant, ScimError> {
    let state = request
        .app_data::<web::Data<AppState>>()
        .ok_or_else(ScimError::unauthorized)?;
    let token = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim().to_owned())
        .ok_or_else(ScimError::unauthorized)?;
    let tenant_id = tokens::tenant_of(&state.reads, &state.db, &token)
        .await?
        .ok_or_else(ScimError::unauthorized)?;
    Ok(ScimTenant {
        provisioner: Provisioner {
            tenant_id,
            source_ip: source_ip_of(&request),
        },
    })
}

impl FromRequest for ScimTenant {
    type Error = ScimError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(request: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        Box::pin(authenticate(request.clone()))
    }
}

/// What a provisioning call did: its answer, and the user it was about.
struct Outcome {
    answer: Result<HttpResponse, ScimError>,
    user_id: Option<Uuid>,
}

/// Notes the call in the tenant's provisioning log (written in the background), then answers
/// it.
async fn logged(
    state: &AppState,
    request: &HttpRequest,
    tenant: &ScimTenant,
    outcome: Outcome,
) -> HttpResponse {
    let (response, detail) = match outcome.answer {
        Ok(response) => (response, None),
        Err(error) => (
            actix_web::ResponseError::error_response(&error),
            Some(error.detail),
        ),
    };
    let call = CallRecord {
        tenant_id: tenant.provisioner.tenant_id,
        method: request.method().to_string(),
        path: request
            .uri()
            .path_and_query()
            .map_or_else(|| request.path().to_owned(), |path| path.to_string()),
        status: response.status().as_u16(),
        user_id: outcome.user_id,
        detail,
    };
    state.provisioning_calls.note(call).await;
    response
}

async fn json_body(payload: web::Payload) -> Result<Value, ScimError> {
    let bytes = payload
        .to_bytes_limited(crate::infra::BODY_LIMIT_BYTES)
        .await
        .map_err(|_| {
            ScimError::status(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!(
                    "the body is larger than {} bytes",
                    crate::infra::BODY_LIMIT_BYTES
                ),
            )
        })?
        .map_err(|error| {
            ScimError::bad_request(
                error::ScimType::InvalidSyntax,
                format!("the body could not be read: {error}"),
            )
        })?;
    serde_json::from_slice(&bytes).map_err(|error| {
        ScimError::bad_request(
            error::ScimType::InvalidSyntax,
            format!("the body is not valid JSON: {error}"),
        )
    })
}

async fn service_provider_config(request: HttpRequest) -> HttpResponse {
    scim_json(
        StatusCode::OK,
        &discovery::service_provider_config(&base_url(&request)),
    )
}

async fn resource_types(request: HttpRequest) -> HttpResponse {
    scim_json(
        StatusCode::OK,
        &discovery::whole_list(vec![discovery::user_resource_type(&base_url(&request))]),
    )
}

async fn resource_type(
    request: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, ScimError> {
    if id.as_str() != "User" {
        return Err(ScimError::not_found(format!(
            "no resource type {id}: this server provisions Users only"
        )));
    }
    Ok(scim_json(
        StatusCode::OK,
        &discovery::user_resource_type(&base_url(&request)),
    ))
}

async fn schemas(request: HttpRequest) -> HttpResponse {
    scim_json(
        StatusCode::OK,
        &discovery::whole_list(vec![discovery::user_schema(&base_url(&request))]),
    )
}

async fn schema(request: HttpRequest, id: web::Path<String>) -> Result<HttpResponse, ScimError> {
    if !id.eq_ignore_ascii_case(USER_SCHEMA) {
        return Err(ScimError::not_found(format!(
            "no schema {id}: this server describes {USER_SCHEMA} only"
        )));
    }
    Ok(scim_json(
        StatusCode::OK,
        &discovery::user_schema(&base_url(&request)),
    ))
}

async fn groups_not_provisioned() -> HttpResponse {
    answer(ScimError::status(
        StatusCode::NOT_IMPLEMENTED,
        "groups are not provisioned: in the Entra app's provisioning mappings, turn off \"Provision Microsoft Entra ID Groups\" and assign roles to the groups instead",
    ))
}

async fn method_not_allowed() -> HttpResponse {
    answer(ScimError::status(
        StatusCode::METHOD_NOT_ALLOWED,
        "this method is not allowed on this endpoint",
    ))
}

async fn not_found(request: HttpRequest) -> HttpResponse {
    answer(ScimError::not_found(format!(
        "no SCIM endpoint at {}: see {}/ResourceTypes",
        request.path(),
        base_url(&request)
    )))
}

fn answer(error: ScimError) -> HttpResponse {
    actix_web::ResponseError::error_response(&error)
}

/// Registers `/scim/v2` on `config`.
pub fn configure(config: &mut web::ServiceConfig) {
    let read_only = |path: &str, handler: actix_web::Route| {
        web::resource(path.to_owned())
            .route(handler)
            .default_service(web::to(method_not_allowed))
    };
    config.service(
        web::scope("/scim/v2")
            .service(read_only(
                "/ServiceProviderConfig",
                web::get().to(service_provider_config),
            ))
            .service(read_only("/ResourceTypes", web::get().to(resource_types)))
            .service(read_only(
                "/ResourceTypes/{id}",
                web::get().to(resource_type),
            ))
            .service(read_only("/Schemas", web::get().to(schemas)))
            .service(read_only("/Schemas/{id}", web::get().to(schema)))
            .service(
                web::resource("/Users")
                    .route(web::get().to(users::list))
                    .route(web::post().to(users::create))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource(["/Users/.search", "/.search"])
                    .route(web::post().to(users::search))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/Users/{id}")
                    .route(web::get().to(users::get))
                    .route(web::put().to(users::replace))
                    .route(web::patch().to(users::patch))
                    .route(web::delete().to(users::delete))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(web::resource(["/Groups", "/Groups/{tail:.*}"]).to(groups_not_provisioned))
            .default_service(web::to(not_found)),
    );
}
