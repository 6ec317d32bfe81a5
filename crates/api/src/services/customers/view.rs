use std::collections::{BTreeSet, HashMap};

use entity::{customer, tenant};
use proto::Customer;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::{
    CustomerError,
    listing::{Listed, listed},
    people::People,
};
use crate::services::{
    customer_tenants,
    storage::{self, StorageError},
    tenancy::{self, TenancyError},
};

fn missing(what: &'static str, id: Uuid) -> StorageError {
    StorageError::Corrupt {
        what,
        value: format!("missing for customer {id}"),
    }
}

/// Full views of the customers `ids` names, in their order, each read with its tenant's terms
/// and licence key by one listing statement.
pub async fn customer_views(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<Vec<Customer>, StorageError> {
    let found =
        customer::Entity::find().filter(customer::Column::TenantId.is_in(ids.iter().copied()));
    let mut by_id: HashMap<Uuid, Listed> = listed(db, found)
        .await?
        .into_iter()
        .map(|listed| (listed.customer.tenant_id, listed))
        .collect();
    let in_order = ids
        .iter()
        .map(|&id| {
            by_id
                .remove(&id)
                .ok_or_else(|| missing("row or tenant", id))
        })
        .collect::<Result<Vec<Listed>, StorageError>>()?;
    customer_views_of_listed(db, in_order, None).await
}

/// Full views of listed customers, in their order, with their people and group policies read
/// for the whole page in one statement instead of one per row. `known_reseller`, a tenant the
/// caller already holds (the reseller whose customers are listed), is not read again.
pub async fn customer_views_of_listed(
    db: &impl ConnectionTrait,
    rows: Vec<Listed>,
    known_reseller: Option<&tenant::Model>,
) -> Result<Vec<Customer>, StorageError> {
    // An empty page (a search that matches nothing) needs none of the queries below.
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let customers: Vec<&customer::Model> = rows.iter().map(|row| &row.customer).collect();
    let mut details = super::details::details_of(db, &customers).await?;
    let resellers = resellers_of(db, &customers, known_reseller).await?;
    rows.into_iter()
        .map(|listed| {
            let id = listed.customer.tenant_id;
            let details = details.remove(&id).unwrap_or_default();
            let reseller = resellers
                .get(&listed.customer.reseller_id)
                .ok_or_else(|| missing("reseller", id))?;
            view_of(listed, reseller, details.people, details.group_policy_ids)
        })
        .collect()
}

/// A listed customer's full view, given its reseller, its people and its group policies (in
/// the order they were assigned).
pub fn view_of(
    listed: Listed,
    reseller: &tenant::Model,
    people: People,
    group_policy_ids: Vec<Uuid>,
) -> Result<Customer, StorageError> {
    let Listed {
        customer: row,
        terms,
        licence_key,
    } = listed;
    let licence_key = licence_key.ok_or_else(|| missing("licence key", row.tenant_id))?;
    // The path form; the route writes the host form when a public domain is set.
    let address = customer_tenants::address_of(&row, reseller);
    Ok(Customer {
        id: row.tenant_id,
        name: row.name,
        tenant_name: row.tenant_name,
        display_name: row.display_name,
        url: domain::tenant_url(&address, None),
        address: address.as_str().to_owned(),
        active_users: people.active_users,
        technicians: people.technicians,
        customer_type: row.customer_type.label().to_owned(),
        created_at: row.created_at,
        spla: row.spla,
        total_licenses: storage::count("total licences", row.total_licenses)?,
        active_licenses: storage::count("active licences", row.active_licenses)?,
        churn_score: storage::churn_score(row.churn_score)?,
        email: row.email,
        details: row.details,
        monthly_billing: terms.monthly_billing,
        licensing_options: terms.licensing_options.0,
        opt_in_master_gp: row.opt_in_master_gp,
        group_policy_ids,
        azure_tenant_id: row.azure_tenant_id,
        reseller_id: row.reseller_id,
        licence_key,
    })
}

/// The resellers of `customers`, by ID, reading only those other than `known`.
async fn resellers_of(
    db: &impl ConnectionTrait,
    customers: &[&customer::Model],
    known: Option<&tenant::Model>,
) -> Result<HashMap<Uuid, tenant::Model>, StorageError> {
    let mut resellers: HashMap<Uuid, tenant::Model> = known
        .map(|tenant| (tenant.id, tenant.clone()))
        .into_iter()
        .collect();
    let unknown: BTreeSet<Uuid> = customers
        .iter()
        .map(|row| row.reseller_id)
        .filter(|id| !resellers.contains_key(id))
        .collect();
    if unknown.is_empty() {
        return Ok(resellers);
    }
    let read = tenant::Entity::find()
        .filter(tenant::Column::Id.is_in(unknown))
        .all(db)
        .await?;
    resellers.extend(read.into_iter().map(|reseller| (reseller.id, reseller)));
    Ok(resellers)
}

/// A customer in the caller's subtree, or 404.
pub async fn find_visible_customer(
    db: &impl ConnectionTrait,
    caller_tenant: &tenant::Model,
    id: Uuid,
) -> Result<customer::Model, CustomerError> {
    let visible = match tenancy::find_visible_tenant(db, caller_tenant, id).await {
        Ok(visible) => visible,
        Err(TenancyError::TenantNotFound) => return Err(CustomerError::NotFound),
        Err(other) => return Err(other.into()),
    };
    customer::Entity::find_by_id(visible.id)
        .one(db)
        .await?
        .ok_or(CustomerError::NotFound)
}
