//! A customer's stored record: its row and its licence key, built in one place for creation and
//! for the demo seed.

use chrono::{DateTime, Utc};
use domain::{ChurnScore, CustomerTenantName, LicenceKey, TenantName};
use entity::{
    customer::{self, CustomerType},
    licence_key,
};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect,
};
use uuid::Uuid;

use super::{CustomerError, conflict_of_violation};
use crate::{
    infra::auth::random_bytes,
    services::{storage, sub_tenant_news},
};

/// What a customer's row holds beyond what is derived (name key, churn score, created date).
pub struct CustomerRecord<'a> {
    /// The customer's own (Corporate) tenant, created first.
    pub tenant_id: Uuid,
    pub reseller_id: Uuid,
    pub name: &'a TenantName,
    /// The tenant name asked for (taken: 409); derived from the name when `None`.
    pub tenant_name: Option<&'a CustomerTenantName>,
    /// The display name asked for; the name when `None`.
    pub display_name: Option<&'a str>,
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
    let azure_name = match &record.azure_tenant_id {
        Some(tenant_id) => sub_tenant_news::seen_name(db, record.reseller_id, tenant_id).await?,
        None => None,
    };
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
        azure_name: Set(azure_name),
        created_at: Set(record.created_at),
        created_date: Set(record.created_at.format("%Y-%m-%d").to_string()),
        tenant_name: NotSet,
        display_name: NotSet,
    };
    let tenant_name = match record.tenant_name {
        Some(asked) => {
            if free_tenant_name(db, record.reseller_id, asked, None).await? != *asked {
                return Err(CustomerError::TenantNameTaken {
                    tenant_name: asked.as_str().to_owned(),
                });
            }
            asked.clone()
        }
        None => {
            free_tenant_name(
                db,
                record.reseller_id,
                &CustomerTenantName::derive(record.name.as_str()),
                None,
            )
            .await?
        }
    };
    let mut row = row;
    row.tenant_name = Set(tenant_name.as_str().to_owned());
    row.display_name = Set(record
        .display_name
        .unwrap_or(record.name.as_str())
        .to_owned());
    let inserted = row.insert(db).await.map_err(|error| {
        match conflict_of_violation(&error, Some(record.name), record.azure_tenant_id.as_deref()) {
            // Another request took the same name since it was chosen.
            Some(CustomerError::TenantNameTaken { .. }) => CustomerError::TenantNameTaken {
                tenant_name: tenant_name.as_str().to_owned(),
            },
            Some(conflict) => conflict,
            None => error.into(),
        }
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

/// `wanted`, or its first numbered alternative (`-2`, `-3`, …) that no other customer of the
/// reseller has (leaving out `except`, the customer being renamed). Candidates are asked for ten
/// at a time by equality, which the unique index answers.
pub async fn free_tenant_name(
    db: &impl ConnectionTrait,
    reseller_id: Uuid,
    wanted: &CustomerTenantName,
    except: Option<Uuid>,
) -> Result<CustomerTenantName, CustomerError> {
    const BATCH: u32 = 10;
    for batch in 0_u32.. {
        let candidates: Vec<CustomerTenantName> = (batch * BATCH..(batch + 1) * BATCH)
            .map(|n| match n {
                0 => wanted.clone(),
                n => wanted.with_suffix(n + 1),
            })
            .collect();
        let mut taken = customer::Entity::find()
            .select_only()
            .column(customer::Column::TenantName)
            .filter(customer::Column::ResellerId.eq(reseller_id))
            .filter(
                customer::Column::TenantName.is_in(
                    candidates
                        .iter()
                        .map(|candidate| candidate.as_str().to_owned()),
                ),
            );
        if let Some(except) = except {
            taken = taken.filter(customer::Column::TenantId.ne(except));
        }
        let taken: std::collections::HashSet<String> = taken
            .into_tuple::<String>()
            .all(db)
            .await?
            .into_iter()
            .collect();
        if let Some(free) = candidates
            .into_iter()
            .find(|candidate| !taken.contains(candidate.as_str()))
        {
            return Ok(free);
        }
    }
    Ok(wanted.clone())
}
