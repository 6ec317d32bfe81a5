use actix_web::{get, put, web};
use domain::AzureTenantId;
use proto::{AzureLogin, Claim, NewSubTenantsSetting, WindowsGpSettings};
use sea_orm::TransactionTrait;

use crate::{
    error::ApiError,
    infra::{auth::Caller, state::AppState},
    routes::json_object::JsonObject,
    services::settings,
};

/// The caller's Azure (Entra) tenant ID.
#[utoipa::path(
    tag = "settings",
    responses(
        (status = 200, description = "The saved tenant ID, or null", body = AzureLogin),
        (status = 403, description = "Needs `manage_customer_settings` on a reseller or distributor", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[get("/settings/azure-login")]
pub async fn get_azure_login(
    state: web::Data<AppState>,
    caller: Caller,
) -> Result<web::Json<AzureLogin>, ApiError> {
    caller.require(Claim::ManageCustomerSettings)?;
    Ok(web::Json(AzureLogin {
        tenant_id: settings::azure_tenant_id(&state.reads, &caller).await?,
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
    let wanted = match body.tenant_id.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(raw) => Some(
            AzureTenantId::parse(raw)
                .map_err(|error| ApiError::field("tenant_id", "invalid_guid", error.to_string()))?,
        ),
    };
    let transaction = state.db.begin().await?;
    let tenant_id = settings::set_azure_tenant_id(&transaction, &caller, wanted).await?;
    transaction.commit().await?;
    Ok(web::Json(AzureLogin { tenant_id }))
}

/// Whether the Azure customers grid marks the sub-tenants first seen since each user's previous
/// listing, and those renamed in Azure since a customer was created from them.
#[utoipa::path(
    tag = "settings",
    responses(
        (status = 200, description = "The setting", body = NewSubTenantsSetting),
        (status = 403, description = "Needs `manage_customer_settings` on a reseller or distributor", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[get("/settings/new-sub-tenants")]
pub async fn get_new_sub_tenants(
    state: web::Data<AppState>,
    caller: Caller,
) -> Result<web::Json<NewSubTenantsSetting>, ApiError> {
    caller.require(Claim::ManageCustomerSettings)?;
    Ok(web::Json(NewSubTenantsSetting {
        show_new_sub_tenants: settings::show_new_sub_tenants(&state.reads, &caller).await?,
    }))
}

/// Turns "Show new sub-tenants" on or off for your reseller (audited). The sub-tenants seen are
/// recorded at every listing either way (tenant IDs and names only), so turning it on marks what
/// is new since each user's previous listing.
#[utoipa::path(
    tag = "settings",
    request_body = NewSubTenantsSetting,
    responses(
        (status = 200, description = "Saved", body = NewSubTenantsSetting),
        (status = 400, description = "Malformed body", body = proto::Problem, content_type = "application/problem+json"),
        (status = 403, description = "Needs `manage_customer_settings` on a reseller or distributor", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[put("/settings/new-sub-tenants")]
pub async fn put_new_sub_tenants(
    state: web::Data<AppState>,
    caller: Caller,
    body: JsonObject<NewSubTenantsSetting>,
) -> Result<web::Json<NewSubTenantsSetting>, ApiError> {
    caller.require(Claim::ManageCustomerSettings)?;
    let transaction = state.db.begin().await?;
    let show_new_sub_tenants =
        settings::set_show_new_sub_tenants(&transaction, &caller, body.show_new_sub_tenants)
            .await?;
    transaction.commit().await?;
    Ok(web::Json(NewSubTenantsSetting {
        show_new_sub_tenants,
    }))
}

/// Reseller Master GPs Distribution.
#[utoipa::path(
    tag = "endpoint-settings",
    responses(
        (status = 200, description = "The setting", body = WindowsGpSettings),
        (status = 403, description = "Needs `view_endpoint_settings` on a reseller or distributor", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[get("/endpoint-settings/windows-gp")]
pub async fn get_windows_gp(
    state: web::Data<AppState>,
    caller: Caller,
) -> Result<web::Json<WindowsGpSettings>, ApiError> {
    caller.require(Claim::ViewEndpointSettings)?;
    Ok(web::Json(WindowsGpSettings {
        master_gp_distribution: settings::master_gp_distribution(&state.reads, &caller).await?,
    }))
}

/// Turns Reseller Master GPs Distribution on or off.
#[utoipa::path(
    tag = "endpoint-settings",
    request_body = WindowsGpSettings,
    responses(
        (status = 200, description = "Saved", body = WindowsGpSettings),
        (status = 400, description = "Malformed body", body = proto::Problem, content_type = "application/problem+json"),
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
    let transaction = state.db.begin().await?;
    let master_gp_distribution =
        settings::set_master_gp_distribution(&transaction, &caller, body.master_gp_distribution)
            .await?;
    transaction.commit().await?;
    Ok(web::Json(WindowsGpSettings {
        master_gp_distribution,
    }))
}
