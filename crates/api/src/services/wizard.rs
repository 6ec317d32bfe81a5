//! Each user's onboarding wizard progress (SPEC §5): where MSP Onboarding is available, the web
//! app's state machine saves every move here, and a reload resumes from it.

use chrono::Utc;
use domain::{Wizard, WizardProgressError};
use entity::{StepHistory, wizard_progress};
use proto::{WizardProgress, WizardStatus};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, EntityTrait};
use uuid::Uuid;

use crate::{
    infra::auth::Caller,
    services::{
        access::AccessDenied,
        audit::{self, AuditRecord},
        storage::StorageError,
        tenancy::{self, TenancyError},
    },
};

#[derive(Debug, thiserror::Error)]
pub enum WizardError {
    /// A move the rules of §5 (or the caller's claims) do not allow.
    #[error(transparent)]
    InvalidProgress(#[from] WizardProgressError),
    #[error(transparent)]
    Denied(#[from] AccessDenied),
    #[error(transparent)]
    Tenancy(#[from] TenancyError),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// The wizard exists only where MSP Onboarding is available (SPEC §2).
async fn require_feature(db: &impl ConnectionTrait, caller: &Caller) -> Result<(), WizardError> {
    let tenant = tenancy::find_tenant(db, caller.tenant_id).await?;
    domain::feature_availability(tenant.tenant_type, tenant.monthly_billing, &caller.claims)
        .map_err(|unavailable| AccessDenied::from(unavailable).into())
}

/// A user who never opened the wizard has no row: that is `not_started` on step 1.
pub async fn load(
    db: &impl ConnectionTrait,
    user_id: Uuid,
) -> Result<WizardProgress, StorageError> {
    let Some(row) = wizard_progress::Entity::find_by_id(user_id).one(db).await? else {
        return Ok(WizardProgress {
            status: WizardStatus::NotStarted,
            step: 1,
            history: Vec::new(),
        });
    };
    Ok(WizardProgress {
        status: row.status,
        step: u8::try_from(row.step).map_err(|_| StorageError::Corrupt {
            what: "wizard step",
            value: row.step.to_string(),
        })?,
        history: row.history.0,
    })
}

/// The caller's progress, where the wizard is available to them.
pub async fn progress(
    db: &impl ConnectionTrait,
    caller: &Caller,
) -> Result<WizardProgress, WizardError> {
    require_feature(db, caller).await?;
    Ok(load(db, caller.user_id).await?)
}

/// Saves the caller's move on `db` (a transaction), checked against §5 and the caller's claims.
/// Opening, dismissing and completing are audited; moving between steps is navigation.
pub async fn save_progress(
    db: &impl ConnectionTrait,
    caller: &Caller,
    sent: &WizardProgress,
) -> Result<WizardProgress, WizardError> {
    require_feature(db, caller).await?;
    let progress = Wizard::parse_progress(sent, &caller.claims)?.progress();
    let stored = wizard_progress::Entity::find_by_id(caller.user_id)
        .one(db)
        .await?;
    // No row yet is `not_started`, as `load` reads it.
    let before_status = stored
        .as_ref()
        .map_or(WizardStatus::NotStarted, |row| row.status);
    let row = wizard_progress::ActiveModel {
        user_id: Set(caller.user_id),
        status: Set(progress.status),
        step: Set(i16::from(progress.step)),
        history: Set(StepHistory(progress.history.clone())),
        updated_at: Set(Utc::now()),
    };
    if stored.is_some() {
        row.update(db).await?;
    } else {
        row.insert(db).await?;
    }
    if before_status != progress.status {
        audit::record(
            db,
            AuditRecord::by(
                caller,
                "onboarding_wizard.status",
                format!("user:{}", caller.user_id),
            )
            .with_details(serde_json::json!({
                "before": before_status.as_str(),
                "after": progress.status.as_str(),
                "step": progress.step,
            })),
        )
        .await?;
    }
    Ok(progress)
}
