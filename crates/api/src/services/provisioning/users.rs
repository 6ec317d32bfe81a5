//! The accounts Entra provisions into a tenant: created, looked up, replaced and deleted as SCIM
//! asks, with the effects SPEC §12 gives any change (sessions end on deactivation, rights are
//! read at every request) and an audit entry (source `scim`) for each change.

use chrono::Utc;
use domain::{DisplayName, ExternalId, ScimUserName};
use entity::{ClaimCodes, audit_log::AuditSource, user};
use proto::{Role, UserSource};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::ProvisioningError;
use crate::services::{
    audit::{self, AuditRecord},
    sessions,
    users::management::{other_active_admins, rights_of},
};

/// Who is provisioning: the tenant the SCIM token names, and where the call came from.
#[derive(Debug, Clone)]
pub struct Provisioner {
    pub tenant_id: Uuid,
    pub source_ip: Option<String>,
}

impl Provisioner {
    fn audit(&self, action: &'static str, user_id: Uuid) -> AuditRecord {
        AuditRecord {
            copy_to_msp: None,
            tenant_id: self.tenant_id,
            actor_user_id: None,
            source: AuditSource::Scim,
            source_ip: self.source_ip.clone(),
            action,
            target: format!("user:{user_id}"),
            details: None,
        }
    }
}

/// A whole user as SCIM states it (a create, a replace, or a patch applied to the stored user).
#[derive(Debug, Clone)]
pub struct ProvisionedUser {
    /// `userName`: the UPN, which becomes the account's sign-in name.
    pub user_name: ScimUserName,
    pub display_name: DisplayName,
    pub external_id: Option<ExternalId>,
    pub active: bool,
    pub role: Role,
    /// The attributes kept as given (`name`, `emails`): a JSON object.
    pub profile: serde_json::Value,
}

/// One term of a SCIM filter this server answers (`attribute eq "value"`); a filter is their
/// conjunction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LookupTerm {
    UserName(String),
    ExternalId(String),
    /// A value that is not a UUID matches nobody.
    Id(Option<Uuid>),
}

/// A page of a tenant's users as SCIM lists them: 1-based `start_index`, `count` at most.
pub struct Listing {
    pub users: Vec<user::Model>,
    pub total: u64,
}

async fn ensure_unique(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    wanted: &ProvisionedUser,
    except: Option<Uuid>,
) -> Result<(), ProvisioningError> {
    let same_name = user::Entity::find()
        .filter(user::Column::Email.eq(wanted.user_name.as_str()))
        .one(db)
        .await?;
    if let Some(other) = same_name
        && Some(other.id) != except
    {
        return Err(ProvisioningError::Uniqueness(format!(
            "a user with the userName {} already exists",
            wanted.user_name.as_str()
        )));
    }
    if let Some(external_id) = &wanted.external_id {
        let mut taken = user::Entity::find()
            .filter(user::Column::TenantId.eq(tenant_id))
            .filter(user::Column::ExternalId.eq(external_id.as_str()));
        if let Some(except) = except {
            taken = taken.filter(user::Column::Id.ne(except));
        }
        if taken.count(db).await? > 0 {
            return Err(ProvisioningError::Uniqueness(format!(
                "a user with the externalId {} already exists in this tenant",
                external_id.as_str()
            )));
        }
    }
    Ok(())
}

/// Creates a provisioned account in the token's tenant, on `db` (a transaction): source `scim`,
/// no password (it signs in with Microsoft), the claims its role starts with.
pub async fn create(
    db: &impl ConnectionTrait,
    provisioner: &Provisioner,
    wanted: ProvisionedUser,
) -> Result<user::Model, ProvisioningError> {
    ensure_unique(db, provisioner.tenant_id, &wanted, None).await?;
    let now = Utc::now();
    let created = user::ActiveModel {
        id: Set(Uuid::new_v4()),
        tenant_id: Set(provisioner.tenant_id),
        email: Set(wanted.user_name.as_str().to_owned()),
        password_hash: Set(String::new()),
        role: Set(wanted.role),
        claims: Set(ClaimCodes(domain::initial_claims(wanted.role).to_vec())),
        created_at: Set(now),
        display_name: Set(wanted.display_name.as_str().to_owned()),
        use_mfa: Set(false),
        allow_ui_access: Set(true),
        active: Set(wanted.active),
        source: Set(UserSource::Scim),
        last_sign_in_at: Set(None),
        external_id: Set(wanted.external_id.map(|id| id.as_str().to_owned())),
        scim_profile: Set(Some(wanted.profile)),
        modified_at: Set(None),
        provisioned_at: Set(Some(now)),
        duo_linked_at: Set(None),
    }
    .insert(db)
    .await?;
    audit::record(
        db,
        provisioner
            .audit("user.provision", created.id)
            .with_details(serde_json::json!({
                "email": created.email,
                "role": created.role.as_str(),
                "active": created.active,
                "external_id": created.external_id,
            })),
    )
    .await?;
    Ok(created)
}

/// User `id` of the token's tenant.
pub async fn find(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    id: Uuid,
) -> Result<user::Model, ProvisioningError> {
    user::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|user| user.tenant_id == tenant_id)
        .ok_or(ProvisioningError::NotFound)
}

