//! The TOTP second factor (SPEC §12): enrolment with a confirming code, ten single-use recovery
//! codes stored hashed, codes accepted once, and an admin's reset.

use chrono::Utc;
use entity::{recovery_code, totp_factor, user};
use proto::{RecoveryCodes, TotpEnrolment};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    sea_query::{Expr, ExprTrait},
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::{
    infra::{
        InfraFailure,
        auth::{Caller, MfaKey, TotpFactor, qr_svg, random_bytes},
    },
    services::{
        audit::{self, AuditRecord},
        storage::StorageError,
    },
};

const RECOVERY_CODE_COUNT: usize = 10;

#[derive(Debug, thiserror::Error)]
pub enum MfaError {
    #[error("an authenticator app is already enrolled; an admin can reset it")]
    AlreadyEnrolled,
    #[error("no enrolment is waiting for confirmation: start one first")]
    NoEnrolmentStarted,
    #[error("no second factor is enrolled: enrol an authenticator app or link Duo first")]
    NotEnrolled,
    #[error("that code is not the one the app shows now (or it was used already)")]
    WrongCode,
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error(transparent)]
    Infra(#[from] InfraFailure),
}

fn unix_now() -> u64 {
    u64::try_from(Utc::now().timestamp()).unwrap_or(0)
}

fn hash_recovery_code(code: &str) -> String {
    let normalised: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    hex::encode(Sha256::digest(normalised.as_bytes()))
}

/// `xxxxx-xxxxx`: 50 random bits each, typed from a sheet of paper.
fn new_recovery_code() -> Result<String, InfraFailure> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let bytes = random_bytes::<10>()?;
    let chars: Vec<char> = bytes
        .iter()
        .map(|byte| char::from(ALPHABET[usize::from(*byte) % ALPHABET.len()]))
        .collect();
    let (first, second) = chars.split_at(5);
    Ok(format!(
        "{}-{}",
        first.iter().collect::<String>(),
        second.iter().collect::<String>()
    ))
}

pub async fn confirmed_factor(
    db: &impl ConnectionTrait,
    user_id: Uuid,
) -> Result<Option<totp_factor::Model>, StorageError> {
    Ok(totp_factor::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .filter(|factor| factor.confirmed_at.is_some()))
}

/// Which of `user_ids` have a confirmed factor.
pub async fn confirmed_among(
    db: &impl ConnectionTrait,
    user_ids: impl IntoIterator<Item = Uuid>,
) -> Result<std::collections::HashSet<Uuid>, StorageError> {
    Ok(totp_factor::Entity::find()
        .filter(totp_factor::Column::UserId.is_in(user_ids))
        .filter(totp_factor::Column::ConfirmedAt.is_not_null())
        .all(db)
        .await?
        .into_iter()
        .map(|factor| factor.user_id)
        .collect())
}

/// Starts (or restarts) enrolment: a new secret, stored encrypted and unconfirmed.
pub async fn begin_enrolment(
    db: &impl ConnectionTrait,
    key: &MfaKey,
    user: &user::Model,
) -> Result<TotpEnrolment, MfaError> {
    if confirmed_factor(db, user.id).await?.is_some() {
        return Err(MfaError::AlreadyEnrolled);
    }
    let secret = TotpFactor::new_secret()?;
    let otpauth_url = TotpFactor::from_base32(&secret, &user.email)?.otpauth_url()?;
    totp_factor::Entity::delete_by_id(user.id).exec(db).await?;
    totp_factor::ActiveModel {
        user_id: Set(user.id),
        secret_ciphertext: Set(key.encrypt(&secret)?),
        created_at: Set(Utc::now()),
        confirmed_at: Set(None),
        last_used_step: Set(None),
    }
    .insert(db)
    .await?;
    Ok(TotpEnrolment {
        qr_svg: qr_svg(&otpauth_url)?,
        secret,
        otpauth_url,
    })
}

