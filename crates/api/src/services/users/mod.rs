//! Technicians' accounts: creation (demo seed, bootstrap CLI), the admins' management of their
//! tenant's users, and invitations.

pub mod management;
pub mod passwords;

use chrono::Utc;
use domain::{ClaimSet, Email, NewPassword, RightsChangeRefused};
use entity::{ClaimCodes, user};
use proto::{Role, UserSource};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};
use uuid::Uuid;

use crate::{
    infra::{InfraFailure, auth},
    services::storage::StorageError,
};

#[derive(Debug, thiserror::Error)]
pub enum UserError {
    #[error("an account with the e-mail {email} already exists")]
    EmailTaken { email: String },
    /// Not in the caller's tenant, not the caller's own, or not at all: never told apart.
    #[error("no such user")]
    NotFound,
    #[error(transparent)]
    Refused(#[from] RightsChangeRefused),
    #[error(
        "API tokens are created for a user whose UI access is off; this user signs in and creates its own"
    )]
    HasUiAccess,
    #[error(
        "this invitation link is not valid: it was used already, it expired (after 7 days) or it was never issued; ask an admin for a new one"
    )]
    InvitationInvalid,
    #[error("the current password is not right")]
    WrongCurrentPassword,
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error(transparent)]
    Infra(#[from] InfraFailure),
}

pub struct NewUser {
    pub tenant_id: Uuid,
    pub email: Email,
    pub password: NewPassword,
    pub role: Role,
    pub claims: ClaimSet,
}

/// Hashes off the async executor: argon2id is deliberately slow.
pub async fn hash_off_thread(password: NewPassword) -> Result<String, InfraFailure> {
    auth::with_hashing_slot(move || auth::hash_password(password.expose())).await?
}

pub async fn find_by_email(
    db: &impl ConnectionTrait,
    email: &Email,
) -> Result<Option<user::Model>, StorageError> {
    Ok(user::Entity::find()
        .filter(user::Column::Email.eq(email.as_str()))
        .one(db)
        .await?)
}

pub async fn create_user(
    db: &impl ConnectionTrait,
    new: NewUser,
) -> Result<user::Model, UserError> {
    if find_by_email(db, &new.email).await?.is_some() {
        return Err(UserError::EmailTaken {
            email: new.email.to_string(),
        });
    }
    let password_hash = hash_off_thread(new.password).await?;
    let row = user::ActiveModel {
        id: Set(Uuid::new_v4()),
        tenant_id: Set(new.tenant_id),
        email: Set(new.email.as_str().to_owned()),
        password_hash: Set(password_hash),
        role: Set(new.role),
        claims: Set(ClaimCodes(new.claims.to_vec())),
        created_at: Set(Utc::now()),
        display_name: Set(String::new()),
        use_mfa: Set(false),
        allow_ui_access: Set(true),
        active: Set(true),
        source: Set(UserSource::Local),
        last_sign_in_at: Set(None),
        external_id: Set(None),
        scim_profile: Set(None),
        modified_at: Set(None),
        provisioned_at: Set(None),
        duo_linked_at: Set(None),
    };
    Ok(row.insert(db).await?)
}

/// Sets the two per-user permissions of SPEC §12 (the demo seed's special accounts).
pub async fn set_permissions(
    db: &impl ConnectionTrait,
    user: user::Model,
    use_mfa: bool,
    allow_ui_access: bool,
) -> Result<user::Model, UserError> {
    let mut changed: user::ActiveModel = user.into();
    changed.use_mfa = Set(use_mfa);
    changed.allow_ui_access = Set(allow_ui_access);
    Ok(changed.update(db).await?)
}
