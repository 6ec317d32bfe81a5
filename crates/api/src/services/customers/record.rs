//! A customer's stored record: its row and its licence key, built in one place for creation and
//! for the demo seed.

use chrono::{DateTime, Utc};
use domain::{ChurnScore, LicenceKey, TenantName};
use entity::{
    customer::{self, CustomerType},
    licence_key,
};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait};
use uuid::Uuid;

use super::{CustomerError, conflict_of_violation};
use crate::{infra::auth::random_bytes, services::storage};

/// What a customer's row holds beyond what is derived (name key, churn score, created date).
pub struct CustomerRecord<'a> {
    /// The customer's own (Corporate) tenant, created first.
    pub tenant_id: Uuid,
    pub reseller_id: Uuid,
    pub name: &'a TenantName,
    pub email: String,
    pub details: Option<String>,
    pub total_licenses: u32,
    pub active_licenses: u32,
    pub spla: bool,
    pub opt_in_master_gp: bool,
    pub azure_tenant_id: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// Stores the row and a licence key valid for a year from `created_at`. A name or tenant ID
/// that another request took since the caller checked is reported as that conflict.
pub async fn insert_record(
    db: &impl ConnectionTrait,
    record: CustomerRecord<'_>,
) -> Result<(customer::Model, licence_key::Model), CustomerError> {
    let key = LicenceKey::from_random_bytes(random_bytes::<16>()?);
    let expires_at = LicenceKey::expiry_for(record.created_at);
    let (total, active) = (record.total_licenses, record.active_licenses);
    let churn = ChurnScore::compute(active, total, expires_at, Utc::now()).value();
    let row = customer::ActiveModel {
        tenant_id: Set(record.tenant_id),
        reseller_id: Set(record.reseller_id),
        name: Set(record.name.as_str().to_owned()),
        name_key: Set(record.name.key()),
        customer_type: Set(CustomerType::Corporate),
        email: Set(record.email),
        details: Set(record.details),
        total_licenses: Set(storage::count_column("total licences", total)?),
        active_licenses: Set(storage::count_column("active licences", active)?),
        spla: Set(record.spla),
        opt_in_master_gp: Set(record.opt_in_master_gp),
        churn_score: Set(i16::from(churn)),
        azure_tenant_id: Set(record.azure_tenant_id.clone()),
        created_at: Set(record.created_at),
        created_date: Set(record.created_at.format("%Y-%m-%d").to_string()),
    };
    let inserted = row.insert(db).await.map_err(|error| {
        conflict_of_violation(&error, Some(record.name), record.azure_tenant_id.as_deref())
            .unwrap_or_else(|| error.into())
    })?;
    let key = licence_key::ActiveModel {
        id: Set(Uuid::new_v4()),
        customer_id: Set(inserted.tenant_id),
        key: Set(key.as_str().to_owned()),
        created_at: Set(record.created_at),
        expires_at: Set(expires_at),
    }
    .insert(db)
    .await?;
    Ok((inserted, key))
}
