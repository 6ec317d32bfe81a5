//! The Users page (SPEC §12): admins list, invite, edit, deactivate, reactivate and delete the
//! users of their tenant; a technician sees and edits only itself. Every change is audited.

use chrono::{DateTime, Utc};
use domain::{ClaimSet, DisplayName, Email, RightsChange, UserRights};
use entity::{ClaimCodes, user};
use proto::{Page, Role, User, UserSource};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder,
    sea_query::{Expr, ExprTrait, Func, LikeExpr},
};
use uuid::Uuid;

use super::{UserError, find_by_email, passwords};
use crate::{
    infra::auth::Caller,
    services::{
        audit::{self, AuditRecord},
        mfa,
        paging::{PageRequest, fetch_page},
        sessions,
        storage::escape_like,
    },
};

/// An invitation as the route parsed it.
pub struct Invitation {
    pub email: Email,
    pub display_name: DisplayName,
    pub rights: UserRights,
    /// The user's object ID in the tenant's Entra directory, when Entra is its user source.
    pub entra_object_id: Option<String>,
}

/// A change as the route parsed it: only the fields given.
#[derive(Default)]
pub struct UserChanges {
    pub display_name: Option<DisplayName>,
    pub role: Option<Role>,
    pub claims: Option<ClaimSet>,
    pub use_mfa: Option<bool>,
    pub allow_ui_access: Option<bool>,
    pub active: Option<bool>,
}

