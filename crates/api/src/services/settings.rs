//! A partner tenant's own settings: its Azure (Entra) tenant ID (SPEC §4), Reseller Master GPs
//! Distribution (SPEC §3) and whether the Azure customers grid shows new sub-tenants (issue 19).

use domain::AzureTenantId;
use entity::tenant;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait};

use crate::{
    infra::auth::Caller,
    services::{
        audit::{self, AuditRecord},
        storage::StorageError,
        tenancy::{self, TenancyError},
    },
};

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error(transparent)]
    Tenancy(#[from] TenancyError),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// The caller's saved Azure tenant ID, lower-case.
pub async fn azure_tenant_id(
    db: &impl ConnectionTrait,
    caller: &Caller,
) -> Result<Option<String>, SettingsError> {
    Ok(tenancy::find_partner_tenant(db, caller)
        .await?
        .azure_tenant_id)
}

/// Saves or (with `None`) clears the caller's Azure tenant ID on `db` (a transaction).
pub async fn set_azure_tenant_id(
    db: &impl ConnectionTrait,
    caller: &Caller,
    wanted: Option<AzureTenantId>,
) -> Result<Option<String>, SettingsError> {
    let wanted = wanted.map(|id| id.to_string());
    let own = tenancy::find_partner_tenant(db, caller).await?;
    let before = own.azure_tenant_id.clone();
    if before != wanted {
        let mut changed: tenant::ActiveModel = own.into();
        changed.azure_tenant_id = Set(wanted.clone());
        changed.update(db).await?;
        audit::record(
            db,
            AuditRecord::by(
                caller,
                "settings.azure_login.update",
                format!("tenant:{}", caller.tenant_id),
            )
            .with_details(serde_json::json!({ "before": before, "after": wanted })),
        )
        .await?;
    }
    Ok(wanted)
}

/// Whether the caller's enabled group policies go to new customers that opt in.
pub async fn master_gp_distribution(
    db: &impl ConnectionTrait,
    caller: &Caller,
) -> Result<bool, SettingsError> {
    Ok(tenancy::find_partner_tenant(db, caller)
        .await?
        .master_gp_distribution)
}

/// Turns Reseller Master GPs Distribution on or off on `db` (a transaction).
pub async fn set_master_gp_distribution(
    db: &impl ConnectionTrait,
    caller: &Caller,
    wanted: bool,
) -> Result<bool, SettingsError> {
    set_switch(
        db,
        caller,
        wanted,
        "settings.master_gp_distribution.update",
        |own| own.master_gp_distribution,
        |changed, value| changed.master_gp_distribution = Set(value),
    )
    .await
}

/// Sets one on/off setting of the caller's partner tenant, audited when it changes.
async fn set_switch(
    db: &impl ConnectionTrait,
    caller: &Caller,
    wanted: bool,
    action: &'static str,
    current: fn(&tenant::Model) -> bool,
    set: fn(&mut tenant::ActiveModel, bool),
) -> Result<bool, SettingsError> {
    let own = tenancy::find_partner_tenant(db, caller).await?;
    let before = current(&own);
    if before != wanted {
        let mut changed: tenant::ActiveModel = own.into();
        set(&mut changed, wanted);
        changed.update(db).await?;
        audit::record(
            db,
            AuditRecord::by(caller, action, format!("tenant:{}", caller.tenant_id))
                .with_details(serde_json::json!({ "before": before, "after": wanted })),
        )
        .await?;
    }
    Ok(wanted)
}

/// Whether the caller's Azure customers grid marks new and renamed sub-tenants.
pub async fn show_new_sub_tenants(
    db: &impl ConnectionTrait,
    caller: &Caller,
) -> Result<bool, SettingsError> {
    Ok(tenancy::find_partner_tenant(db, caller)
        .await?
        .show_new_sub_tenants)
}

/// Turns "Show new sub-tenants" on or off on `db` (a transaction).
pub async fn set_show_new_sub_tenants(
    db: &impl ConnectionTrait,
    caller: &Caller,
    wanted: bool,
) -> Result<bool, SettingsError> {
    set_switch(
        db,
        caller,
        wanted,
        "settings.show_new_sub_tenants.update",
        |own| own.show_new_sub_tenants,
        |changed, value| changed.show_new_sub_tenants = Set(value),
    )
    .await
}
