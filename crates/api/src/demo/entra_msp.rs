//! The second demo MSP, whose admin is its only user, so that its user source can become the
//! fake Entra directory of `demo-entra.test` (SPEC §16 allows the switch with at most one user).

use domain::ClaimSet;
use entity::tenant;
use proto::{LicensingOption, Role, TenantType};
use sea_orm::DatabaseConnection;

use super::{ensure_tenant, ensure_user, name};
use crate::services::tenancy::NewTenant;

pub const ENTRA_RESELLER_NAME: &str = "Demo Entra MSP";
pub const DEMO_ENTRA_ADMIN_EMAIL: &str = "admin@demo-entra.test";

/// Demo Entra MSP under `distributor`, with its admin.
pub(super) async fn seed(
    db: &DatabaseConnection,
    distributor: &tenant::Model,
) -> anyhow::Result<()> {
    let entra_reseller = ensure_tenant(
        db,
        NewTenant {
            name: name(ENTRA_RESELLER_NAME)?,
            tenant_type: TenantType::Reseller,
            parent_id: Some(distributor.id),
            monthly_billing: true,
            licensing_options: LicensingOption::ALL.to_vec(),
            azure_tenant_id: None,
        },
        30,
    )
    .await?;
    ensure_user(
        db,
        entra_reseller.id,
        DEMO_ENTRA_ADMIN_EMAIL,
        Role::Admin,
        ClaimSet::all(),
    )
    .await?;
    Ok(())
}
