use actix_web::{HttpResponse, delete, get, post, web};
use domain::ApiTokenName;
use proto::{ApiToken, CreateApiTokenRequest, CreatedApiToken, Page};
use sea_orm::TransactionTrait;
use uuid::Uuid;

use crate::{
    error::ApiError,
    infra::{auth::Caller, state::AppState},
    routes::json_object::JsonObject,
    services::api_tokens::{self, TokenLifetime, TokenScope},
    services::paging::PageRequest,
};

/// The name and lifetime of a token request.
pub fn parse_request(
    body: &CreateApiTokenRequest,
) -> Result<(ApiTokenName, TokenLifetime), ApiError> {
    let name = ApiTokenName::parse(&body.name)
        .map_err(|error| ApiError::field("name", "invalid_name", error.to_string()))?;
    let lifetime = TokenLifetime::parse(body.expires_in_days)
        .map_err(|message| ApiError::field("expires_in_days", "out_of_range", message))?;
    Ok((name, lifetime))
}

/// `GET /api/v1/api-tokens?scope=&page=&per_page=`.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct TokenQuery {
    /// `own` (default): the caller's tokens; `tenant`: every user's of the caller's tenant
    /// (admins).
    #[param(inline)]
    pub scope: Option<TokenListScope>,
    /// 1-based page number (default 1), at most 1 000 000.
    #[param(minimum = 1, maximum = 1_000_000)]
    pub page: Option<u64>,
    /// Items per page, 1–100 (default 25).
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<u64>,
}

#[derive(Debug, Clone, Copy, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TokenListScope {
    Own,
    Tenant,
}

/// Creates an API token for the caller, from a signed-in session only (an API token cannot mint
/// another). The token acts as the caller, with the caller's role and claims at the time of each
/// request, until it expires (90 days unless asked, at most 365) or is revoked. It is shown in
/// this response only.
#[utoipa::path(
    tag = "api-tokens",
    request_body = CreateApiTokenRequest,
    responses(
        (status = 201, description = "Created; `token` is shown this once", body = CreatedApiToken),
        (status = 400, description = "Malformed body", body = proto::Problem, content_type = "application/problem+json"),
        (status = 403, description = "Called with an API token", body = proto::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid name or lifetime", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[post("/api-tokens")]
pub async fn create_api_token(
    state: web::Data<AppState>,
    caller: Caller,
    body: JsonObject<CreateApiTokenRequest>,
) -> Result<HttpResponse, ApiError> {
    let (name, lifetime) = parse_request(&body)?;
    let transaction = state.db.begin().await?;
    let created = api_tokens::create(&transaction, &caller, name, lifetime).await?;
    transaction.commit().await?;
    Ok(HttpResponse::Created().json(created))
}

/// The caller's own API tokens, or with `scope=tenant` (admins) every token of the caller's
/// tenant; newest first, revoked ones included, marked.
#[utoipa::path(
    tag = "api-tokens",
    params(TokenQuery),
    responses(
        (status = 200, description = "A page of tokens", body = Page<ApiToken>),
        (status = 403, description = "`scope=tenant` is for admins", body = proto::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Paging out of range", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[get("/api-tokens")]
pub async fn list_api_tokens(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<TokenQuery>,
) -> Result<web::Json<Page<ApiToken>>, ApiError> {
    let page = PageRequest::try_from(&crate::routes::paging::PageQuery {
        page: query.page,
        per_page: query.per_page,
    })?;
    let scope = match query.scope {
        None | Some(TokenListScope::Own) => TokenScope::Own,
        Some(TokenListScope::Tenant) => TokenScope::Tenant,
    };
    Ok(web::Json(
        api_tokens::list(&state.reads, &caller, scope, page).await?,
    ))
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
