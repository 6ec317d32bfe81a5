//! Corporate customers: creation and updates under every rule of SPEC §7, the search of §6,
//! and the licence bookkeeping of §8.

mod create;
mod search;
mod update;
mod view;

pub use create::create_customer;
pub use search::{SearchQuery, search_customers};
pub use update::update_customer;
pub use view::{customer_views, customer_views_with_tenants, find_visible_customer, with_tenants};

use domain::ResellerTerms;
use entity::{customer, customer_group_policy, group_policy, tenant};
use proto::TenantType;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};

use crate::{auth::Caller, error::ApiError, storage, tenancy};

pub const CUSTOMER_TYPE: &str = "Corporate";

pub fn terms_of(reseller: &tenant::Model) -> Result<ResellerTerms, ApiError> {
    Ok(ResellerTerms {
        licensing_options: storage::parse_licensing_options(&reseller.licensing_options)?,
        master_gp_distribution: reseller.master_gp_distribution,
    })
}

/// Customers are created under a reseller: the caller's own tenant.
pub async fn caller_reseller(
    db: &impl ConnectionTrait,
    caller: &Caller,
) -> Result<tenant::Model, ApiError> {
    let own = tenancy::find_tenant(db, caller.tenant_id).await?;
    match storage::parse_tenant_type(&own.tenant_type)? {
        TenantType::Reseller => Ok(own),
        TenantType::Distributor | TenantType::Corporate => Err(ApiError::Forbidden(
            "customers are created by resellers; sign in with a reseller account".to_owned(),
        )),
    }
}

fn name_taken(name: &str) -> ApiError {
    ApiError::Conflict {
        code: "name_exists",
        detail: format!(
            "a customer named “{name}” already exists under your reseller (names ignore case)"
        ),
    }
}

fn azure_tenant_id_taken(azure_tenant_id: &str) -> ApiError {
    ApiError::Conflict {
        code: "tenant_id_exists",
        detail: format!("a customer with the Azure tenant ID {azure_tenant_id} already exists"),
    }
}

/// Finds which uniqueness rule `name_key` / `azure_tenant_id` break for a reseller, if any,
/// leaving out `except` (the customer being updated).
async fn uniqueness_conflict(
    db: &impl ConnectionTrait,
    reseller_id: uuid::Uuid,
    name: Option<&domain::TenantName>,
    azure_tenant_id: Option<&str>,
    except: Option<uuid::Uuid>,
) -> Result<Option<ApiError>, ApiError> {
    let others = |select: sea_orm::Select<customer::Entity>| match except {
        Some(id) => select.filter(customer::Column::TenantId.ne(id)),
        None => select,
    };
    if let Some(name) = name {
        let clash = others(customer::Entity::find())
            .filter(customer::Column::ResellerId.eq(reseller_id))
            .filter(customer::Column::NameKey.eq(name.key()))
            .one(db)
            .await?;
        if clash.is_some() {
            return Ok(Some(name_taken(name.as_str())));
        }
    }
    if let Some(azure_tenant_id) = azure_tenant_id {
        let clash = others(customer::Entity::find())
            .filter(customer::Column::AzureTenantId.eq(azure_tenant_id))
            .one(db)
            .await?;
        if clash.is_some() {
            return Ok(Some(azure_tenant_id_taken(azure_tenant_id)));
        }
    }
    Ok(None)
}

/// Gives a customer the reseller's currently enabled group policies (its master GPs) and
/// returns their IDs.
async fn assign_master_gps(
    db: &impl ConnectionTrait,
    customer_id: uuid::Uuid,
    reseller_id: uuid::Uuid,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<uuid::Uuid>, ApiError> {
    let mut assigned = Vec::new();
    for policy in group_policy::Entity::find()
        .filter(group_policy::Column::TenantId.eq(reseller_id))
        .filter(group_policy::Column::Enabled.eq(true))
        .all(db)
        .await?
    {
        customer_group_policy::ActiveModel {
            customer_id: Set(customer_id),
            group_policy_id: Set(policy.id),
            assigned_at: Set(now),
        }
        .insert(db)
        .await?;
        assigned.push(policy.id);
    }
    Ok(assigned)
}
