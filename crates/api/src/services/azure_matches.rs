//! Linking Azure sub-tenants to the customers a reseller already has (issue 19): the suggested
//! match of each sub-tenant in the Azure customers grid, **Link** (the customer takes the
//! sub-tenant's tenant ID) and **Not this one** (never suggested again to this reseller).
//! The rules of a match live in `domain::suggest_matches`.

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use domain::{AzureTenantId, CustomerChanges, KnownCustomer, SubTenantFacts};
use entity::{customer, customer_match_rejection, tenant};
use msp_graph::SubTenant;
use proto::{Claim, Customer, CustomerMatch};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect,
    sea_query::OnConflict,
};
use uuid::Uuid;

use crate::{
    infra::auth::Caller,
    services::{
        audit::{self, AuditRecord},
        customers::{self, CustomerError},
        storage::StorageError,
    },
};

/// What matching reads of a customer: ID, name, e-mail, linked tenant ID.
type CustomerFacts = (Uuid, String, String, Option<String>);

/// The suggested match of each of `sub_tenants`, in their order, among `reseller_id`'s
/// customers, leaving out the pairs the reseller turned down.
pub async fn suggest(
    db: &impl ConnectionTrait,
    reseller_id: Uuid,
    sub_tenants: &[SubTenant],
) -> Result<Vec<Option<CustomerMatch>>, StorageError> {
    if sub_tenants.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<CustomerFacts> = customer::Entity::find()
        .select_only()
        .columns([
            customer::Column::TenantId,
            customer::Column::Name,
            customer::Column::Email,
            customer::Column::AzureTenantId,
        ])
        .filter(customer::Column::ResellerId.eq(reseller_id))
        .into_tuple()
        .all(db)
        .await?;
    let rejected: HashSet<(String, Uuid)> = customer_match_rejection::Entity::find()
        .filter(customer_match_rejection::Column::ResellerId.eq(reseller_id))
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.azure_tenant_id, row.customer_id))
        .collect();
    let domains: Vec<Vec<String>> = sub_tenants
        .iter()
        .map(|sub_tenant| sub_tenant.default_domain.iter().cloned().collect())
        .collect();
    let facts: Vec<SubTenantFacts> = sub_tenants
        .iter()
        .zip(&domains)
        .map(|(sub_tenant, domains)| SubTenantFacts {
            tenant_id: &sub_tenant.tenant_id,
            name: &sub_tenant.name,
            domains,
        })
        .collect();
    let suggestions = domain::suggest_matches(
        &facts,
        rows.iter().map(|(id, name, email, azure)| KnownCustomer {
            id: *id,
            name,
            email,
            azure_tenant_id: azure.as_deref(),
        }),
        &rejected,
    );
    let names: HashMap<Uuid, &str> = rows
        .iter()
        .map(|(id, name, _, _)| (*id, name.as_str()))
        .collect();
    Ok(suggestions
        .into_iter()
        .map(|suggestion| {
            let suggestion = suggestion?;
            Some(CustomerMatch {
                customer_id: suggestion.customer_id,
                customer_name: names.get(&suggestion.customer_id)?.to_string(),
                basis: suggestion.basis,
            })
        })
        .collect())
}

/// Gives the customer `customer_id` (in `own`'s tree) the sub-tenant's tenant ID, on `db` (a
/// transaction), audited as an update. Linking again is a no-op; a customer linked to another
/// sub-tenant, or a tenant ID another customer carries, is a conflict.
pub async fn link(
    db: &impl ConnectionTrait,
    caller: &Caller,
    own: &tenant::Model,
    tenant_id: AzureTenantId,
    customer_id: Uuid,
) -> Result<Customer, CustomerError> {
    caller.require(Claim::CreateCustomer)?;
    caller.require(Claim::ViewCustomers)?;
    let existing = customers::find_visible_customer(db, own, customer_id).await?;
    match existing.azure_tenant_id.as_deref() {
        Some(current) if current == tenant_id.to_string() => {
            return customers::customer_views(db, &[existing.tenant_id])
                .await?
                .pop()
                .ok_or(CustomerError::NotFound);
        }
        Some(current) => {
            return Err(CustomerError::LinkedToAnotherAzureTenant {
                azure_tenant_id: current.to_owned(),
            });
        }
        None => {}
    }
    let changes = CustomerChanges {
        azure_tenant_id: Some(Some(tenant_id)),
        ..CustomerChanges::default()
    };
    customers::update_customer(db, caller, existing, changes).await
}

/// Remembers that the customer `customer_id` (in `own`'s tree) is not the sub-tenant
/// `tenant_id`, for the customer's reseller; audited. Saying it twice changes nothing.
pub async fn reject(
    db: &impl ConnectionTrait,
    caller: &Caller,
    own: &tenant::Model,
    tenant_id: AzureTenantId,
    customer_id: Uuid,
) -> Result<(), CustomerError> {
    caller.require(Claim::CreateCustomer)?;
    caller.require(Claim::ViewCustomers)?;
    let existing = customers::find_visible_customer(db, own, customer_id).await?;
    let row = customer_match_rejection::ActiveModel {
        reseller_id: Set(existing.reseller_id),
        azure_tenant_id: Set(tenant_id.to_string()),
        customer_id: Set(existing.tenant_id),
        rejected_at: Set(Utc::now()),
    };
    let inserted = customer_match_rejection::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([
                customer_match_rejection::Column::ResellerId,
                customer_match_rejection::Column::AzureTenantId,
                customer_match_rejection::Column::CustomerId,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(db)
        .await
        .map_err(StorageError::from)?;
    if inserted > 0 {
        audit::record(
            db,
            AuditRecord::by(
                caller,
                "customer.match_rejected",
                format!("customer:{}", existing.tenant_id),
            )
            .with_details(serde_json::json!({ "azure_tenant_id": tenant_id.to_string() })),
        )
        .await?;
    }
    Ok(())
}