/// Stores a confirmed factor with `secret` directly (the demo's well-known one).
pub async fn enrol_confirmed(
    db: &impl ConnectionTrait,
    key: &MfaKey,
    user_id: Uuid,
    secret: &str,
) -> Result<(), MfaError> {
    totp_factor::Entity::delete_by_id(user_id).exec(db).await?;
    totp_factor::ActiveModel {
        user_id: Set(user_id),
        secret_ciphertext: Set(key.encrypt(secret)?),
        created_at: Set(Utc::now()),
        confirmed_at: Set(Some(Utc::now())),
        last_used_step: Set(None),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Accepts TOTP step `step` for `user_id` once: a second use of a step (or an older one) fails,
/// even when two requests race.
async fn claim_step(db: &impl ConnectionTrait, user_id: Uuid, step: u64) -> Result<bool, MfaError> {
    let step = i64::try_from(step).unwrap_or(i64::MAX);
    let updated = totp_factor::Entity::update_many()
        .col_expr(totp_factor::Column::LastUsedStep, Expr::value(step))
        .filter(totp_factor::Column::UserId.eq(user_id))
        .filter(
            totp_factor::Column::LastUsedStep
                .is_null()
                .or(totp_factor::Column::LastUsedStep.lt(step)),
        )
        .exec(db)
        .await?;
    Ok(updated.rows_affected == 1)
}

/// Confirms the waiting enrolment with a code from the app; answers the recovery codes, shown
/// this once.
pub async fn confirm_enrolment(
    db: &impl ConnectionTrait,
    key: &MfaKey,
    caller: &Caller,
    email: &str,
    code: &str,
) -> Result<RecoveryCodes, MfaError> {
    let factor = totp_factor::Entity::find_by_id(caller.user_id)
        .one(db)
        .await?
        .ok_or(MfaError::NoEnrolmentStarted)?;
    if factor.confirmed_at.is_some() {
        return Err(MfaError::AlreadyEnrolled);
    }
    let secret = key.decrypt(&factor.secret_ciphertext)?;
    let step = TotpFactor::from_base32(&secret, email)?
        .matching_step(code, unix_now())
        .ok_or(MfaError::WrongCode)?;
    if !claim_step(db, caller.user_id, step).await? {
        return Err(MfaError::WrongCode);
    }
    let mut confirmed: totp_factor::ActiveModel = factor.into();
    confirmed.confirmed_at = Set(Some(Utc::now()));
    confirmed.update(db).await?;
    let codes = replace_recovery_codes(db, caller.user_id).await?;
    audit::record(
        db,
        AuditRecord::by(caller, "mfa.enrol", format!("user:{}", caller.user_id)),
    )
    .await?;
    Ok(codes)
}

async fn replace_recovery_codes(
    db: &impl ConnectionTrait,
    user_id: Uuid,
) -> Result<RecoveryCodes, MfaError> {
    recovery_code::Entity::delete_many()
        .filter(recovery_code::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    let mut codes = Vec::with_capacity(RECOVERY_CODE_COUNT);
    for _ in 0..RECOVERY_CODE_COUNT {
        let code = new_recovery_code()?;
        recovery_code::ActiveModel {
            id: Set(Uuid::new_v4()),
            user_id: Set(user_id),
            code_hash: Set(hash_recovery_code(&code)),
            used_at: Set(None),
        }
        .insert(db)
        .await?;
        codes.push(code);
    }
    Ok(RecoveryCodes {
        recovery_codes: codes,
    })
}

/// New recovery codes in place of the old ones (which stop working).
pub async fn regenerate_recovery_codes(
    db: &impl ConnectionTrait,
    caller: &Caller,
) -> Result<RecoveryCodes, MfaError> {
    let duo_linked = user::Entity::find_by_id(caller.user_id)
        .one(db)
        .await?
        .is_some_and(|user| user.duo_linked_at.is_some());
    if !duo_linked && confirmed_factor(db, caller.user_id).await?.is_none() {
        return Err(MfaError::NotEnrolled);
    }
    let codes = replace_recovery_codes(db, caller.user_id).await?;
    audit::record(
        db,
        AuditRecord::by(
            caller,
            "mfa.recovery_codes",
            format!("user:{}", caller.user_id),
        ),
    )
    .await?;
    Ok(codes)
}

/// Whether `code` passes `user`'s second factor now: a TOTP code not used before, or an unused
/// recovery code (which is then used up). Recovery codes also stand in for Duo when Duo cannot
/// be reached.
pub async fn verify_code(
    db: &impl ConnectionTrait,
    key: &MfaKey,
    user: &user::Model,
    code: &str,
) -> Result<bool, MfaError> {
    if let Some(factor) = confirmed_factor(db, user.id).await? {
        let secret = key.decrypt(&factor.secret_ciphertext)?;
        if let Some(step) =
            TotpFactor::from_base32(&secret, &user.email)?.matching_step(code, unix_now())
        {
            return claim_step(db, user.id, step).await;
        }
    }
    let used = recovery_code::Entity::update_many()
        .col_expr(recovery_code::Column::UsedAt, Expr::value(Utc::now()))
        .filter(recovery_code::Column::UserId.eq(user.id))
        .filter(recovery_code::Column::CodeHash.eq(hash_recovery_code(code)))
        .filter(recovery_code::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok(used.rows_affected >= 1)
}

/// Removes `user_id`'s factors (authenticator app, Duo link) and recovery codes (an admin's reset): with Use MFA on, the user
/// enrols again at the next sign-in.
pub async fn remove_factor(db: &impl ConnectionTrait, user_id: Uuid) -> Result<bool, MfaError> {
    let removed = totp_factor::Entity::delete_by_id(user_id).exec(db).await?;
    recovery_code::Entity::delete_many()
        .filter(recovery_code::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    let unlinked = user::Entity::update_many()
        .col_expr(
            user::Column::DuoLinkedAt,
            Expr::value(Option::<chrono::DateTime<Utc>>::None),
        )
        .filter(user::Column::Id.eq(user_id))
        .filter(user::Column::DuoLinkedAt.is_not_null())
        .exec(db)
        .await?;
    Ok(removed.rows_affected > 0 || unlinked.rows_affected > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recovery_code_matches_however_it_is_typed() {
        assert_eq!(
            hash_recovery_code("abcde-fghjk"),
            hash_recovery_code(" ABCDE fghjk ")
        );
        assert_ne!(
            hash_recovery_code("abcde-fghjk"),
            hash_recovery_code("abcde-fghjm")
        );
    }

    #[test]
    fn recovery_codes_are_two_groups_of_five() {
        let code = new_recovery_code().unwrap();
        assert_eq!(code.len(), 11);
        assert_eq!(code.chars().nth(5), Some('-'));
    }
}
