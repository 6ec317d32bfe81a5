use actix_web::{get, put, web};
use domain::{Wizard, WizardProgressError};
use proto::WizardProgress;
use sea_orm::TransactionTrait;

use crate::json_object::JsonObject;
use crate::{
    audit::{self, AuditRecord},
    auth::Caller,
    error::ApiError,
    state::AppState,
    storage, tenancy, wizard_store,
};

/// The wizard exists only where MSP Onboarding is available (SPEC §2).
async fn require_feature(state: &AppState, caller: &Caller) -> Result<(), ApiError> {
    let tenant = tenancy::find_tenant(&state.db, caller.tenant_id).await?;
    let tenant_type = storage::parse_tenant_type(&tenant.tenant_type)?;
    if domain::feature_available(tenant_type, tenant.monthly_billing, &caller.claims) {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "MSP Onboarding is available to reseller and distributor tenants with monthly billing, to users with the `manage_customer_settings` permission".to_owned(),
        ))
    }
}

/// The caller's onboarding wizard progress.
#[utoipa::path(
    tag = "onboarding-wizard",
    responses(
        (status = 200, description = "The caller's progress", body = WizardProgress),
        (status = 401, description = "Not signed in", body = proto::Problem, content_type = "application/problem+json"),
        (status = 403, description = "MSP Onboarding is not available to the caller", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[get("/onboarding-wizard")]
pub async fn get_wizard(
    state: web::Data<AppState>,
    caller: Caller,
) -> Result<web::Json<WizardProgress>, ApiError> {
    require_feature(&state, &caller).await?;
    Ok(web::Json(
        wizard_store::load(&state.db, caller.user_id).await?,
    ))
}

fn field_of(error: &WizardProgressError) -> (&'static str, &'static str) {
    match error {
        WizardProgressError::StepOutOfRange => ("step", "out_of_range"),
        WizardProgressError::CannotResetToNotStarted => ("status", "not_settable"),
        WizardProgressError::CompletedOnWrongStep => ("status", "completed_on_wrong_step"),
        WizardProgressError::ImpossibleHistory => ("history", "impossible_history"),
        WizardProgressError::EndpointStepsHidden | WizardProgressError::EndpointStepsReadOnly => {
            ("step", "step_not_allowed")
        }
    }
}

/// Saves the caller's wizard progress: the web app's state machine calls it on every move, so a
/// reload resumes at the saved step. `dismissed` stops the automatic launch for good;
/// `in_progress` on step 1 is a relaunch. The steps a user's claims skip cannot be stored.
#[utoipa::path(
    tag = "onboarding-wizard",
    request_body = WizardProgress,
    responses(
        (status = 200, description = "Saved", body = WizardProgress),
        (status = 400, description = "Malformed body", body = proto::Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = proto::Problem, content_type = "application/problem+json"),
        (status = 403, description = "MSP Onboarding is not available to the caller", body = proto::Problem, content_type = "application/problem+json"),
        (status = 422, description = "A state the wizard cannot be in", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[put("/onboarding-wizard")]
pub async fn put_wizard(
    state: web::Data<AppState>,
    caller: Caller,
    body: JsonObject<WizardProgress>,
) -> Result<web::Json<WizardProgress>, ApiError> {
    require_feature(&state, &caller).await?;
    let wizard = Wizard::parse_stored(body.status, body.step, &body.history, &caller.claims)
        .map_err(|error| {
            let (field, code) = field_of(&error);
            ApiError::field(field, code, error.to_string())
        })?;
    let progress = wizard_store::progress_of(&wizard);
    let transaction = state.db.begin().await?;
    let before = wizard_store::load(&transaction, caller.user_id).await?;
    let exists = wizard_store::exists(&transaction, caller.user_id).await?;
    wizard_store::save(&transaction, caller.user_id, &progress, exists).await?;
    // Moving between steps is navigation; opening, dismissing and completing are changes.
    if before.status != progress.status {
        audit::record(
            &transaction,
            AuditRecord::by(&caller, "onboarding_wizard.status", format!("user:{}", caller.user_id)).with_details(
                serde_json::json!({ "before": before.status.as_str(), "after": progress.status.as_str(), "step": progress.step }),
            ),
        )
        .await?;
    }
    transaction.commit().await?;
    Ok(web::Json(progress))
}
