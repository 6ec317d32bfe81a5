//! Corporate customers: creation and updates under every rule of SPEC §7, the search of §6,
//! and the licence bookkeeping of §8.

mod create;
mod delete;
mod details;
mod listing;
mod people;
mod record;
mod search;
mod update;
mod view;

pub use create::create_customer;
pub use delete::delete_customer;
pub use listing::{Listed, TenantTerms, listed, listing};
pub use record::{CustomerRecord, free_tenant_name, insert_record};
pub use search::{
    CustomerSearch, ExportError, export_customers, search_customer_rows, search_customers,
};
pub use update::update_customer;
pub use view::{customer_views, customer_views_of_listed, find_visible_customer, view_of};

use domain::ResellerTerms;
use entity::{customer, customer_group_policy, group_policy, tenant};
use proto::{FieldError, TenantType};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};

use crate::{
    infra::{InfraFailure, auth::Caller},
    services::{
        access::AccessDenied,
        storage::StorageError,
        tenancy::{self, TenancyError},
    },
};

#[derive(Debug, thiserror::Error)]
pub enum CustomerError {
    /// Not in the caller's subtree, or not at all: the two are never told apart.
    #[error("no such customer")]
    NotFound,
    #[error("a customer named “{name}” already exists under your reseller (names ignore case)")]
    NameTaken { name: String },
    #[error("a customer with the Azure tenant ID {azure_tenant_id} already exists")]
    AzureTenantIdTaken { azure_tenant_id: String },
    #[error("this customer is linked to another Azure tenant ({azure_tenant_id}) already")]
    LinkedToAnotherAzureTenant { azure_tenant_id: String },
    #[error("another customer of your reseller has the tenant name “{tenant_name}”")]
    TenantNameTaken { tenant_name: String },
    /// Fields that break the rules of §7, each with its reason.
    #[error("the customer has invalid fields")]
    Invalid(Vec<FieldError>),
    #[error(transparent)]
    Denied(#[from] AccessDenied),
    #[error(transparent)]
    Tenancy(#[from] TenancyError),
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error(transparent)]
    Infra(#[from] InfraFailure),
}

pub fn terms_of(reseller: &tenant::Model) -> ResellerTerms {
    ResellerTerms {
        licensing_options: reseller.licensing_options.0.clone(),
        master_gp_distribution: reseller.master_gp_distribution,
    }
}

/// Customers are created under a reseller: the caller's own tenant.
pub async fn caller_reseller(
    db: &impl ConnectionTrait,
    caller: &Caller,
) -> Result<tenant::Model, CustomerError> {
    let own = tenancy::find_tenant(db, caller.tenant_id).await?;
    match own.tenant_type {
        TenantType::Reseller => Ok(own),
        TenantType::Distributor | TenantType::Corporate => Err(AccessDenied::NotAReseller.into()),
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
) -> Result<Option<CustomerError>, CustomerError> {
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
            return Ok(Some(CustomerError::NameTaken {
                name: name.as_str().to_owned(),
            }));
        }
    }
    if let Some(azure_tenant_id) = azure_tenant_id {
        let clash = others(customer::Entity::find())
            .filter(customer::Column::AzureTenantId.eq(azure_tenant_id))
            .one(db)
            .await?;
        if clash.is_some() {
            return Ok(Some(CustomerError::AzureTenantIdTaken {
                azure_tenant_id: azure_tenant_id.to_owned(),
            }));
        }
    }
    Ok(None)
}

/// Which uniqueness rule a refused write broke: the violated index says (a failed statement
/// ends a PostgreSQL transaction, so no further query can ask).
fn conflict_of_violation(
    error: &sea_orm::DbErr,
    name: Option<&domain::TenantName>,
    azure_tenant_id: Option<&str>,
) -> Option<CustomerError> {
    if !crate::services::storage::is_unique_violation(error) {
        return None;
    }
    if error.to_string().contains("tenant_name") {
        return Some(CustomerError::TenantNameTaken {
            tenant_name: String::new(),
        });
    }
    match (azure_tenant_id, name) {
        (Some(id), _) if error.to_string().contains("azure_tenant_id") => {
            Some(CustomerError::AzureTenantIdTaken {
                azure_tenant_id: id.to_owned(),
            })
        }
        (_, Some(name)) => Some(CustomerError::NameTaken {
            name: name.as_str().to_owned(),
        }),
        _ => None,
    }
}

/// Gives the customer its reseller's enabled group policies, all assigned at `now`; their IDs.
async fn assign_master_gps(
    db: &impl ConnectionTrait,
    customer_id: uuid::Uuid,
    reseller_id: uuid::Uuid,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<uuid::Uuid>, StorageError> {
    let policies = enabled_master_gps(db, reseller_id).await?;
    assign_group_policies(db, customer_id, &policies, now).await?;
    Ok(policies)
}

/// The reseller's enabled group policies, in the order a customer's view lists policies
/// assigned at one moment.
async fn enabled_master_gps(
    db: &impl ConnectionTrait,
    reseller_id: uuid::Uuid,
) -> Result<Vec<uuid::Uuid>, StorageError> {
    Ok(group_policy::Entity::find()
        .select_only()
        .column(group_policy::Column::Id)
        .filter(group_policy::Column::TenantId.eq(reseller_id))
        .filter(group_policy::Column::Enabled.eq(true))
        .order_by_asc(group_policy::Column::Id)
        .into_tuple::<uuid::Uuid>()
        .all(db)
        .await?)
}

async fn assign_group_policies(
    db: &impl ConnectionTrait,
    customer_id: uuid::Uuid,
    policies: &[uuid::Uuid],
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), StorageError> {
    for &policy_id in policies {
        customer_group_policy::ActiveModel {
            customer_id: Set(customer_id),
            group_policy_id: Set(policy_id),
            assigned_at: Set(now),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}
