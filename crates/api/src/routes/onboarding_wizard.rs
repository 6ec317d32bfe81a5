use actix_web::{get, put, web};
use proto::WizardProgress;
use sea_orm::TransactionTrait;

use crate::{
    error::ApiError,
    infra::{auth::Caller, state::AppState},
    routes::json_object::JsonObject,
    services::wizard,
};

/// The caller's onboarding wizard progress.
#[utoipa::path(
    tag = "onboarding-wizard",
    responses(
        (status = 200, description = "The caller's progress", body = WizardProgress),
        (status = 403, description = "MSP Onboarding is not available to the caller", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[get("/onboarding-wizard")]
pub async fn get_wizard(
    state: web::Data<AppState>,
    caller: Caller,
) -> Result<web::Json<WizardProgress>, ApiError> {
    Ok(web::Json(wizard::progress(&state.reads, &caller).await?))
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
    let transaction = state.db.begin().await?;
    let progress = wizard::save_progress(&transaction, &caller, &body).await?;
    transaction.commit().await?;
    Ok(web::Json(progress))
}