pub struct InvitedUser {
    pub user: User,
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

pub(crate) fn rights_of(user: &user::Model) -> UserRights {
    UserRights {
        role: user.role,
        claims: user.claims.0.iter().copied().collect(),
        use_mfa: user.use_mfa,
        allow_ui_access: user.allow_ui_access,
        active: user.active,
    }
}

pub async fn listed(db: &impl ConnectionTrait, user: user::Model) -> Result<User, UserError> {
    let mfa_enrolled = mfa::confirmed_factor(db, user.id).await?.is_some();
    Ok(view(user, mfa_enrolled))
}

fn view(user: user::Model, mfa_enrolled: bool) -> User {
    User {
        id: user.id,
        invitation_pending: user.invitation_pending(),
        email: user.email,
        display_name: user.display_name,
        role: user.role,
        claims: user.claims.0,
        use_mfa: user.use_mfa,
        allow_ui_access: user.allow_ui_access,
        active: user.active,
        source: user.source,
        mfa_enrolled,
        last_sign_in_at: user.last_sign_in_at,
        created_at: user.created_at,
        external_id: user.external_id,
        provisioned_at: user.provisioned_at,
    }
}

/// The user `id` as the caller may see it: an admin any user of its tenant, a technician itself.
pub async fn find_visible(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<user::Model, UserError> {
    let found = user::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|user| user.tenant_id == caller.tenant_id)
        .ok_or(UserError::NotFound)?;
    match caller.role {
        Role::Admin => Ok(found),
        Role::Technician if found.id == caller.user_id => Ok(found),
        Role::Technician => Err(UserError::NotFound),
    }
}

/// The users the caller may see whose e-mail or display name contains `q`, by e-mail.
pub async fn list(
    db: &DatabaseConnection,
    caller: &Caller,
    q: Option<&str>,
    page: PageRequest,
) -> Result<Page<User>, UserError> {
    let mut select = user::Entity::find()
        .filter(user::Column::TenantId.eq(caller.tenant_id))
        .order_by_asc(user::Column::Email)
        .order_by_asc(user::Column::Id);
    if caller.role != Role::Admin {
        select = select.filter(user::Column::Id.eq(caller.user_id));
    }
    if let Some(q) = q.map(str::trim).filter(|q| !q.is_empty()) {
        let pattern = format!("%{}%", escape_like(&q.to_lowercase()));
        let like = || LikeExpr::new(pattern.clone()).escape('\\');
        select = select.filter(
            Expr::col(user::Column::Email)
                .like(like())
                .or(Func::lower(Expr::col(user::Column::DisplayName)).like(like())),
        );
    }
    let (rows, total) = fetch_page(db, select, page).await?;
    // One read for the page's factors, not one per row.
    let enrolled = mfa::confirmed_among(db, rows.iter().map(|row| row.id)).await?;
    let items = rows
        .into_iter()
        .map(|row| {
            let mfa_enrolled = enrolled.contains(&row.id);
            view(row, mfa_enrolled)
        })
        .collect();
    Ok(Page { items, total })
}

/// Admins of `tenant_id` other than `except` who can act: active, and able to sign in: with a
/// password set, or provisioned from Entra (they sign in with Microsoft). An invitation not yet
/// accepted keeps no tenant administrable.
pub(crate) async fn other_active_admins(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    except: Uuid,
) -> Result<u64, crate::services::storage::StorageError> {
    Ok(user::Entity::find()
        .filter(user::Column::TenantId.eq(tenant_id))
        .filter(user::Column::Role.eq(Role::Admin))
        .filter(user::Column::Active.eq(true))
        .filter(
            user::Column::PasswordHash
                .ne("")
                .or(user::Column::Source.ne(UserSource::Local)),
        )
        .filter(user::Column::Id.ne(except))
        .count(db)
        .await?)
}

/// The session the caller is using, when it changes its own account: that one stays open (the
/// caller already passed what the change asks of a new sign-in).
fn own_session(caller: &Caller, target: Uuid) -> Option<Uuid> {
    match caller.method {
        crate::infra::auth::AuthMethod::Session { session_id } if target == caller.user_id => {
            Some(session_id)
        }
        _ => None,
    }
}

/// Invites a user into the caller's tenant (admins), on `db` (a transaction).
pub async fn invite(
    db: &impl ConnectionTrait,
    caller: &Caller,
    invitation: Invitation,
) -> Result<InvitedUser, UserError> {
    caller
        .require_admin()
        .map_err(|_| domain::RightsChangeRefused::NotAdmin)?;
    if find_by_email(db, &invitation.email).await?.is_some() {
        return Err(UserError::EmailTaken {
            email: invitation.email.to_string(),
        });
    }
    let rights = invitation.rights;
    let created = user::ActiveModel {
        id: Set(Uuid::new_v4()),
        tenant_id: Set(caller.tenant_id),
        email: Set(invitation.email.as_str().to_owned()),
        // No password until the invitation is accepted: nothing can sign in with an empty hash.
        password_hash: Set(String::new()),
        role: Set(rights.role),
        claims: Set(ClaimCodes(rights.claims.to_vec())),
        created_at: Set(Utc::now()),
        display_name: Set(invitation.display_name.as_str().to_owned()),
        use_mfa: Set(rights.use_mfa),
        allow_ui_access: Set(rights.allow_ui_access),
        active: Set(true),
        source: Set(if invitation.entra_object_id.is_some() {
            UserSource::Entra
        } else {
            UserSource::Local
        }),
        last_sign_in_at: Set(None),
        external_id: Set(invitation.entra_object_id.clone()),
        scim_profile: Set(None),
        modified_at: Set(None),
        provisioned_at: Set(None),
        duo_linked_at: Set(None),
    }
    .insert(db)
    .await?;
    let (token, expires_at) = passwords::issue_invitation(db, caller, created.id).await?;
    audit::record(
        db,
        AuditRecord::by(caller, "user.invite", format!("user:{}", created.id)).with_details(
            serde_json::json!({
                "email": created.email,
                "role": created.role.as_str(),
                "claims": created.claims.0,
                "use_mfa": created.use_mfa,
                "allow_ui_access": created.allow_ui_access,
            }),
        ),
    )
    .await?;
    Ok(InvitedUser {
        user: listed(db, created).await?,
        token,
        expires_at,
    })
}

/// Applies `changes` to user `id`, on `db` (a transaction). Sessions and API tokens read the
/// account at every request, so a change applies at the user's very next one.
pub async fn update(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
    changes: UserChanges,
) -> Result<User, UserError> {
    let target = find_visible(db, caller, id).await?;
    let current = rights_of(&target);
    let proposed = UserRights {
        role: changes.role.unwrap_or(current.role),
        claims: changes
            .claims
            .clone()
            .unwrap_or_else(|| current.claims.clone()),
        use_mfa: changes.use_mfa.unwrap_or(current.use_mfa),
        allow_ui_access: changes.allow_ui_access.unwrap_or(current.allow_ui_access),
        active: changes.active.unwrap_or(current.active),
    };
    domain::check_rights_change(RightsChange {
        actor_role: caller.role,
        on_self: target.id == caller.user_id,
        current: &current,
        proposed: &proposed,
        other_active_admins: other_active_admins(db, target.tenant_id, target.id).await?,
    })?;
    let renamed = changes
        .display_name
        .filter(|name| name.as_str() != target.display_name);
    let rights_changed = proposed != current;
    if renamed.is_none() && !rights_changed {
        return listed(db, target).await;
    }
    let mut details = serde_json::Map::new();
    let mut row: user::ActiveModel = target.clone().into();
    if let Some(name) = &renamed {
        details.insert("display_name".into(), name.as_str().into());
        row.display_name = Set(name.as_str().to_owned());
    }
    if proposed.role != current.role {
        details.insert("role".into(), proposed.role.as_str().into());
    }
    if proposed.claims != current.claims {
        details.insert("claims".into(), serde_json::json!(proposed.claims.to_vec()));
    }
    for (field, before, after) in [
        ("use_mfa", current.use_mfa, proposed.use_mfa),
        (
            "allow_ui_access",
            current.allow_ui_access,
            proposed.allow_ui_access,
        ),
        ("active", current.active, proposed.active),
    ] {
        if before != after {
            details.insert(field.into(), after.into());
        }
    }
    row.role = Set(proposed.role);
    row.claims = Set(ClaimCodes(proposed.claims.to_vec()));
    row.use_mfa = Set(proposed.use_mfa);
    row.allow_ui_access = Set(proposed.allow_ui_access);
    row.active = Set(proposed.active);
    row.modified_at = Set(Some(Utc::now()));
    let updated = row.update(db).await?;
    // Role and claims apply at the next request by themselves (sessions read them each time).
    // Turning Use MFA on must make the user pass the factor, so its sessions end; so do they
    // when the account may no longer use the web app at all.
    let sessions_end =
        (proposed.use_mfa && !current.use_mfa) || !proposed.active || !proposed.allow_ui_access;
    if sessions_end {
        sessions::end_all_of(db, target.id, own_session(caller, target.id)).await?;
    }
    if !proposed.active {
        crate::services::jit_accounts::end_all_of_technician(db, target.id).await?;
    }
    if proposed.active && !current.active {
        crate::services::user_source::offboarding::forget(db, target.id).await?;
    }
    let action = match (current.active, proposed.active) {
        (true, false) => "user.deactivate",
        (false, true) => "user.reactivate",
        _ => "user.update",
    };
    audit::record(
        db,
        AuditRecord::by(caller, action, format!("user:{}", updated.id))
            .with_details(serde_json::Value::Object(details)),
    )
    .await?;
    listed(db, updated).await
}

/// Deletes user `id` (admins), with its sessions, tokens, invitations and factor; the audit
/// log keeps what it did.
pub async fn delete(db: &impl ConnectionTrait, caller: &Caller, id: Uuid) -> Result<(), UserError> {
    caller
        .require_admin()
        .map_err(|_| domain::RightsChangeRefused::NotAdmin)?;
    let target = find_visible(db, caller, id).await?;
    domain::check_deletion(
        &rights_of(&target),
        target.id == caller.user_id,
        other_active_admins(db, target.tenant_id, target.id).await?,
    )?;
    crate::services::jit_accounts::end_all_of_technician(db, target.id).await?;
    user::Entity::delete_by_id(target.id).exec(db).await?;
    audit::record(
        db,
        AuditRecord::by(caller, "user.delete", format!("user:{}", target.id))
            .with_details(serde_json::json!({ "email": target.email })),
    )
    .await?;
    Ok(())
}

/// Removes user `id`'s second factor (admins): with Use MFA on, it enrols again at its next
/// sign-in. Its sessions end.
pub async fn reset_mfa(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<User, UserError> {
    caller
        .require_admin()
        .map_err(|_| domain::RightsChangeRefused::NotAdmin)?;
    let target = find_visible(db, caller, id).await?;
    mfa::remove_factor(db, target.id)
        .await
        .map_err(|error| match error {
            mfa::MfaError::Storage(storage) => UserError::Storage(storage),
            mfa::MfaError::Infra(infra) => UserError::Infra(infra),
            _ => UserError::NotFound,
        })?;
    sessions::end_all_of(db, target.id, own_session(caller, target.id)).await?;
    audit::record(
        db,
        AuditRecord::by(caller, "user.reset_mfa", format!("user:{}", target.id)),
    )
    .await?;
    listed(db, target).await
}