/// The tenant's users matching every term, oldest first, a page at a time.
pub async fn search(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    terms: &[LookupTerm],
    start_index: u64,
    count: u64,
) -> Result<Listing, ProvisioningError> {
    let mut condition = Condition::all().add(user::Column::TenantId.eq(tenant_id));
    for term in terms {
        condition = match term {
            LookupTerm::UserName(name) => {
                condition.add(user::Column::Email.eq(name.trim().to_lowercase()))
            }
            LookupTerm::ExternalId(id) => condition.add(user::Column::ExternalId.eq(id.as_str())),
            LookupTerm::Id(Some(id)) => condition.add(user::Column::Id.eq(*id)),
            LookupTerm::Id(None) => {
                return Ok(Listing {
                    users: Vec::new(),
                    total: 0,
                });
            }
        };
    }
    let select = user::Entity::find().filter(condition);
    let users = if count == 0 {
        Vec::new()
    } else {
        select
            .clone()
            .order_by_asc(user::Column::CreatedAt)
            .order_by_asc(user::Column::Id)
            .offset(start_index.saturating_sub(1))
            .limit(count)
            .all(db)
            .await?
    };
    // Entra's lookups find one user or none: a first page that is not full is every match, and
    // the count would be a second query for nothing.
    let whole = start_index <= 1 && (users.len() as u64) < count;
    let total = if whole {
        users.len() as u64
    } else {
        select.count(db).await?
    };
    Ok(Listing { users, total })
}

/// Whether the tenant keeps an admin who can act if `target` stops being one.
async fn keeps_an_admin(
    db: &impl ConnectionTrait,
    target: &user::Model,
) -> Result<bool, ProvisioningError> {
    Ok(!rights_of(target).is_active_admin()
        || other_active_admins(db, target.tenant_id, target.id).await? > 0)
}

/// Sets user `id` to `wanted` as a whole (SCIM PUT, or a PATCH applied to the stored user), on
/// `db` (a transaction). Deactivation ends the user's sessions; a change of role applies at the
/// user's next request (sessions and tokens read it each time).
pub async fn replace(
    db: &impl ConnectionTrait,
    provisioner: &Provisioner,
    id: Uuid,
    wanted: ProvisionedUser,
) -> Result<user::Model, ProvisioningError> {
    let target = find(db, provisioner.tenant_id, id).await?;
    ensure_unique(db, provisioner.tenant_id, &wanted, Some(target.id)).await?;
    let loses_admin = target.role == Role::Admin && (!wanted.active || wanted.role != Role::Admin);
    if loses_admin && !keeps_an_admin(db, &target).await? {
        return Err(ProvisioningError::LastActiveAdmin);
    }
    let external_id = wanted.external_id.map(|id| id.as_str().to_owned());
    let mut details = serde_json::Map::new();
    if wanted.user_name.as_str() != target.email {
        details.insert("email".into(), wanted.user_name.as_str().into());
    }
    if wanted.display_name.as_str() != target.display_name {
        details.insert("display_name".into(), wanted.display_name.as_str().into());
    }
    if wanted.role != target.role {
        details.insert("role".into(), wanted.role.as_str().into());
    }
    if wanted.active != target.active {
        details.insert("active".into(), wanted.active.into());
    }
    if external_id != target.external_id {
        details.insert("external_id".into(), external_id.clone().into());
    }
    let profile_changed = target.scim_profile.as_ref() != Some(&wanted.profile);
    if details.is_empty() && !profile_changed {
        return Ok(target);
    }
    let now = Utc::now();
    let current_claims = rights_of(&target).claims;
    let claims = domain::claims_after_role_change(&current_claims, target.role, wanted.role);
    let mut row: user::ActiveModel = target.clone().into();
    row.email = Set(wanted.user_name.as_str().to_owned());
    row.display_name = Set(wanted.display_name.as_str().to_owned());
    row.role = Set(wanted.role);
    row.claims = Set(ClaimCodes(claims.to_vec()));
    row.active = Set(wanted.active);
    row.external_id = Set(external_id);
    row.scim_profile = Set(Some(wanted.profile));
    row.modified_at = Set(Some(now));
    row.provisioned_at = Set(Some(now));
    let updated = row.update(db).await?;
    if !updated.active && target.active {
        sessions::end_all_of(db, updated.id, None).await?;
        crate::services::jit_accounts::end_all_of_technician(db, updated.id).await?;
    }
    let action = match (target.active, updated.active) {
        (true, false) => "user.deactivate",
        (false, true) => "user.reactivate",
        _ => "user.update",
    };
    audit::record(
        db,
        provisioner
            .audit(action, updated.id)
            .with_details(serde_json::Value::Object(details)),
    )
    .await?;
    Ok(updated)
}

/// Deletes user `id` with its sessions, tokens and factor, on `db` (a transaction); the audit
/// log keeps what it did.
pub async fn delete(
    db: &impl ConnectionTrait,
    provisioner: &Provisioner,
    id: Uuid,
) -> Result<(), ProvisioningError> {
    let target = find(db, provisioner.tenant_id, id).await?;
    if !keeps_an_admin(db, &target).await? {
        return Err(ProvisioningError::LastActiveAdmin);
    }
    crate::services::jit_accounts::end_all_of_technician(db, target.id).await?;
    user::Entity::delete_by_id(target.id).exec(db).await?;
    audit::record(
        db,
        provisioner
            .audit("user.delete", target.id)
            .with_details(serde_json::json!({ "email": target.email })),
    )
    .await?;
    Ok(())
}
