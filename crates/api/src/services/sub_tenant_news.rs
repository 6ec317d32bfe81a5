//! "What is new" in the Azure customers grid (issue 19 item 3). Every listing records the
//! sub-tenants it returned (tenant IDs and names only) for the reseller and when the user listed;
//! while the reseller shows new sub-tenants, the grid marks those first seen after the user's
//! previous listing, and those renamed in Azure since a customer was created from them or linked
//! to them, which **Rename customer** follows.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use domain::{AzureTenantId, CustomerChanges, TenantName};
use entity::{customer, sub_tenant_listing, sub_tenant_sighting, tenant};
use proto::{AzureCustomer, AzureRename, Claim, Customer, FieldError};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect,
    sea_query::{Expr, OnConflict},
};
use uuid::Uuid;

use crate::{
    infra::auth::Caller,
    services::{
        azure_customers,
        customers::{self, CustomerError},
        storage::StorageError,
    },
};

/// What renaming reads of a linked customer: ID, name, name key, tenant ID, Azure name then.
type LinkedCustomer = (Uuid, String, String, Option<String>, Option<String>);

/// Rows per multi-row insert or `IN (…)` list, well under every back end's parameter limit.
const CHUNK: usize = 500;

/// The name `reseller_id`'s listings last saw the sub-tenant `azure_tenant_id` (lower-case) by.
pub async fn seen_name(
    db: &impl ConnectionTrait,
    reseller_id: Uuid,
    azure_tenant_id: &str,
) -> Result<Option<String>, StorageError> {
    Ok(
        sub_tenant_sighting::Entity::find_by_id((reseller_id, azure_tenant_id.to_owned()))
            .one(db)
            .await?
            .map(|sighting| sighting.name),
    )
}

/// Records that `caller` listed `own`'s sub-tenants and saw `items` (every sub-tenant Graph
/// returned, before any name filter), then marks what is new and what was renamed when `own`
/// shows new sub-tenants.
pub async fn record_listing(
    db: &impl ConnectionTrait,
    caller: &Caller,
    own: &tenant::Model,
    items: &mut [AzureCustomer],
) -> Result<(), StorageError> {
    let now = Utc::now();
    let first_seen = record_sightings(db, own.id, items, now).await?;
    let previous_listing = record_visit(db, caller.user_id, now).await?;
    let renames = renamed_customers(db, own.id, items).await?;
    if !own.show_new_sub_tenants {
        return Ok(());
    }
    for item in items.iter_mut() {
        item.new_since_last_visit = match (previous_listing, first_seen.get(&item.tenant_id)) {
            (Some(previous), Some(first)) => *first > previous,
            _ => false,
        };
        item.renamed = renames.get(&item.tenant_id).cloned();
    }
    Ok(())
}

/// Adds the sub-tenants never seen before and updates the names that changed; answers when each
/// listed sub-tenant was first seen.
async fn record_sightings(
    db: &impl ConnectionTrait,
    reseller_id: Uuid,
    items: &[AzureCustomer],
    now: DateTime<Utc>,
) -> Result<HashMap<String, DateTime<Utc>>, StorageError> {
    let known: HashMap<String, (String, DateTime<Utc>)> = sub_tenant_sighting::Entity::find()
        .filter(sub_tenant_sighting::Column::ResellerId.eq(reseller_id))
        .all(db)
        .await?
        .into_iter()
        .map(|seen| (seen.azure_tenant_id, (seen.name, seen.first_seen_at)))
        .collect();
    let mut first_seen = HashMap::with_capacity(items.len());
    let mut unseen = Vec::new();
    for item in items {
        match known.get(&item.tenant_id) {
            Some((name, first)) => {
                first_seen.insert(item.tenant_id.clone(), *first);
                if *name != item.name {
                    sub_tenant_sighting::Entity::update_many()
                        .col_expr(
                            sub_tenant_sighting::Column::Name,
                            Expr::value(item.name.clone()),
                        )
                        .filter(sub_tenant_sighting::Column::ResellerId.eq(reseller_id))
                        .filter(sub_tenant_sighting::Column::AzureTenantId.eq(&item.tenant_id))
                        .exec(db)
                        .await?;
                }
            }
            None => {
                first_seen.insert(item.tenant_id.clone(), now);
                unseen.push(sub_tenant_sighting::ActiveModel {
                    reseller_id: Set(reseller_id),
                    azure_tenant_id: Set(item.tenant_id.clone()),
                    name: Set(item.name.clone()),
                    first_seen_at: Set(now),
                });
            }
        }
    }
    let mut rows = unseen.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<_> = rows.by_ref().take(CHUNK).collect();
        // Another listing of the same reseller may have seen it a moment ago: its time stands.
        sub_tenant_sighting::Entity::insert_many(chunk)
            .on_conflict(
                OnConflict::columns([
                    sub_tenant_sighting::Column::ResellerId,
                    sub_tenant_sighting::Column::AzureTenantId,
                ])
                .do_nothing()
                .to_owned(),
            )
            .exec_without_returning(db)
            .await?;
    }
    Ok(first_seen)
}

