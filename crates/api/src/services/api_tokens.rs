//! API tokens: a user's credentials for scripts and integrations, shown once, stored hashed.

use chrono::Utc;
use domain::ApiTokenName;
use entity::{api_token, user};
use proto::{ApiToken, CreatedApiToken, Page, Role};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use crate::{
    infra::{
        InfraFailure,
        auth::{ApiTokenSecret, Caller},
    },
    services::{
        audit::{self, AuditRecord},
        paging::{PageRequest, fetch_page},
        storage::StorageError,
        tenancy::{self, TenancyError},
    },
};

#[derive(Debug, thiserror::Error)]
pub enum ApiTokenError {
    /// Not the caller's, not one an admin may revoke, or not at all: never told apart.
    #[error("no such API token")]
    NotFound,
    #[error(transparent)]
    Tenancy(#[from] TenancyError),
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error(transparent)]
    Infra(#[from] InfraFailure),
}

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

/// Creates a token for the caller on `db` (a transaction); the token itself is in this answer
/// only.
pub async fn create(
    db: &impl ConnectionTrait,
    caller: &Caller,
    name: ApiTokenName,
) -> Result<CreatedApiToken, ApiTokenError> {
    let secret = ApiTokenSecret::generate()?;
    let created = api_token::ActiveModel {
        id: Set(Uuid::new_v4()),
        user_id: Set(caller.user_id),
        name: Set(name.as_str().to_owned()),
        prefix: Set(secret.visible_prefix()),
        token_hash: Set(secret.hash()),
        created_at: Set(Utc::now()),
        last_used_at: Set(None),
        revoked_at: Set(None),
    }
    .insert(db)
    .await?;
    audit::record(
        db,
        AuditRecord::by(
            caller,
            "api_token.create",
            format!("api_token:{}", created.id),
        )
        .with_details(serde_json::json!({ "name": created.name, "prefix": created.prefix })),
    )
    .await?;
    Ok(CreatedApiToken {
        token_info: listed(created),
        token: secret.into_string(),
    })
}

/// The caller's own tokens, newest first (revoked ones included, marked).
pub async fn list(
    db: &DatabaseConnection,
    caller: &Caller,
    page: PageRequest,
) -> Result<Page<ApiToken>, ApiTokenError> {
    let select = api_token::Entity::find()
        .filter(api_token::Column::UserId.eq(caller.user_id))
        .order_by_desc(api_token::Column::CreatedAt)
        .order_by_desc(api_token::Column::Id);
    let (rows, total) = fetch_page(db, select, page).await?;
    let items = rows.into_iter().map(listed).collect();
    Ok(Page { items, total })
}

/// Whether the caller may revoke `token`: their own, or, for an admin, one of a user in their
/// tenant's subtree.
async fn may_revoke(
    db: &impl ConnectionTrait,
    caller: &Caller,
    token: &api_token::Model,
) -> Result<bool, ApiTokenError> {
    if token.user_id == caller.user_id {
        return Ok(true);
    }
    if caller.role != Role::Admin {
        return Ok(false);
    }
    let Some(owner) = user::Entity::find_by_id(token.user_id).one(db).await? else {
        return Ok(false);
    };
    let own_tenant = tenancy::find_tenant(db, caller.tenant_id).await?;
    let owner_tenant = tenancy::find_tenant(db, owner.tenant_id).await?;
    Ok(tenancy::is_within(&own_tenant, &owner_tenant))
}

/// Revokes a token at once, on `db` (a transaction); revoking it again changes nothing.
pub async fn revoke(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<(), ApiTokenError> {
    let token = api_token::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ApiTokenError::NotFound)?;
    if !may_revoke(db, caller, &token).await? {
        return Err(ApiTokenError::NotFound);
    }
    if token.revoked_at.is_some() {
        return Ok(());
    }
    let target = format!("api_token:{}", token.id);
    let mut revoked: api_token::ActiveModel = token.into();
    revoked.revoked_at = Set(Some(Utc::now()));
    revoked.update(db).await?;
    audit::record(db, AuditRecord::by(caller, "api_token.revoke", target)).await?;
    Ok(())
}
