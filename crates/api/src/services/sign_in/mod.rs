//! Signing in: e-mail and password, then the second factor when one is due. Throttled per
//! account and per address (failed codes count too), the same answer and the same cost for a
//! wrong e-mail and a wrong password, every session audited.

pub mod duo;
pub mod microsoft;
pub mod throttle;

use chrono::Utc;
use domain::Email;
use entity::{session, user};
use proto::MfaMethod;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, TransactionTrait, sea_query::Expr,
};
use uuid::Uuid;

use self::throttle::ThrottlePolicy;
use crate::{
    infra::{
        InfraFailure,
        auth::{self, MfaKey},
    },
    services::{
        audit::{self, AuditRecord, Source},
        mfa::{self, MfaError},
        sessions,
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
    #[error("this account is deactivated; ask an admin of your tenant to reactivate it")]
    Deactivated,
    #[error(
        "this account is for API tokens only: its access to the web app is off (Allow access to UI); ask an admin if you need it"
    )]
    UiAccessOff,
    #[error("the sign-in expired or is not valid; sign in again with your password")]
    ChallengeInvalid,
    #[error("wrong code")]
    WrongCode,
    /// A sign-in with Microsoft refused, for the reason the sign-in page explains.
    #[error("{}", .0.message())]
    Microsoft(domain::MicrosoftSignInRefusal),
    /// The Duo step refused, for the reason the sign-in page explains.
    #[error("{}", .0.message())]
    Duo(domain::DuoRefusal),
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
///
/// `reads` serves the look-ups and `db` the throttle's writes: on SQLite every statement on `db`
/// waits its turn at the one writer, behind the creates of every other request.
pub async fn sign_in(
    reads: &DatabaseConnection,
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
    throttle.check(reads, &keys).await?;
    throttle.admit(db, &account_key).await?;

    let account = match Email::parse(&email) {
        Ok(email) => users::find_by_email(reads, &email).await?,
        Err(_) => None,
    };
    // An invited account has no password yet: it costs the same as an unknown one.
    let stored_hash = account
        .as_ref()
        .map(|user| user.password_hash.clone())
        .filter(|hash| !hash.is_empty());
    // The password comes back from the hashing thread: an outdated hash is replaced with it.
    let (verified, password) = auth::with_hashing_slot(move || {
        let verified = auth::verify_password_or_dummy(&password, stored_hash.as_deref());
        (verified, password)
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
            metrics::counter!("sign_in_failures_total", "step" => "password").increment(1);
            return Err(SignInError::WrongCredentials);
        }
    };
    throttle.clear(db, &account_key).await?;
    if !user.active {
        return Err(SignInError::Deactivated);
    }
    if !user.allow_ui_access {
        return Err(SignInError::UiAccessOff);
    }
    upgrade_outdated_hash(db, &user, password).await?;
    Ok(user)
}

/// Hashes `password`, just proven, again with today's settings when `user`'s stored hash has an
/// earlier version's. A password changed meanwhile is left as it is.
async fn upgrade_outdated_hash(
    db: &DatabaseConnection,
    user: &user::Model,
    password: String,
) -> Result<(), SignInError> {
    if !auth::is_outdated(&user.password_hash) {
        return Ok(());
    }
    let upgraded = auth::with_hashing_slot(move || auth::hash_password(&password)).await??;
    user::Entity::update_many()
        .col_expr(user::Column::PasswordHash, Expr::value(upgraded))
        .filter(user::Column::Id.eq(user.id))
        .filter(user::Column::PasswordHash.eq(user.password_hash.as_str()))
        .exec(db)
        .await?;
    Ok(())
}

/// What the password step leads to.
pub enum NextStep {
    /// A factor is enrolled (authenticator app, or Duo while the tenant's Duo is on): one of
    /// these methods is due before any session.
    SecondFactor(Vec<MfaMethod>),
    /// Use MFA is on and no factor is enrolled: a session that can only enrol one.
    EnrolFirst,
    /// No second factor applies.
    Done,
}

