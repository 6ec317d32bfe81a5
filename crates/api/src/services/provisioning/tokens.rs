//! A tenant's SCIM secret token (SPEC §13): generated on request and shown once, stored as its
//! SHA-256, rotated by replacing it (the old one stops at once), revoked by deleting it.

use chrono::{DateTime, Utc};
use entity::scim_token;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    sea_query::OnConflict,
};
use uuid::Uuid;

use super::ProvisioningError;
use crate::{
    infra::auth::{ApiTokenSecret, Caller},
    services::audit::{self, AuditRecord},
};

/// How long a token's `last_used_at` may lag behind: Entra calls in bursts.
const LAST_USED_RESOLUTION_SECS: i64 = 60;

/// What the SSO page shows of a tenant's token: never the token itself.
pub struct TokenStatus {
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
}

/// A token made just now: the only time it is shown.
pub struct IssuedToken {
    pub secret: ApiTokenSecret,
    pub replaced: bool,
}

/// The caller's tenant's token, if it has one (admins).
pub async fn status(
    db: &impl ConnectionTrait,
    caller: &Caller,
) -> Result<Option<TokenStatus>, ProvisioningError> {
    caller.require_admin()?;
    Ok(scim_token::Entity::find_by_id(caller.tenant_id)
        .one(db)
        .await?
        .map(|token| TokenStatus {
            prefix: token.prefix,
            created_at: token.created_at,
            last_used_at: token.last_used_at,
        }))
}

/// Generates the caller's tenant's token, replacing any earlier one (admins), on `db` (a
/// transaction).
pub async fn issue(
    db: &impl ConnectionTrait,
    caller: &Caller,
) -> Result<IssuedToken, ProvisioningError> {
    caller.require_admin()?;
    let secret = ApiTokenSecret::generate_scim()?;
    let replaced = scim_token::Entity::find_by_id(caller.tenant_id)
        .one(db)
        .await?
        .is_some();
    scim_token::Entity::insert(scim_token::ActiveModel {
        tenant_id: Set(caller.tenant_id),
        token_hash: Set(secret.hash()),
        prefix: Set(secret.visible_prefix()),
        created_by: Set(Some(caller.user_id)),
        created_at: Set(Utc::now()),
        last_used_at: Set(None),
    })
    .on_conflict(
        OnConflict::column(scim_token::Column::TenantId)
            .update_columns([
                scim_token::Column::TokenHash,
                scim_token::Column::Prefix,
                scim_token::Column::CreatedBy,
                scim_token::Column::CreatedAt,
                scim_token::Column::LastUsedAt,
            ])
            .to_owned(),
    )
    .exec(db)
    .await?;
    let action = if replaced {
        "scim_token.rotate"
    } else {
        "scim_token.create"
    };
    audit::record(
        db,
        AuditRecord::by(caller, action, format!("tenant:{}", caller.tenant_id))
            .with_details(serde_json::json!({ "prefix": secret.visible_prefix() })),
    )
    .await?;
    Ok(IssuedToken { secret, replaced })
}

/// Revokes the caller's tenant's token (admins): provisioning stops until a new one is issued.
/// Revoking when there is none changes nothing.
pub async fn revoke(db: &impl ConnectionTrait, caller: &Caller) -> Result<(), ProvisioningError> {
    caller.require_admin()?;
    let deleted = scim_token::Entity::delete_by_id(caller.tenant_id)
        .exec(db)
        .await?
        .rows_affected;
    if deleted > 0 {
        audit::record(
            db,
            AuditRecord::by(
                caller,
                "scim_token.revoke",
                format!("tenant:{}", caller.tenant_id),
            ),
        )
        .await?;
    }
    Ok(())
}

/// The tenant a presented SCIM token belongs to, if it is one; notes its use.
pub async fn tenant_of(
    reads: &impl ConnectionTrait,
    writes: &impl ConnectionTrait,
    presented: &str,
) -> Result<Option<Uuid>, ProvisioningError> {
    if !presented.starts_with(ApiTokenSecret::SCIM_PREFIX) {
        return Ok(None);
    }
    let Some(token) = scim_token::Entity::find()
        .filter(scim_token::Column::TokenHash.eq(ApiTokenSecret::hash_of(presented)))
        .one(reads)
        .await?
    else {
        return Ok(None);
    };
    let now = Utc::now();
    let tenant_id = token.tenant_id;
    let stale = token
        .last_used_at
        .is_none_or(|last| (now - last).num_seconds() >= LAST_USED_RESOLUTION_SECS);
    if stale {
        let mut touched: scim_token::ActiveModel = token.into();
        touched.last_used_at = Set(Some(now));
        touched.update(writes).await?;
    }
    Ok(Some(tenant_id))
}
