//! `/me`: the caller, its password and its second factor.

use actix_web::{HttpResponse, get, post, put, web};
use domain::NewPassword;
use entity::user;
use proto::{
    ChangePasswordRequest, ConfirmTotpRequest, Me, RecoveryCodes, TotpEnrolment, UserSummary,
};
use sea_orm::{EntityTrait, TransactionTrait};

use crate::{
    error::{ApiError, RequestError},
    infra::{
        auth::{AuthMethod, Caller, EnrollingCaller},
        state::AppState,
    },
    routes::json_object::JsonObject,
    services::{mfa, security_integrations, sessions, storage, tenancy, users::passwords, wizard},
};

async fn account(state: &AppState, caller: &Caller) -> Result<user::Model, ApiError> {
    Ok(user::Entity::find_by_id(caller.user_id)
        .one(&state.reads)
        .await?
        .ok_or(RequestError::Unauthenticated)?)
}

/// The caller: user, tenant, role, claims, whether MSP Onboarding is available to them, their
/// onboarding wizard progress and their second factor. A session waiting for MFA enrolment may
/// read it.
#[utoipa::path(
    tag = "auth",
    responses(
        (status = 200, description = "The caller", body = Me),
    )
)]
#[get("/me")]
pub async fn me(
    state: web::Data<AppState>,
    enrolling: EnrollingCaller,
) -> Result<web::Json<Me>, ApiError> {
    let caller = &enrolling.caller;
    let account = account(&state, caller).await?;
    let tenant = tenancy::find_tenant(&state.reads, caller.tenant_id).await?;
    let tenant = storage::tenant_summary(&tenant);
    let wizard = wizard::load(&state.reads, caller.user_id).await?;
    let mfa_enrolled = mfa::confirmed_factor(&state.reads, caller.user_id)
        .await?
        .is_some();
    let duo_available = security_integrations::enabled_duo(&state.reads, caller.home_tenant_id)
        .await?
        .is_some();
    let duo_linked = account.duo_linked_at.is_some();
    let customer_tenant =
        crate::services::customer_tenants::visit(&state.reads, &state.addresses, caller).await?;
    Ok(web::Json(Me {
        user: UserSummary {
            id: account.id,
            email: account.email,
            display_name: account.display_name,
        },
        feature_available: domain::feature_available(
            tenant.tenant_type,
            tenant.monthly_billing,
            &caller.claims,
        ),
        tenant,
        role: caller.role,
        claims: caller.claims.to_vec(),
        wizard,
        use_mfa: account.use_mfa,
        allow_ui_access: account.allow_ui_access,
        mfa_enrolled,
        mfa_enrolment_required: enrolling.enrolment_pending,
        duo_linked,
        duo_available,
        customer_tenant,
    }))
}

/// Changes the caller's password (the current one is required). Every other session of the
/// caller ends.
#[utoipa::path(
    tag = "auth",
    request_body = ChangePasswordRequest,
    responses(
        (status = 204, description = "Changed"),
        (status = 400, description = "Malformed body", body = proto::Problem, content_type = "application/problem+json"),
        (status = 403, description = "The current password is wrong", body = proto::Problem, content_type = "application/problem+json"),
        (status = 422, description = "The new password breaks the policy (12–1024 characters)", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[put("/me/password")]
pub async fn change_password(
    state: web::Data<AppState>,
    caller: Caller,
    body: JsonObject<ChangePasswordRequest>,
) -> Result<HttpResponse, ApiError> {
    let ChangePasswordRequest {
        current_password,
        new_password,
    } = body.into_inner();
    crate::routes::auth::bounded(
        "current_password",
        &current_password,
        NewPassword::MAX_CHARS,
    )?;
    let new_password = NewPassword::parse(&new_password)
        .map_err(|error| ApiError::field("new_password", "password_policy", error.to_string()))?;
    let transaction = state.db.begin().await?;
    passwords::change_password(&transaction, &caller, current_password, new_password).await?;
    transaction.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Starts enrolling an authenticator app: a new secret, its `otpauth://` URL and its QR code
/// (SVG). Confirm with a code to finish; until then the secret is shown again only by starting
/// over, and after that never.
#[utoipa::path(
    tag = "mfa",
    responses(
        (status = 201, description = "Started", body = TotpEnrolment),
        (status = 409, description = "An app is already enrolled", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[post("/me/mfa/totp")]
pub async fn begin_totp_enrolment(
    state: web::Data<AppState>,
    enrolling: EnrollingCaller,
) -> Result<HttpResponse, ApiError> {
    let account = account(&state, &enrolling.caller).await?;
    let transaction = state.db.begin().await?;
    let enrolment = mfa::begin_enrolment(&transaction, &state.mfa_key, &account).await?;
    transaction.commit().await?;
    Ok(HttpResponse::Created().json(enrolment))
}

/// Confirms the enrolment with the code the app shows now. Answers 10 single-use recovery codes,
/// shown this once; a session that was waiting for enrolment may now do everything.
#[utoipa::path(
    tag = "mfa",
    request_body = ConfirmTotpRequest,
    responses(
        (status = 200, description = "Enrolled", body = RecoveryCodes),
        (status = 400, description = "Malformed body", body = proto::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Nothing to confirm, or already enrolled", body = proto::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Wrong code", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[post("/me/mfa/totp/confirm")]
pub async fn confirm_totp_enrolment(
    state: web::Data<AppState>,
    enrolling: EnrollingCaller,
    body: JsonObject<ConfirmTotpRequest>,
) -> Result<web::Json<RecoveryCodes>, ApiError> {
    let caller = &enrolling.caller;
    crate::routes::auth::bounded("code", &body.code, 64)?;
    let account = account(&state, caller).await?;
    let transaction = state.db.begin().await?;
    let codes = mfa::confirm_enrolment(
        &transaction,
        &state.mfa_key,
        caller,
        &account.email,
        &body.code,
    )
    .await?;
    if let AuthMethod::Session { session_id } = caller.method {
        sessions::complete_enrolment(&transaction, session_id).await?;
    }
    transaction.commit().await?;
    Ok(web::Json(codes))
}

/// Replaces the caller's recovery codes with 10 new ones (shown this once); the old ones stop
/// working.
#[utoipa::path(
    tag = "mfa",
    responses(
        (status = 200, description = "New codes", body = RecoveryCodes),
        (status = 409, description = "No app is enrolled", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[post("/me/mfa/recovery-codes")]
pub async fn regenerate_recovery_codes(
    state: web::Data<AppState>,
    caller: Caller,
) -> Result<web::Json<RecoveryCodes>, ApiError> {
    let transaction = state.db.begin().await?;
    let codes = mfa::regenerate_recovery_codes(&transaction, &caller).await?;
    transaction.commit().await?;
    Ok(web::Json(codes))
}
