//! Per-user onboarding wizard progress in the database.

use chrono::Utc;
use domain::Wizard;
use entity::wizard_progress;
use proto::{WizardProgress, WizardStatus};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, EntityTrait};
use uuid::Uuid;

use crate::{error::ApiError, storage};

/// A user who never opened the wizard has no row: that is `not_started` on step 1.
pub async fn load(db: &impl ConnectionTrait, user_id: Uuid) -> Result<WizardProgress, ApiError> {
    let Some(row) = wizard_progress::Entity::find_by_id(user_id).one(db).await? else {
        return Ok(WizardProgress {
            status: WizardStatus::NotStarted,
            step: 1,
            history: Vec::new(),
        });
    };
    let history: Vec<u8> = serde_json::from_str(&row.history).map_err(|_| {
        ApiError::internal(anyhow::anyhow!(
            "stored wizard history {:?} is not valid",
            row.history
        ))
    })?;
    Ok(WizardProgress {
        status: storage::parse_wizard_status(&row.status)?,
        step: u8::try_from(row.step).map_err(|_| {
            ApiError::internal(anyhow::anyhow!(
                "stored wizard step {} is not valid",
                row.step
            ))
        })?,
        history,
    })
}

pub fn progress_of(wizard: &Wizard) -> WizardProgress {
    WizardProgress {
        status: wizard.status(),
        step: wizard.step().number(),
        history: wizard.history().iter().map(|step| step.number()).collect(),
    }
}

pub async fn save(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    progress: &WizardProgress,
    exists: bool,
) -> Result<(), ApiError> {
    let row = wizard_progress::ActiveModel {
        user_id: Set(user_id),
        status: Set(progress.status.as_str().to_owned()),
        step: Set(i16::from(progress.step)),
        history: Set(serde_json::Value::from(progress.history.clone()).to_string()),
        updated_at: Set(Utc::now()),
    };
    if exists {
        row.update(db).await?;
    } else {
        row.insert(db).await?;
    }
    Ok(())
}

pub async fn exists(db: &impl ConnectionTrait, user_id: Uuid) -> Result<bool, ApiError> {
    Ok(wizard_progress::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .is_some())
}
