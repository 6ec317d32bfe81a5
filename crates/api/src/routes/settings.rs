use actix_web::{get, put, web};
use domain::AzureTenantId;
use entity::tenant;
use proto::{AzureLogin, Claim, WindowsGpSettings};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, TransactionTrait};

use crate::json_object::JsonObject;
use crate::{
    audit::{self, AuditRecord},
    auth::Caller,
    error::ApiError,
    state::AppState,
    tenancy,
};

/// The caller's Azure (Entra) tenant ID.
#[utoipa::path(
    tag = "settings",
    responses(
        (status = 200, description = "The saved tenant ID, or null", body = AzureLogin),
        (status = 401, description = "Not signed in", body = proto::Problem, content_type = "application/problem+json"),
        (status = 403, description = "Needs `manage_customer_settings` on a reseller or distributor", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[get("/settings/azure-login")]
pub async fn get_azure_login(
    state: web::Data<AppState>,
    caller: Caller,
) -> Result<web::Json<AzureLogin>, ApiError> {
    caller.require(Claim::ManageCustomerSettings)?;
    let own = tenancy::find_partner_tenant(&state.db, &caller).await?;
    Ok(web::Json(AzureLogin {
        tenant_id: own.azure_tenant_id,
    }))
}

/// Saves (or, with null or an empty string, clears) the caller's Azure tenant ID. The GUID may be
/// upper- or lower-case and in braces; it is stored lower-case.
#[utoipa::path(
    tag = "settings",
    request_body = AzureLogin,
    responses(
        (status = 200, description = "Saved", body = AzureLogin),
        (status = 400, description = "Malformed body", body = proto::Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = proto::Problem, content_type = "application/problem+json"),
        (status = 403, description = "Needs `manage_customer_settings` on a reseller or distributor", body = proto::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a GUID", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[put("/settings/azure-login")]
pub async fn put_azure_login(
    state: web::Data<AppState>,
    caller: Caller,
    body: JsonObject<AzureLogin>,
) -> Result<web::Json<AzureLogin>, ApiError> {
    caller.require(Claim::ManageCustomerSettings)?;
    let tenant_id = match body.tenant_id.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(raw) => Some(
            AzureTenantId::parse(raw)
                .map_err(|error| ApiError::field("tenant_id", "invalid_guid", error.to_string()))?
                .to_string(),
        ),
    };
    let transaction = state.db.begin().await?;
    let own = tenancy::find_partner_tenant(&transaction, &caller).await?;
    let before = own.azure_tenant_id.clone();
    if before != tenant_id {
        let mut changed: tenant::ActiveModel = own.into();
        changed.azure_tenant_id = Set(tenant_id.clone());
        changed.update(&transaction).await?;
        audit::record(
            &transaction,
            AuditRecord::by(
                &caller,
                "settings.azure_login.update",
                format!("tenant:{}", caller.tenant_id),
            )
            .with_details(serde_json::json!({ "before": before, "after": tenant_id })),
        )
        .await?;
    }
    transaction.commit().await?;
    Ok(web::Json(AzureLogin { tenant_id }))
}

/// Reseller Master GPs Distribution.
#[utoipa::path(
    tag = "endpoint-settings",
    responses(
        (status = 200, description = "The setting", body = WindowsGpSettings),
        (status = 401, description = "Not signed in", body = proto::Problem, content_type = "application/problem+json"),
        (status = 403, description = "Needs `view_endpoint_settings` on a reseller or distributor", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[get("/endpoint-settings/windows-gp")]
pub async fn get_windows_gp(
    state: web::Data<AppState>,
    caller: Caller,
) -> Result<web::Json<WindowsGpSettings>, ApiError> {
    caller.require(Claim::ViewEndpointSettings)?;
    let own = tenancy::find_partner_tenant(&state.db, &caller).await?;
    Ok(web::Json(WindowsGpSettings {
        master_gp_distribution: own.master_gp_distribution,
    }))
}

/// Turns Reseller Master GPs Distribution on or off.
#[utoipa::path(
    tag = "endpoint-settings",
    request_body = WindowsGpSettings,
    responses(
        (status = 200, description = "Saved", body = WindowsGpSettings),
        (status = 400, description = "Malformed body", body = proto::Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = proto::Problem, content_type = "application/problem+json"),
        (status = 403, description = "Needs `edit_endpoint_settings` on a reseller or distributor", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[put("/endpoint-settings/windows-gp")]
pub async fn put_windows_gp(
    state: web::Data<AppState>,
    caller: Caller,
    body: JsonObject<WindowsGpSettings>,
) -> Result<web::Json<WindowsGpSettings>, ApiError> {
    caller.require(Claim::EditEndpointSettings)?;
    let wanted = body.master_gp_distribution;
    let transaction = state.db.begin().await?;
    let own = tenancy::find_partner_tenant(&transaction, &caller).await?;
    if own.master_gp_distribution != wanted {
        let before = own.master_gp_distribution;
        let mut changed: tenant::ActiveModel = own.into();
        changed.master_gp_distribution = Set(wanted);
        changed.update(&transaction).await?;
        audit::record(
            &transaction,
            AuditRecord::by(
                &caller,
                "settings.master_gp_distribution.update",
                format!("tenant:{}", caller.tenant_id),
            )
            .with_details(serde_json::json!({ "before": before, "after": wanted })),
        )
        .await?;
    }
    transaction.commit().await?;
    Ok(web::Json(WindowsGpSettings {
        master_gp_distribution: wanted,
    }))
}
