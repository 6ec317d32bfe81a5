//! Setting a password: an invitee accepting its single-use link (valid 7 days), a user changing
//! its own (which ends its other sessions).

use chrono::{Duration, Utc};
use domain::NewPassword;
use entity::{invitation, user};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    sea_query::Expr,
};
use uuid::Uuid;

use super::{UserError, hash_off_thread};
use crate::{
    infra::auth::{self, ApiTokenSecret, Caller},
    services::{
        audit::{self, AuditRecord, Source},
        sessions,
    },
};

pub const INVITATION_VALID_DAYS: i64 = 7;

/// A new invitation for `user_id`: the token for its link, and when it expires.
pub async fn issue_invitation(
    db: &impl ConnectionTrait,
    caller: &Caller,
    user_id: Uuid,
) -> Result<(String, chrono::DateTime<Utc>), UserError> {
    // The same shape and entropy as an API token, without the prefix that marks those.
    let token =
        ApiTokenSecret::generate()?.into_string()[ApiTokenSecret::PREFIX.len()..].to_owned();
    let now = Utc::now();
    let expires_at = now + Duration::days(INVITATION_VALID_DAYS);
    invitation::ActiveModel {
        id: Set(Uuid::new_v4()),
        user_id: Set(user_id),
        token_hash: Set(ApiTokenSecret::hash_of(&token)),
        created_by: Set(caller.user_id),
        created_at: Set(now),
        expires_at: Set(expires_at),
        used_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok((token, expires_at))
}

/// Sets the invitee's password and uses the invitation up, on `db` (a transaction). Two
/// acceptances racing each other: one wins, the other is refused.
pub async fn accept_invitation(
    db: &impl ConnectionTrait,
    token: &str,
    password: NewPassword,
    source_ip: Option<String>,
) -> Result<(), UserError> {
    let now = Utc::now();
    let found = invitation::Entity::find()
        .filter(invitation::Column::TokenHash.eq(ApiTokenSecret::hash_of(token.trim())))
        .one(db)
        .await?
        .filter(|found| found.used_at.is_none() && found.expires_at > now)
        .ok_or(UserError::InvitationInvalid)?;
    let used = invitation::Entity::update_many()
        .col_expr(invitation::Column::UsedAt, Expr::value(now))
        .filter(invitation::Column::Id.eq(found.id))
        .filter(invitation::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    if used.rows_affected != 1 {
        return Err(UserError::InvitationInvalid);
    }
    let invitee = user::Entity::find_by_id(found.user_id)
        .one(db)
        .await?
        .ok_or(UserError::InvitationInvalid)?;
    let password_hash = hash_off_thread(password).await?;
    let (tenant_id, user_id) = (invitee.tenant_id, invitee.id);
    let mut accepted: user::ActiveModel = invitee.into();
    accepted.password_hash = Set(password_hash);
    accepted.update(db).await?;
    audit::record(
        db,
        AuditRecord {
            copy_to_msp: None,
            tenant_id,
            actor_user_id: Some(user_id),
            source: Source::Api,
            source_ip,
            action: "user.accept_invitation",
            target: format!("user:{user_id}"),
            details: None,
        },
    )
    .await?;
    Ok(())
}

/// Changes the caller's own password after checking the current one; every other session of
/// the caller ends.
pub async fn change_password(
    db: &impl ConnectionTrait,
    caller: &Caller,
    current_password: String,
    new_password: NewPassword,
) -> Result<(), UserError> {
    let user = user::Entity::find_by_id(caller.user_id)
        .one(db)
        .await?
        .ok_or(UserError::NotFound)?;
    let stored = Some(user.password_hash.clone()).filter(|hash| !hash.is_empty());
    let verified = auth::with_hashing_slot(move || {
        auth::verify_password_or_dummy(&current_password, stored.as_deref())
    })
    .await?;
    if !verified {
        return Err(UserError::WrongCurrentPassword);
    }
    let password_hash = hash_off_thread(new_password).await?;
    let mut changed: user::ActiveModel = user.into();
    changed.password_hash = Set(password_hash);
    changed.update(db).await?;
    let keep = match caller.method {
        auth::AuthMethod::Session { session_id } => Some(session_id),
        auth::AuthMethod::ApiToken { .. } => None,
    };
    sessions::end_all_of(db, caller.user_id, keep).await?;
    audit::record(
        db,
        AuditRecord::by(
            caller,
            "user.change_password",
            format!("user:{}", caller.user_id),
        ),
    )
    .await?;
    Ok(())
}