pub async fn next_step(
    db: &impl ConnectionTrait,
    user: &user::Model,
) -> Result<NextStep, SignInError> {
    let totp = mfa::confirmed_factor(db, user.id).await?.is_some();
    let duo = duo::offered(db, user).await?;
    let methods: Vec<MfaMethod> = [
        (duo, MfaMethod::Duo),
        (totp, MfaMethod::Totp),
        (totp || duo, MfaMethod::RecoveryCode),
    ]
    .into_iter()
    .filter_map(|(offered, method)| offered.then_some(method))
    .collect();
    Ok(match (methods.is_empty(), user.use_mfa) {
        (false, _) => NextStep::SecondFactor(methods),
        (true, true) => NextStep::EnrolFirst,
        (true, false) => NextStep::Done,
    })
}

/// The second step: `code` (TOTP or recovery code) for the user `mfa_token` names.
pub async fn second_factor(
    db: &DatabaseConnection,
    throttle: &ThrottlePolicy,
    key: &MfaKey,
    user_id: Uuid,
    code: &str,
    source_ip: Option<String>,
) -> Result<user::Model, SignInError> {
    let user = user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .ok_or(SignInError::ChallengeInvalid)?;
    let account_key = throttle.account(&user.email);
    let address_key = source_ip.as_deref().map(|ip| throttle.address(ip));
    let keys: Vec<_> = std::iter::once(account_key.clone())
        .chain(address_key.clone())
        .collect();
    throttle.check(db, &keys).await?;
    if !user.active {
        return Err(SignInError::Deactivated);
    }
    if !user.allow_ui_access {
        return Err(SignInError::UiAccessOff);
    }
    let passed = mfa::verify_code(db, key, &user, code)
        .await
        .map_err(|error| match error {
            MfaError::Storage(storage) => SignInError::Storage(storage),
            MfaError::Infra(infra) => SignInError::Infra(infra),
            _ => SignInError::WrongCode,
        })?;
    if !passed {
        for key in &keys {
            throttle.record_failure(db, key).await?;
        }
        tracing::info!(source_ip = ?source_ip, "failed second factor");
        metrics::counter!("sign_in_failures_total", "step" => "second_factor").increment(1);
        return Err(SignInError::WrongCode);
    }
    throttle.clear(db, &account_key).await?;
    Ok(user)
}

/// How the user proved who it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInMethod {
    Password,
    Microsoft,
    /// The first factor, then Duo's prompt as the second.
    Duo,
}

/// Opens a web session for `user` after every due step, and audits the sign-in.
pub async fn open_session(
    db: &DatabaseConnection,
    user: user::Model,
    ttl_secs: i64,
    enrolment_pending: bool,
    source_ip: Option<String>,
    method: SignInMethod,
) -> Result<session::Model, SignInError> {
    // One transaction: the session, the user's last sign-in and the audit entry are written
    // together, in one turn at SQLite's writer instead of three.
    let transaction = db.begin().await?;
    let session = sessions::start(
        &transaction,
        user.id,
        ttl_secs,
        enrolment_pending,
        source_ip.clone(),
    )
    .await?;
    let (tenant_id, user_id) = (user.tenant_id, user.id);
    let mut signed_in: user::ActiveModel = user.into();
    signed_in.last_sign_in_at = Set(Some(Utc::now()));
    signed_in.update(&transaction).await?;
    audit::record(
        &transaction,
        AuditRecord {
            copy_to_msp: None,
            tenant_id,
            actor_user_id: Some(user_id),
            source: Source::Api,
            source_ip,
            action: "auth.login",
            target: format!("user:{user_id}"),
            details: match (method, enrolment_pending) {
                (SignInMethod::Password, false) => None,
                (SignInMethod::Password, true) => {
                    Some(serde_json::json!({ "mfa_enrolment_required": true }))
                }
                (SignInMethod::Microsoft, pending) => Some(serde_json::json!({
                    "method": "microsoft",
                    "mfa_enrolment_required": pending,
                })),
                (SignInMethod::Duo, _) => Some(serde_json::json!({ "second_factor": "duo" })),
            },
        },
    )
    .await?;
    transaction.commit().await?;
    Ok(session)
}
