//! Technician groups (SPEC §15, admins): a tenant's named sets of its own users, used by access
//! delegation and by the role mapping of just-in-time accounts. Every change is audited.

use std::collections::{BTreeSet, HashMap};

use chrono::Utc;
use domain::TechnicianGroupName;
use entity::{technician_group, technician_group_member, user};
use proto::{FieldError, TechnicianGroup};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};
use uuid::Uuid;

use crate::{
    infra::auth::Caller,
    services::{
        access::AccessDenied,
        audit::{self, AuditRecord},
        storage::{StorageError, is_unique_violation},
    },
};

/// At most this many members are set in one request.
pub const MAX_MEMBERS_PER_REQUEST: usize = 1000;

#[derive(Debug, thiserror::Error)]
pub enum GroupError {
    /// Not the caller's tenant's, or not at all: the two are never told apart.
    #[error("no such technician group in your tenant")]
    NotFound,
    #[error("a technician group named “{name}” already exists (names ignore case)")]
    NameTaken { name: String },
    #[error("the group has invalid fields")]
    Invalid(Vec<FieldError>),
    #[error(transparent)]
    Denied(#[from] AccessDenied),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// A change: a new name, or the whole new set of members.
pub struct GroupChanges {
    pub name: Option<TechnicianGroupName>,
    pub member_ids: Option<Vec<Uuid>>,
}

fn taken_or_storage(error: sea_orm::DbErr, name: &TechnicianGroupName) -> GroupError {
    if is_unique_violation(&error) {
        GroupError::NameTaken {
            name: name.as_str().to_owned(),
        }
    } else {
        GroupError::Storage(error.into())
    }
}

async fn find_own(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<technician_group::Model, GroupError> {
    technician_group::Entity::find_by_id(id)
        .filter(technician_group::Column::TenantId.eq(caller.tenant_id))
        .one(db)
        .await?
        .ok_or(GroupError::NotFound)
}

/// The members of `groups`, oldest membership first.
async fn members_of(
    db: &impl ConnectionTrait,
    groups: &[Uuid],
) -> Result<HashMap<Uuid, Vec<Uuid>>, GroupError> {
    let rows = technician_group_member::Entity::find()
        .filter(technician_group_member::Column::GroupId.is_in(groups.iter().copied()))
        .order_by_asc(technician_group_member::Column::AddedAt)
        .order_by_asc(technician_group_member::Column::UserId)
        .all(db)
        .await?;
    let mut members: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for row in rows {
        members.entry(row.group_id).or_default().push(row.user_id);
    }
    Ok(members)
}

fn view(group: technician_group::Model, members: &mut HashMap<Uuid, Vec<Uuid>>) -> TechnicianGroup {
    TechnicianGroup {
        member_ids: members.remove(&group.id).unwrap_or_default(),
        id: group.id,
        name: group.name,
        created_at: group.created_at,
        updated_at: group.updated_at,
    }
}

/// The caller's tenant's groups by name (admins).
pub async fn list(
    db: &impl ConnectionTrait,
    caller: &Caller,
) -> Result<Vec<TechnicianGroup>, GroupError> {
    caller.require_admin()?;
    let groups = technician_group::Entity::find()
        .filter(technician_group::Column::TenantId.eq(caller.tenant_id))
        .order_by_asc(technician_group::Column::NameKey)
        .all(db)
        .await?;
    let ids: Vec<Uuid> = groups.iter().map(|group| group.id).collect();
    let mut members = members_of(db, &ids).await?;
    Ok(groups
        .into_iter()
        .map(|group| view(group, &mut members))
        .collect())
}

pub async fn get(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<TechnicianGroup, GroupError> {
    caller.require_admin()?;
    let group = find_own(db, caller, id).await?;
    let mut members = members_of(db, &[group.id]).await?;
    Ok(view(group, &mut members))
}

/// `wanted` as a set, after checking that each is a user of the caller's tenant; another
/// tenant's user is refused like one that does not exist, by its position in the list.
async fn own_users(
    db: &impl ConnectionTrait,
    caller: &Caller,
    wanted: &[Uuid],
) -> Result<BTreeSet<Uuid>, GroupError> {
    if wanted.len() > MAX_MEMBERS_PER_REQUEST {
        return Err(GroupError::Invalid(vec![FieldError::new(
            "member_ids",
            "too_many",
            format!("at most {MAX_MEMBERS_PER_REQUEST} members at once"),
        )]));
    }
    let found: BTreeSet<Uuid> = user::Entity::find()
        .filter(user::Column::TenantId.eq(caller.tenant_id))
        .filter(user::Column::Id.is_in(wanted.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|user| user.id)
        .collect();
    let unknown: Vec<String> = wanted
        .iter()
        .enumerate()
        .filter(|(_, id)| !found.contains(id))
        .map(|(position, _)| format!("member_ids[{position}]"))
        .collect();
    if !unknown.is_empty() {
        return Err(GroupError::Invalid(vec![FieldError::new(
            "member_ids",
            "unknown_user",
            format!("no such user in your tenant: {}", unknown.join(", ")),
        )]));
    }
    Ok(found)
}

/// Replaces the group's members with `members`, keeping when each one that stays was added.
async fn set_members(
    db: &impl ConnectionTrait,
    group_id: Uuid,
    members: &BTreeSet<Uuid>,
) -> Result<(), GroupError> {
    technician_group_member::Entity::delete_many()
        .filter(technician_group_member::Column::GroupId.eq(group_id))
        .filter(technician_group_member::Column::UserId.is_not_in(members.iter().copied()))
        .exec(db)
        .await?;
    let present: BTreeSet<Uuid> = technician_group_member::Entity::find()
        .filter(technician_group_member::Column::GroupId.eq(group_id))
        .all(db)
        .await?
        .into_iter()
        .map(|member| member.user_id)
        .collect();
    let now = Utc::now();
    for user_id in members.difference(&present) {
        technician_group_member::ActiveModel {
            group_id: Set(group_id),
            user_id: Set(*user_id),
            added_at: Set(now),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// Creates a group in the caller's tenant on `db` (a transaction), with its first members.
pub async fn create(
    db: &impl ConnectionTrait,
    caller: &Caller,
    name: TechnicianGroupName,
    member_ids: &[Uuid],
) -> Result<TechnicianGroup, GroupError> {
    caller.require_admin()?;
    let members = own_users(db, caller, member_ids).await?;
    let now = Utc::now();
    let group = technician_group::ActiveModel {
        id: Set(Uuid::new_v4()),
        tenant_id: Set(caller.tenant_id),
        name: Set(name.as_str().to_owned()),
        name_key: Set(name.key()),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
    .map_err(|error| taken_or_storage(error, &name))?;
    set_members(db, group.id, &members).await?;
    audit::record(
        db,
        AuditRecord::by(
            caller,
            "technician_group.create",
            format!("technician_group:{}", group.id),
        )
        .with_details(serde_json::json!({ "name": group.name, "member_ids": members })),
    )
    .await?;
    get(db, caller, group.id).await
}

/// Renames the group and/or replaces its members on `db` (a transaction).
pub async fn update(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
    changes: GroupChanges,
) -> Result<TechnicianGroup, GroupError> {
    caller.require_admin()?;
    let group = find_own(db, caller, id).await?;
    let members = match &changes.member_ids {
        Some(member_ids) => Some(own_users(db, caller, member_ids).await?),
        None => None,
    };
    let before = group.name.clone();
    let mut row: technician_group::ActiveModel = group.into();
    if let Some(name) = &changes.name {
        row.name = Set(name.as_str().to_owned());
        row.name_key = Set(name.key());
    }
    row.updated_at = Set(Utc::now());
    let updated = match &changes.name {
        Some(name) => row
            .update(db)
            .await
            .map_err(|error| taken_or_storage(error, name))?,
        None => row.update(db).await?,
    };
    if let Some(members) = &members {
        set_members(db, id, members).await?;
    }
    audit::record(
        db,
        AuditRecord::by(
            caller,
            "technician_group.update",
            format!("technician_group:{id}"),
        )
        .with_details(serde_json::json!({
            "name_before": before,
            "name": updated.name,
            "member_ids": members,
        })),
    )
    .await?;
    get(db, caller, id).await
}

/// Adds one user to the group (nothing changes when it is in already).
pub async fn add_member(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
    user_id: Uuid,
) -> Result<(), GroupError> {
    caller.require_admin()?;
    find_own(db, caller, id).await?;
    own_users(db, caller, &[user_id]).await?;
    let present = technician_group_member::Entity::find_by_id((id, user_id))
        .one(db)
        .await?;
    if present.is_some() {
        return Ok(());
    }
    technician_group_member::ActiveModel {
        group_id: Set(id),
        user_id: Set(user_id),
        added_at: Set(Utc::now()),
    }
    .insert(db)
    .await?;
    audit::record(
        db,
        AuditRecord::by(
            caller,
            "technician_group.add_member",
            format!("technician_group:{id}"),
        )
        .with_details(serde_json::json!({ "user_id": user_id })),
    )
    .await?;
    Ok(())
}

/// Takes one user out of the group (nothing changes when it was not in).
pub async fn remove_member(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
    user_id: Uuid,
) -> Result<(), GroupError> {
    caller.require_admin()?;
    find_own(db, caller, id).await?;
    let removed = technician_group_member::Entity::delete_by_id((id, user_id))
        .exec(db)
        .await?;
    if removed.rows_affected > 0 {
        audit::record(
            db,
            AuditRecord::by(
                caller,
                "technician_group.remove_member",
                format!("technician_group:{id}"),
            )
            .with_details(serde_json::json!({ "user_id": user_id })),
        )
        .await?;
    }
    Ok(())
}

/// Deletes the group and its memberships (the users stay).
pub async fn delete(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<(), GroupError> {
    caller.require_admin()?;
    let group = find_own(db, caller, id).await?;
    technician_group_member::Entity::delete_many()
        .filter(technician_group_member::Column::GroupId.eq(id))
        .exec(db)
        .await?;
    technician_group::Entity::delete_by_id(id).exec(db).await?;
    audit::record(
        db,
        AuditRecord::by(
            caller,
            "technician_group.delete",
            format!("technician_group:{id}"),
        )
        .with_details(serde_json::json!({ "name": group.name })),
    )
    .await?;
    Ok(())
}
