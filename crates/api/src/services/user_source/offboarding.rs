//! What the directory decides about a technician (SPEC §16): deactivated here when Microsoft
//! Entra removed or disabled them, whether the offboarding sync or a sign-in found it, and
//! remembered, so that an account Entra enables again is shown to an admin to reactivate rather
//! than reactivated silently.

use chrono::Utc;
use entity::{directory_offboarding, user};
use proto::ReenabledUser;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, sea_query::Expr,
};
use uuid::Uuid;

use crate::services::{
    audit::{self, AuditRecord, Source},
    sessions,
    storage::StorageError,
};

/// Who noticed that the directory let the technician go.
#[derive(Debug, Clone, Copy)]
pub enum NoticedBy {
    Sync,
    SignIn,
}

impl NoticedBy {
    fn as_str(self) -> &'static str {
        match self {
            Self::Sync => "sync",
            Self::SignIn => "sign_in",
        }
    }

    fn source(self) -> Source {
        match self {
            Self::Sync => Source::Job,
            Self::SignIn => Source::Api,
        }
    }
}

/// Deactivates `target` on `db` (a transaction) because the directory `reason`s: its sessions
/// end, the deactivation is audited and remembered. Answers false for an account already
/// inactive, which is left as it is.
pub(crate) async fn offboard(
    db: &impl ConnectionTrait,
    target: &user::Model,
    reason: &'static str,
    object_id: &str,
    noticed_by: NoticedBy,
) -> Result<bool, StorageError> {
    if !target.active {
        return Ok(false);
    }
    let now = Utc::now();
    let mut row: user::ActiveModel = target.clone().into();
    row.active = Set(false);
    row.modified_at = Set(Some(now));
    row.update(db).await?;
    sessions::end_all_of(db, target.id, None).await?;
    crate::services::jit_accounts::end_all_of_technician(db, target.id).await?;
    directory_offboarding::Entity::delete_by_id(target.id)
        .exec(db)
        .await?;
    directory_offboarding::ActiveModel {
        user_id: Set(target.id),
        tenant_id: Set(target.tenant_id),
        reason: Set(reason.to_owned()),
        offboarded_at: Set(now),
        reenabled_at: Set(None),
    }
    .insert(db)
    .await?;
    audit::record(
        db,
        AuditRecord {
            copy_to_msp: None,
            tenant_id: target.tenant_id,
            actor_user_id: None,
            source: noticed_by.source(),
            source_ip: None,
            action: "user.deactivate",
            target: format!("user:{}", target.id),
            details: Some(serde_json::json!({
                "email": target.email,
                "reason": reason,
                "entra_object_id": object_id,
                "noticed_by": noticed_by.as_str(),
            })),
        },
    )
    .await?;
    Ok(true)
}

/// Records that the directory enabled `user_id` again (or, with `enabled` false, that it no
/// longer is); only for a technician the directory offboarded.
pub(crate) async fn note_directory_state(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    enabled: bool,
) -> Result<(), StorageError> {
    let update = directory_offboarding::Entity::update_many()
        .filter(directory_offboarding::Column::UserId.eq(user_id));
    if enabled {
        update
            .col_expr(
                directory_offboarding::Column::ReenabledAt,
                Expr::value(Utc::now()),
            )
            .filter(directory_offboarding::Column::ReenabledAt.is_null())
            .exec(db)
            .await?;
    } else {
        update
            .col_expr(
                directory_offboarding::Column::ReenabledAt,
                Expr::value(Option::<chrono::DateTime<Utc>>::None),
            )
            .exec(db)
            .await?;
    }
    Ok(())
}

/// Forgets the directory's offboarding of `user_id`: an admin reactivated it.
pub(crate) async fn forget(db: &impl ConnectionTrait, user_id: Uuid) -> Result<(), StorageError> {
    directory_offboarding::Entity::delete_by_id(user_id)
        .exec(db)
        .await?;
    Ok(())
}

/// The tenant's technicians the directory offboarded and has since enabled again, still
/// inactive here: an admin decides whether to reactivate them.
pub async fn reenabled(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
) -> Result<Vec<ReenabledUser>, StorageError> {
    let rows = directory_offboarding::Entity::find()
        .filter(directory_offboarding::Column::TenantId.eq(tenant_id))
        .filter(directory_offboarding::Column::ReenabledAt.is_not_null())
        .find_also_related(user::Entity)
        .order_by_asc(directory_offboarding::Column::ReenabledAt)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(offboarding, account)| {
            let account = account.filter(|account| !account.active)?;
            Some(ReenabledUser {
                user_id: account.id,
                email: account.email,
                display_name: account.display_name,
                offboarded_because: offboarding.reason,
                offboarded_at: offboarding.offboarded_at,
                reenabled_at: offboarding.reenabled_at?,
            })
        })
        .collect())
}
