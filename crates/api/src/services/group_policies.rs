//! Windows group policies of a reseller or distributor (SPEC §3).

use chrono::Utc;
use domain::GroupPolicyName;
use entity::group_policy;
use proto::{GroupPolicy, Page};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use crate::{
    infra::auth::Caller,
    services::{
        audit::{self, AuditRecord},
        paging::{PageRequest, fetch_page},
        storage::{StorageError, is_unique_violation},
        tenancy::{self, TenancyError},
    },
};

#[derive(Debug, thiserror::Error)]
pub enum GroupPolicyError {
    /// Not the caller's tenant's, or not at all: the two are never told apart.
    #[error("no such group policy")]
    NotFound,
    #[error("a group policy named “{name}” already exists (names ignore case)")]
    NameTaken { name: String },
    #[error(transparent)]
    Tenancy(#[from] TenancyError),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// What a change sets; `None` leaves a field as it is.
pub struct GroupPolicyChanges {
    pub name: Option<GroupPolicyName>,
    pub enabled: Option<bool>,
}

fn listed(policy: group_policy::Model) -> GroupPolicy {
    GroupPolicy {
        id: policy.id,
        name: policy.name,
        enabled: policy.enabled,
        created_at: policy.created_at,
        updated_at: policy.updated_at,
    }
}

fn taken_or_storage(error: sea_orm::DbErr, name: Option<&GroupPolicyName>) -> GroupPolicyError {
    match name {
        Some(name) if is_unique_violation(&error) => GroupPolicyError::NameTaken {
            name: name.as_str().to_owned(),
        },
        _ => error.into(),
    }
}

/// The caller's own policy: another tenant's policy is never revealed.
async fn find_own(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<group_policy::Model, GroupPolicyError> {
    group_policy::Entity::find_by_id(id)
        .filter(group_policy::Column::TenantId.eq(caller.tenant_id))
        .one(db)
        .await?
        .ok_or(GroupPolicyError::NotFound)
}

/// The caller's group policies, by name.
pub async fn list(
    db: &DatabaseConnection,
    caller: &Caller,
    page: PageRequest,
) -> Result<Page<GroupPolicy>, GroupPolicyError> {
    tenancy::find_partner_tenant(db, caller).await?;
    let select = group_policy::Entity::find()
        .filter(group_policy::Column::TenantId.eq(caller.tenant_id))
        .order_by_asc(group_policy::Column::NameKey)
        .order_by_asc(group_policy::Column::Id);
    let (rows, total) = fetch_page(db, select, page).await?;
    let items = rows.into_iter().map(listed).collect();
    Ok(Page { items, total })
}

/// Creates a policy on `db` (a transaction), off unless `enabled`.
pub async fn create(
    db: &impl ConnectionTrait,
    caller: &Caller,
    name: GroupPolicyName,
    enabled: bool,
) -> Result<GroupPolicy, GroupPolicyError> {
    tenancy::find_partner_tenant(db, caller).await?;
    let now = Utc::now();
    let created = group_policy::ActiveModel {
        id: Set(Uuid::new_v4()),
        tenant_id: Set(caller.tenant_id),
        name: Set(name.as_str().to_owned()),
        name_key: Set(name.key()),
        enabled: Set(enabled),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
    .map_err(|error| taken_or_storage(error, Some(&name)))?;
    audit::record(
        db,
        AuditRecord::by(
            caller,
            "group_policy.create",
            format!("group_policy:{}", created.id),
        )
        .with_details(serde_json::json!({ "name": created.name, "enabled": created.enabled })),
    )
    .await?;
    Ok(listed(created))
}

/// Renames a policy and/or turns it on or off, on `db` (a transaction).
pub async fn update(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
    changes: GroupPolicyChanges,
) -> Result<GroupPolicy, GroupPolicyError> {
    let existing = find_own(db, caller, id).await?;
    let before = serde_json::json!({ "name": existing.name, "enabled": existing.enabled });
    let mut changed: group_policy::ActiveModel = existing.into();
    if let Some(name) = &changes.name {
        changed.name = Set(name.as_str().to_owned());
        changed.name_key = Set(name.key());
    }
    if let Some(enabled) = changes.enabled {
        changed.enabled = Set(enabled);
    }
    changed.updated_at = Set(Utc::now());
    let updated = changed
        .update(db)
        .await
        .map_err(|error| taken_or_storage(error, changes.name.as_ref()))?;
    audit::record(
        db,
        AuditRecord::by(
            caller,
            "group_policy.update",
            format!("group_policy:{}", updated.id),
        )
        .with_details(serde_json::json!({
            "before": before,
            "after": { "name": updated.name, "enabled": updated.enabled },
        })),
    )
    .await?;
    Ok(listed(updated))
}

/// Deletes a policy on `db` (a transaction); customers that received it keep nothing of it.
pub async fn delete(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<(), GroupPolicyError> {
    let existing = find_own(db, caller, id).await?;
    group_policy::Entity::delete_by_id(existing.id)
        .exec(db)
        .await?;
    audit::record(
        db,
        AuditRecord::by(
            caller,
            "group_policy.delete",
            format!("group_policy:{}", existing.id),
        )
        .with_details(serde_json::json!({ "name": existing.name })),
    )
    .await?;
    Ok(())
}