/// Stores `now` as the user's latest listing and answers the one before it.
async fn record_visit(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, StorageError> {
    let previous = sub_tenant_listing::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .map(|listing| listing.listed_at);
    sub_tenant_listing::Entity::insert(sub_tenant_listing::ActiveModel {
        user_id: Set(user_id),
        listed_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(sub_tenant_listing::Column::UserId)
            .update_column(sub_tenant_listing::Column::ListedAt)
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(previous)
}

/// The reseller's customers linked to a listed sub-tenant whose Azure name is no longer the one
/// they were created from or linked to, by tenant ID; unless the customer already bears the new
/// name. A linked customer without a recorded Azure name (linked before names were kept) takes
/// today's as its starting point.
async fn renamed_customers(
    db: &impl ConnectionTrait,
    reseller_id: Uuid,
    items: &[AzureCustomer],
) -> Result<HashMap<String, AzureRename>, StorageError> {
    let names_now: HashMap<&str, &str> = items
        .iter()
        .map(|item| (item.tenant_id.as_str(), item.name.as_str()))
        .collect();
    let tenant_ids: Vec<&str> = names_now.keys().copied().collect();
    let mut renames = HashMap::new();
    for chunk in tenant_ids.chunks(CHUNK) {
        let linked: Vec<LinkedCustomer> = customer::Entity::find()
            .select_only()
            .columns([
                customer::Column::TenantId,
                customer::Column::Name,
                customer::Column::NameKey,
                customer::Column::AzureTenantId,
                customer::Column::AzureName,
            ])
            .filter(customer::Column::ResellerId.eq(reseller_id))
            .filter(customer::Column::AzureTenantId.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(db)
            .await?;
        for (customer_id, name, name_key, tenant_id, azure_name) in linked {
            let Some(tenant_id) = tenant_id else { continue };
            let Some(name_now) = names_now.get(tenant_id.as_str()) else {
                continue;
            };
            match azure_name {
                None => {
                    customer::Entity::update_many()
                        .col_expr(customer::Column::AzureName, Expr::value(*name_now))
                        .filter(customer::Column::TenantId.eq(customer_id))
                        .exec(db)
                        .await?;
                }
                Some(then)
                    if then != *name_now && name_key != azure_customers::name_key(name_now) =>
                {
                    renames.insert(
                        tenant_id,
                        AzureRename {
                            customer_id,
                            customer_name: name,
                            previous_azure_name: then,
                        },
                    );
                }
                Some(_) => {}
            }
        }
    }
    Ok(renames)
}

/// **Rename customer**: the customer of `own`'s linked to the sub-tenant `tenant_id` takes the
/// sub-tenant's name as the last listing saw it, on `db` (a transaction), audited as an update.
pub async fn rename_customer(
    db: &impl ConnectionTrait,
    caller: &Caller,
    own: &tenant::Model,
    tenant_id: AzureTenantId,
) -> Result<Customer, CustomerError> {
    caller.require(Claim::CreateCustomer)?;
    caller.require(Claim::ViewCustomers)?;
    let tenant_id = tenant_id.to_string();
    let existing = customer::Entity::find()
        .filter(customer::Column::ResellerId.eq(own.id))
        .filter(customer::Column::AzureTenantId.eq(&tenant_id))
        .one(db)
        .await
        .map_err(StorageError::from)?
        .ok_or(CustomerError::NotFound)?;
    let azure_name = seen_name(db, own.id, &tenant_id)
        .await?
        .ok_or(CustomerError::NotFound)?;
    let name = TenantName::parse(&azure_name).map_err(|error| {
        CustomerError::Invalid(vec![FieldError::new(
            "name",
            "azure_name_not_allowed",
            format!("the name in Azure cannot be a customer's name here: {error}"),
        )])
    })?;
    let customer_id = existing.tenant_id;
    let changes = CustomerChanges {
        name: (name.as_str() != existing.name).then_some(name),
        ..CustomerChanges::default()
    };
    let renamed = customers::update_customer(db, caller, existing, changes).await?;
    customer::Entity::update_many()
        .col_expr(customer::Column::AzureName, Expr::value(azure_name))
        .filter(customer::Column::TenantId.eq(customer_id))
        .exec(db)
        .await
        .map_err(StorageError::from)?;
    Ok(renamed)
}
