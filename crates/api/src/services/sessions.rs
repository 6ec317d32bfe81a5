//! Server-side web sessions: a sign-in creates one, the access token names it, and ending it
//! (sign-out, deactivation, a password change, an admin's change of rights) ends the token.

use chrono::{Duration, Utc};
use entity::{session, user};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    sea_query::{Expr, ExprTrait},
};
use uuid::Uuid;

use crate::services::storage::StorageError;

/// A session and its user, both as they are now.
pub struct LiveSession {
    pub session: session::Model,
    pub user: user::Model,
}

/// Starts a session for `user`; `enrolment_pending` limits it to enrolling a second factor.
pub async fn start(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    ttl_secs: i64,
    enrolment_pending: bool,
    source_ip: Option<String>,
) -> Result<session::Model, StorageError> {
    let now = Utc::now();
    Ok(session::ActiveModel {
        id: Set(Uuid::new_v4()),
        user_id: Set(user_id),
        created_at: Set(now),
        expires_at: Set(now + Duration::seconds(ttl_secs)),
        revoked_at: Set(None),
        enrolment_pending: Set(enrolment_pending),
        source_ip: Set(source_ip),
        customer_tenant_id: Set(None),
        parent_session_id: Set(None),
    }
    .insert(db)
    .await?)
}

/// The session `id` of `user_id` if it is still open and its user may still use the web app:
/// one read by primary key, joined to the user, so rights are as of this request.
pub async fn live(
    db: &impl ConnectionTrait,
    id: Uuid,
    user_id: Uuid,
) -> Result<Option<LiveSession>, StorageError> {
    let found = session::Entity::find_by_id(id)
        .find_also_related(user::Entity)
        .one(db)
        .await?;
    let now = Utc::now();
    Ok(match found {
        Some((session, Some(user)))
            if session.user_id == user_id
                && session.revoked_at.is_none()
                && session.expires_at > now
                && user.active
                && user.allow_ui_access =>
        {
            Some(LiveSession { session, user })
        }
        _ => None,
    })
}

/// Ends one session (sign-out), and the customer-tenant sessions opened from it.
pub async fn end(db: &impl ConnectionTrait, id: Uuid) -> Result<(), StorageError> {
    session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(
            session::Column::Id
                .eq(id)
                .or(session::Column::ParentSessionId.eq(id)),
        )
        .filter(session::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Ends every open session of `user_id` except `keep` (the one that changed the password).
pub async fn end_all_of(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    keep: Option<Uuid>,
) -> Result<u64, StorageError> {
    let mut update = session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(session::Column::UserId.eq(user_id))
        .filter(session::Column::RevokedAt.is_null());
    if let Some(keep) = keep {
        update = update.filter(session::Column::Id.ne(keep));
    }
    Ok(update.exec(db).await?.rows_affected)
}

/// The session may now do everything its user may (a factor was enrolled).
pub async fn complete_enrolment(db: &impl ConnectionTrait, id: Uuid) -> Result<(), StorageError> {
    session::Entity::update_many()
        .col_expr(session::Column::EnrolmentPending, Expr::value(false))
        .filter(session::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Deletes sessions that ended or expired more than a day ago.
pub async fn purge_stale(db: &impl ConnectionTrait) -> Result<u64, StorageError> {
    let cutoff = Utc::now() - Duration::days(1);
    Ok(session::Entity::delete_many()
        .filter(
            session::Column::ExpiresAt
                .lt(cutoff)
                .or(session::Column::RevokedAt.lt(cutoff)),
        )
        .exec(db)
        .await?
        .rows_affected)
}
