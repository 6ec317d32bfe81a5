//! Signing in with e-mail and password: throttled per account and per address, the same answer
//! and the same cost for a wrong e-mail and a wrong password, every success audited.

pub mod throttle;

use domain::Email;
use entity::user;
use sea_orm::DatabaseConnection;

use self::throttle::ThrottlePolicy;
use crate::{
    infra::{InfraFailure, auth},
    services::{
        audit::{self, AuditRecord, Source},
        storage::StorageError,
        users,
    },
};

#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    /// No such account or not its password: the two are never told apart.
    #[error("wrong e-mail or password")]
    WrongCredentials,
    #[error("too many failed sign-ins; try again in {retry_after_secs} seconds")]
    TooManyAttempts { retry_after_secs: u64 },
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error(transparent)]
    Infra(#[from] InfraFailure),
}

/// Who is signing in, and from where.
pub struct Attempt {
    pub email: String,
    pub password: String,
    pub source_ip: Option<String>,
}

/// The account whose password `attempt` carries.
pub async fn sign_in(
    db: &DatabaseConnection,
    throttle: &ThrottlePolicy,
    attempt: Attempt,
) -> Result<user::Model, SignInError> {
    let Attempt {
        email,
        password,
        source_ip,
    } = attempt;
    let account_key = throttle.account(&email);
    let address_key = source_ip.as_deref().map(|ip| throttle.address(ip));
    let keys: Vec<_> = std::iter::once(account_key.clone())
        .chain(address_key.clone())
        .collect();
    throttle.check(db, &keys).await?;
    throttle.admit(db, &account_key).await?;

    let account = match Email::parse(&email) {
        Ok(email) => users::find_by_email(db, &email).await?,
        Err(_) => None,
    };
    let stored_hash = account.as_ref().map(|user| user.password_hash.clone());
    let verified = auth::with_hashing_slot(move || {
        auth::verify_password_or_dummy(&password, stored_hash.as_deref())
    })
    .await?;
    let user = match account {
        Some(user) if verified => user,
        _ => {
            // The account counted this attempt when admitting it.
            if let Some(address_key) = &address_key {
                throttle.record_failure(db, address_key).await?;
            }
            tracing::info!(source_ip = ?source_ip, "failed sign-in");
            return Err(SignInError::WrongCredentials);
        }
    };
    throttle.clear(db, &account_key).await?;
    audit::record(
        db,
        AuditRecord {
            tenant_id: user.tenant_id,
            actor_user_id: Some(user.id),
            source: Source::Api,
            source_ip,
            action: "auth.login",
            target: format!("user:{}", user.id),
            details: None,
        },
    )
    .await?;
    Ok(user)
}
