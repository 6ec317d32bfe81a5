//! Device activations against a customer's licence key (SPEC §8): one active licence per
//! device, never more than the customer bought, none after the key expires.

use chrono::Utc;
use domain::{ChurnScore, LicenceKey};
use entity::{activation, customer, licence_key};
use proto::LicenceUsage;
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    sea_query::{Expr, ExprTrait},
};
use uuid::Uuid;

use crate::{
    infra::auth::Caller,
    services::{
        audit::{self, AuditRecord},
        customers::{self, CustomerError},
        storage::{self, StorageError, is_unique_violation},
        tenancy,
    },
};

#[derive(Debug, thiserror::Error)]
pub enum ActivationError {
    /// No such key, or one the caller may not see: the two are never told apart.
    #[error("no such licence key")]
    KeyNotFound,
    #[error("this licence key expired on {on}; renew it to activate devices")]
    Expired { on: String },
    #[error("all {total} licences are in use; deactivate a device or buy more licences")]
    NoFreeLicences { total: i32 },
    #[error("this device is being activated by another request")]
    InProgress,
    #[error(transparent)]
    Customer(#[from] CustomerError),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl From<tenancy::TenancyError> for ActivationError {
    fn from(error: tenancy::TenancyError) -> Self {
        Self::Customer(error.into())
    }
}

/// A device and the key it activates against.
pub struct DeviceActivation {
    pub key: LicenceKey,
    pub device_id: String,
}

/// The key and its customer, if the caller may see them.
async fn find_key(
    db: &impl ConnectionTrait,
    caller: &Caller,
    key: &LicenceKey,
) -> Result<(licence_key::Model, customer::Model), ActivationError> {
    let stored = licence_key::Entity::find()
        .filter(licence_key::Column::Key.eq(key.as_str()))
        .one(db)
        .await?
        .ok_or(ActivationError::KeyNotFound)?;
    let own = tenancy::find_tenant(db, caller.tenant_id).await?;
    let owner = match customers::find_visible_customer(db, &own, stored.customer_id).await {
        Err(CustomerError::NotFound) => return Err(ActivationError::KeyNotFound),
        other => other?,
    };
    Ok((stored, owner))
}

/// Recomputes the churn score after the active count changed, and reports the usage.
async fn settle(
    db: &impl ConnectionTrait,
    customer_id: Uuid,
    key: &licence_key::Model,
    device_active: bool,
) -> Result<LicenceUsage, ActivationError> {
    let row = customer::Entity::find_by_id(customer_id)
        .one(db)
        .await?
        .ok_or(ActivationError::KeyNotFound)?;
    let active = storage::count("active licences", row.active_licenses)?;
    let total = storage::count("total licences", row.total_licenses)?;
    let churn = ChurnScore::compute(active, total, key.expires_at, Utc::now()).value();
    if i16::from(churn) != row.churn_score {
        let mut changed: customer::ActiveModel = row.into();
        changed.churn_score = Set(i16::from(churn));
        changed.update(db).await?;
    }
    Ok(LicenceUsage {
        customer_id,
        active_licenses: active,
        total_licenses: total,
        churn_score: churn,
        device_active,
    })
}

/// Whether the activation was new (`true`) or the device was already active.
pub struct Activated {
    pub usage: LicenceUsage,
    pub newly: bool,
}

/// Activates a device on `db` (a transaction): one more active licence.
pub async fn activate(
    db: &impl ConnectionTrait,
    caller: &Caller,
    device: DeviceActivation,
) -> Result<Activated, ActivationError> {
    let DeviceActivation { key, device_id } = device;
    let (stored, owner) = find_key(db, caller, &key).await?;
    let already = activation::Entity::find()
        .filter(activation::Column::LicenceKeyId.eq(stored.id))
        .filter(activation::Column::DeviceId.eq(device_id.clone()))
        .one(db)
        .await?;
    if already.is_some() {
        let usage = settle(db, owner.tenant_id, &stored, true).await?;
        return Ok(Activated {
            usage,
            newly: false,
        });
    }
    if stored.expires_at <= Utc::now() {
        return Err(ActivationError::Expired {
            on: stored.expires_at.format("%Y-%m-%d").to_string(),
        });
    }
    // One conditional update: two activations racing for the last licence cannot both win.
    let counted = customer::Entity::update_many()
        .col_expr(
            customer::Column::ActiveLicenses,
            Expr::col(customer::Column::ActiveLicenses).add(1),
        )
        .filter(customer::Column::TenantId.eq(owner.tenant_id))
        .filter(
            Expr::col(customer::Column::ActiveLicenses)
                .lt(Expr::col(customer::Column::TotalLicenses)),
        )
        .exec(db)
        .await?;
    if counted.rows_affected == 0 {
        return Err(ActivationError::NoFreeLicences {
            total: owner.total_licenses,
        });
    }
    activation::ActiveModel {
        id: Set(Uuid::new_v4()),
        licence_key_id: Set(stored.id),
        device_id: Set(device_id.clone()),
        activated_at: Set(Utc::now()),
    }
    .insert(db)
    .await
    .map_err(|error| {
        if is_unique_violation(&error) {
            ActivationError::InProgress
        } else {
            error.into()
        }
    })?;
    let usage = settle(db, owner.tenant_id, &stored, true).await?;
    audit::record(
        db,
        AuditRecord::by(
            caller,
            "licence.activate",
            format!("customer:{}", owner.tenant_id),
        )
        .with_details(serde_json::json!({
            "device_id": device_id,
            "active_licenses": usage.active_licenses,
        })),
    )
    .await?;
    Ok(Activated { usage, newly: true })
}

/// Deactivates a device on `db` (a transaction): its licence is free again. A device that is not
/// active changes nothing.
pub async fn deactivate(
    db: &impl ConnectionTrait,
    caller: &Caller,
    device: DeviceActivation,
) -> Result<LicenceUsage, ActivationError> {
    let DeviceActivation { key, device_id } = device;
    let (stored, owner) = find_key(db, caller, &key).await?;
    let removed = activation::Entity::delete_many()
        .filter(activation::Column::LicenceKeyId.eq(stored.id))
        .filter(activation::Column::DeviceId.eq(device_id.clone()))
        .exec(db)
        .await?;
    if removed.rows_affected > 0 {
        customer::Entity::update_many()
            .col_expr(
                customer::Column::ActiveLicenses,
                Expr::col(customer::Column::ActiveLicenses).sub(1),
            )
            .filter(customer::Column::TenantId.eq(owner.tenant_id))
            .filter(customer::Column::ActiveLicenses.gt(0))
            .exec(db)
            .await?;
    }
    let usage = settle(db, owner.tenant_id, &stored, false).await?;
    if removed.rows_affected > 0 {
        audit::record(
            db,
            AuditRecord::by(
                caller,
                "licence.deactivate",
                format!("customer:{}", owner.tenant_id),
            )
            .with_details(serde_json::json!({
                "device_id": device_id,
                "active_licenses": usage.active_licenses,
            })),
        )
        .await?;
    }
    Ok(usage)
}
