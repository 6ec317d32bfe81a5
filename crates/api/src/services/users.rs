//! Creating user accounts (demo seed, bootstrap CLI).

use chrono::Utc;
use domain::{ClaimSet, Email, NewPassword};
use entity::{ClaimCodes, user};
use proto::Role;
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
    };
    Ok(row.insert(db).await?)
}
