use actix_web::{HttpResponse, delete, get, post, web};
use chrono::Utc;
use domain::ApiTokenName;
use entity::{api_token, user};
use proto::{ApiToken, CreateApiTokenRequest, CreatedApiToken, Page, Role};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};
use uuid::Uuid;

use super::paging::{PageQuery, PageRequest, fetch_page};
use crate::json_object::JsonObject;
use crate::{
    audit::{self, AuditRecord},
    auth::{ApiTokenSecret, Caller},
    error::ApiError,
    state::AppState,
    tenancy,
};

fn listed(token: api_token::Model) -> ApiToken {
    ApiToken {
        id: token.id,
        name: token.name,
        prefix: token.prefix,
        created_at: token.created_at,
        last_used_at: token.last_used_at,
        revoked_at: token.revoked_at,
    }
}

/// Creates an API token for the caller. The token acts as the caller, with the caller's role and
/// claims at the time of each request. It is shown in this response only.
#[utoipa::path(
    tag = "api-tokens",
    request_body = CreateApiTokenRequest,
    responses(
        (status = 201, description = "Created; `token` is shown this once", body = CreatedApiToken),
        (status = 400, description = "Malformed body", body = proto::Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = proto::Problem, content_type = "application/problem+json"),
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
    let secret = ApiTokenSecret::generate()?;
    let row = api_token::ActiveModel {
        id: Set(Uuid::new_v4()),
        user_id: Set(caller.user_id),
        name: Set(name.as_str().to_owned()),
        prefix: Set(secret.visible_prefix()),
        token_hash: Set(secret.hash()),
        created_at: Set(Utc::now()),
        last_used_at: Set(None),
        revoked_at: Set(None),
    };
    let transaction = state.db.begin().await?;
    let created = row.insert(&transaction).await?;
    audit::record(
        &transaction,
        AuditRecord::by(
            &caller,
            "api_token.create",
            format!("api_token:{}", created.id),
        )
        .with_details(serde_json::json!({ "name": created.name, "prefix": created.prefix })),
    )
    .await?;
    transaction.commit().await?;
    Ok(HttpResponse::Created().json(CreatedApiToken {
        token_info: listed(created),
        token: secret.into_string(),
    }))
}

/// The caller's own API tokens, newest first (revoked ones included, marked).
#[utoipa::path(
    tag = "api-tokens",
    params(PageQuery),
    responses(
        (status = 200, description = "A page of tokens", body = Page<ApiToken>),
        (status = 401, description = "Not signed in", body = proto::Problem, content_type = "application/problem+json"),
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
    let select = api_token::Entity::find()
        .filter(api_token::Column::UserId.eq(caller.user_id))
        .order_by_desc(api_token::Column::CreatedAt)
        .order_by_desc(api_token::Column::Id);
    let (rows, total) = fetch_page(&state.db, select, page).await?;
    let items = rows.into_iter().map(listed).collect();
    Ok(web::Json(Page { items, total }))
}

/// Revokes an API token at once. Users revoke their own tokens; an admin may also revoke the
/// tokens of users in their tenant's subtree. Any other ID is a 404.
#[utoipa::path(
    tag = "api-tokens",
    params(("id" = Uuid, Path, description = "API token ID")),
    responses(
        (status = 204, description = "Revoked (or already revoked)"),
        (status = 401, description = "Not signed in", body = proto::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such token that you may revoke", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[delete("/api-tokens/{id}")]
pub async fn revoke_api_token(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let token = api_token::Entity::find_by_id(id.into_inner())
        .one(&state.db)
        .await?
        .ok_or(ApiError::NotFound)?;
    if token.user_id != caller.user_id {
        let owner = user::Entity::find_by_id(token.user_id)
            .one(&state.db)
            .await?
            .ok_or(ApiError::NotFound)?;
        let own_tenant = tenancy::find_tenant(&state.db, caller.tenant_id).await?;
        let owner_tenant = tenancy::find_tenant(&state.db, owner.tenant_id).await?;
        let may_revoke =
            caller.role == Role::Admin && tenancy::is_within(&own_tenant, &owner_tenant);
        if !may_revoke {
            return Err(ApiError::NotFound);
        }
    }
    if token.revoked_at.is_some() {
        return Ok(HttpResponse::NoContent().finish());
    }
    let transaction = state.db.begin().await?;
    let target = format!("api_token:{}", token.id);
    let mut revoked: api_token::ActiveModel = token.into();
    revoked.revoked_at = Set(Some(Utc::now()));
    revoked.update(&transaction).await?;
    audit::record(
        &transaction,
        AuditRecord::by(&caller, "api_token.revoke", target),
    )
    .await?;
    transaction.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}
