use actix_web::{HttpResponse, delete, get, post, web};
use domain::ApiTokenName;
use proto::{ApiToken, CreateApiTokenRequest, CreatedApiToken, Page};
use sea_orm::TransactionTrait;
use uuid::Uuid;

use crate::{
    error::ApiError,
    infra::{auth::Caller, state::AppState},
    routes::{json_object::JsonObject, paging::PageQuery},
    services::api_tokens,
    services::paging::PageRequest,
};

/// Creates an API token for the caller. The token acts as the caller, with the caller's role and
/// claims at the time of each request. It is shown in this response only.
#[utoipa::path(
    tag = "api-tokens",
    request_body = CreateApiTokenRequest,
    responses(
        (status = 201, description = "Created; `token` is shown this once", body = CreatedApiToken),
        (status = 400, description = "Malformed body", body = proto::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid name", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[post("/api-tokens")]
pub async fn create_api_token(
    state: web::Data<AppState>,
    caller: Caller,
    body: JsonObject<CreateApiTokenRequest>,
) -> Result<HttpResponse, ApiError> {
    let name = ApiTokenName::parse(&body.name)
        .map_err(|error| ApiError::field("name", "invalid_name", error.to_string()))?;
    let transaction = state.db.begin().await?;
    let created = api_tokens::create(&transaction, &caller, name).await?;
    transaction.commit().await?;
    Ok(HttpResponse::Created().json(created))
}

/// The caller's own API tokens, newest first (revoked ones included, marked).
#[utoipa::path(
    tag = "api-tokens",
    params(PageQuery),
    responses(
        (status = 200, description = "A page of tokens", body = Page<ApiToken>),
        (status = 422, description = "Paging out of range", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[get("/api-tokens")]
pub async fn list_api_tokens(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<PageQuery>,
) -> Result<web::Json<Page<ApiToken>>, ApiError> {
    let page = PageRequest::try_from(&*query)?;
    Ok(web::Json(api_tokens::list(&state.db, &caller, page).await?))
}

/// Revokes an API token at once. Users revoke their own tokens; an admin may also revoke the
/// tokens of users in their tenant's subtree. Any other ID is a 404.
#[utoipa::path(
    tag = "api-tokens",
    params(("id" = Uuid, Path, description = "API token ID")),
    responses(
        (status = 204, description = "Revoked (or already revoked)"),
        (status = 404, description = "No such token that you may revoke", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[delete("/api-tokens/{id}")]
pub async fn revoke_api_token(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let transaction = state.db.begin().await?;
    api_tokens::revoke(&transaction, &caller, id.into_inner()).await?;
    transaction.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}
