//! Devices' local administrator passwords (Windows LAPS) in a connected customer's directory,
//! for technicians with access to the customer: the list, and one password revealed on demand,
//! audited and never stored or logged.

use domain::AzureTenantId;
use msp_graph::{GraphClient, SignInApp};
use proto::{LapsDevice, RevealedLapsPassword};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::{JitAccountError, accessible_customer};
use crate::{
    infra::auth::Caller,
    services::{
        audit::{self, AuditRecord},
        customer_entra,
    },
};

/// The customer's consented directory, for someone with access to the customer.
async fn directory_of(
    db: &impl ConnectionTrait,
    caller: &Caller,
    app: Option<&SignInApp>,
    customer_id: Uuid,
) -> Result<(Uuid, AzureTenantId), JitAccountError> {
    let (_, customer) = accessible_customer(db, caller, customer_id).await?;
    let connection = customer_entra::stored(db, &customer).await?;
    let entra = customer_entra::connected_tenant(&connection).map_err(|_| {
        JitAccountError::NotReady(
            "an admin of your MSP must authorise this customer's Microsoft Entra directory first",
        )
    })?;
    app.ok_or(JitAccountError::AppNotConfigured)?;
    Ok((customer.tenant_id, entra))
}

/// The customer's devices with a backed-up password, by name.
pub async fn devices(
    db: &impl ConnectionTrait,
    caller: &Caller,
    graph: &GraphClient,
    app: Option<&SignInApp>,
    customer_id: Uuid,
) -> Result<Vec<LapsDevice>, JitAccountError> {
    let (_, entra) = directory_of(db, caller, app, customer_id).await?;
    let app = app.ok_or(JitAccountError::AppNotConfigured)?;
    let mut devices: Vec<LapsDevice> = graph
        .list_device_credentials(app, &entra)
        .await?
        .into_iter()
        .map(|device| LapsDevice {
            device_id: device.device_id,
            device_name: device.device_name,
            last_backup: device.last_backup,
        })
        .collect();
    devices.sort_by(|left, right| {
        left.device_name
            .to_lowercase()
            .cmp(&right.device_name.to_lowercase())
    });
    Ok(devices)
}

/// The device's newest local administrator password; audited in the customer tenant and the
/// MSP's log (without the password).
pub async fn reveal(
    db: &impl ConnectionTrait,
    caller: &Caller,
    graph: &GraphClient,
    app: Option<&SignInApp>,
    customer_id: Uuid,
    device_id: &str,
) -> Result<RevealedLapsPassword, JitAccountError> {
    let (customer_tenant, entra) = directory_of(db, caller, app, customer_id).await?;
    let app = app.ok_or(JitAccountError::AppNotConfigured)?;
    let found = graph
        .device_password(app, &entra, device_id)
        .await?
        .ok_or(JitAccountError::DeviceNotFound)?;
    audit::record(
        db,
        AuditRecord::by(
            &caller.inside(customer_tenant),
            "laps.reveal",
            format!("device:{device_id}"),
        )
        .with_details(serde_json::json!({
            "device_name": found.device_name,
            "account_name": found.account_name,
            "backup_time": found.backup_time,
        })),
    )
    .await?;
    Ok(RevealedLapsPassword {
        device_id: device_id.to_owned(),
        account_name: found.account_name,
        password: found.password.expose().to_owned(),
        backup_time: found.backup_time,
    })
}
