//! API tokens: a user's credentials for scripts and integrations, shown once, stored hashed.

use chrono::{Duration, Utc};
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
        paging::PageRequest,
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
    Access(#[from] crate::services::access::AccessDenied),
    #[error(transparent)]
    User(#[from] crate::services::users::UserError),
    #[error(transparent)]
    Tenancy(#[from] TenancyError),
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error(transparent)]
    Infra(#[from] InfraFailure),
}

/// How long a token lives: 1–365 days, 90 unless asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenLifetime(u16);

impl TokenLifetime {
    pub const DEFAULT_DAYS: u16 = 90;
    pub const MAX_DAYS: u16 = 365;

    pub fn parse(days: Option<u16>) -> Result<Self, String> {
        match days.unwrap_or(Self::DEFAULT_DAYS) {
            days @ 1..=Self::MAX_DAYS => Ok(Self(days)),
            _ => Err(format!(
                "a token lives 1 to {} days (90 unless given)",
                Self::MAX_DAYS
            )),
        }
    }
}

/// Whom the listing covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenScope {
    Own,
    /// Every user's of the caller's tenant (admins).
    Tenant,
}

fn listed((token, owner): (api_token::Model, Option<user::Model>)) -> ApiToken {
    ApiToken {
        id: token.id,
        user_id: token.user_id,
        user_email: owner.map(|owner| owner.email).unwrap_or_default(),
        expires_at: token.expires_at,
        name: token.name,
        prefix: token.prefix,
        created_at: token.created_at,
        last_used_at: token.last_used_at,
        revoked_at: token.revoked_at,
    }
}

/// Creates a token for the caller on `db` (a transaction), from a signed-in session only; the
/// token itself is in this answer only.
pub async fn create(
    db: &impl ConnectionTrait,
    caller: &Caller,
    name: ApiTokenName,
    lifetime: TokenLifetime,
) -> Result<CreatedApiToken, ApiTokenError> {
    caller.require_session()?;
    let owner = user::Entity::find_by_id(caller.user_id)
        .one(db)
        .await?
        .ok_or(ApiTokenError::NotFound)?;
    mint(db, caller, owner, name, lifetime).await
}

/// An admin creates a token for `user_id` of its tenant whose UI access is off: an integration
/// account has no other way to get one.
pub async fn create_for(
    db: &impl ConnectionTrait,
    caller: &Caller,
    user_id: Uuid,
    name: ApiTokenName,
    lifetime: TokenLifetime,
) -> Result<CreatedApiToken, ApiTokenError> {
    caller.require_session()?;
    caller.require_admin()?;
    let owner = crate::services::users::management::find_visible(db, caller, user_id).await?;
    if owner.allow_ui_access {
        return Err(crate::services::users::UserError::HasUiAccess.into());
    }
    mint(db, caller, owner, name, lifetime).await
}

async fn mint(
    db: &impl ConnectionTrait,
    caller: &Caller,
    owner: user::Model,
    name: ApiTokenName,
    lifetime: TokenLifetime,
) -> Result<CreatedApiToken, ApiTokenError> {
    let secret = ApiTokenSecret::generate()?;
    let now = Utc::now();
    let created = api_token::ActiveModel {
        id: Set(Uuid::new_v4()),
        user_id: Set(owner.id),
        name: Set(name.as_str().to_owned()),
        prefix: Set(secret.visible_prefix()),
        token_hash: Set(secret.hash()),
        created_at: Set(now),
        last_used_at: Set(None),
        revoked_at: Set(None),
        expires_at: Set(Some(now + Duration::days(i64::from(lifetime.0)))),
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
        .with_details(serde_json::json!({
            "name": created.name,
            "prefix": created.prefix,
            "user_id": owner.id,
            "expires_at": created.expires_at,
        })),
    )
    .await?;
    Ok(CreatedApiToken {
        token_info: listed((created, Some(owner))),
        token: secret.into_string(),
    })
}

/// The caller's own tokens, or (admins) every token of the caller's tenant; newest first,
/// revoked ones included, marked.
pub async fn list(
    db: &DatabaseConnection,
    caller: &Caller,
    scope: TokenScope,
    page: PageRequest,
) -> Result<Page<ApiToken>, ApiTokenError> {
    let select = api_token::Entity::find().find_also_related(user::Entity);
    let select = match scope {
        TokenScope::Own => select.filter(api_token::Column::UserId.eq(caller.user_id)),
        TokenScope::Tenant => {
            caller.require_admin()?;
            select.filter(user::Column::TenantId.eq(caller.tenant_id))
        }
    }
    .order_by_desc(api_token::Column::CreatedAt)
    .order_by_desc(api_token::Column::Id);
    let paginator = sea_orm::PaginatorTrait::paginate(select, db, page.size);
    let total = paginator.num_items().await?;
    let rows = paginator.fetch_page(page.index).await?;
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
