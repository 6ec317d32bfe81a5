use actix_web::{get, web};
use entity::user;
use proto::{Me, UserSummary};
use sea_orm::EntityTrait;

use crate::{
    error::{ApiError, RequestError},
    infra::{auth::Caller, state::AppState},
    services::{storage, tenancy, wizard},
};

/// The caller: user, tenant, role, claims, whether MSP Onboarding is available to them, and
/// their onboarding wizard progress.
#[utoipa::path(
    tag = "auth",
    responses(
        (status = 200, description = "The caller", body = Me),
    )
)]
#[get("/me")]
pub async fn me(state: web::Data<AppState>, caller: Caller) -> Result<web::Json<Me>, ApiError> {
    // An account deleted after its token was issued no longer signs anything in.
    let account = user::Entity::find_by_id(caller.user_id)
        .one(&state.db)
        .await?
        .ok_or(RequestError::Unauthenticated)?;
    let tenant = tenancy::find_tenant(&state.db, caller.tenant_id).await?;
    let tenant = storage::tenant_summary(&tenant);
    let wizard = wizard::load(&state.db, caller.user_id).await?;
    Ok(web::Json(Me {
        user: UserSummary {
            id: account.id,
            email: account.email,
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
    }))
}
