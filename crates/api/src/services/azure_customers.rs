//! The reseller's CSP sub-tenants from Microsoft Graph, each marked with whether it can become
//! a customer here (SPEC §6). The client secret is used for one Graph call and dropped.

use std::collections::HashSet;

use domain::{AzureClientId, AzureTenantId, ClientSecret, TenantName};
use entity::{customer, tenant};
use msp_graph::{AppCredentials, GraphClient, GraphError, SubTenant, SubTenantSource};
use proto::{AzureCustomer, AzureCustomerBlock, Claim, Page};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::{
    infra::auth::Caller,
    services::{
        access::AccessDenied,
        azure_matches,
        storage::StorageError,
        sub_tenant_news,
        tenancy::{self, TenancyError},
    },
};

/// Rows per `IN (…)` list, well under every back end's bound-parameter limit.
const LOOKUP_CHUNK: usize = 500;

#[derive(Debug, thiserror::Error)]
pub enum AzureCustomersError {
    #[error("save your Azure tenant ID under Customer Settings → Login Setup → Azure Login first")]
    AzureTenantIdMissing,
    #[error(transparent)]
    Graph(#[from] GraphError),
    #[error(transparent)]
    Denied(#[from] AccessDenied),
    #[error(transparent)]
    Tenancy(#[from] TenancyError),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// What the Azure customers grid asks for: the app's credentials and an optional name filter
/// (trimmed, lower-case).
pub struct AzureCustomersQuery {
    pub client_id: AzureClientId,
    pub client_secret: ClientSecret,
    pub name_filter: Option<String>,
}

/// The caller's partner tenant, where MSP Onboarding is available to a caller who may see
/// customers.
pub async fn check_access(
    db: &impl ConnectionTrait,
    caller: &Caller,
) -> Result<tenant::Model, AzureCustomersError> {
    let own = tenancy::find_partner_tenant(db, caller).await?;
    domain::feature_availability(own.tenant_type, own.monthly_billing, &caller.claims)
        .map_err(AccessDenied::from)?;
    caller.require(Claim::ViewCustomers)?;
    Ok(own)
}

/// Lists `own`'s sub-tenants, sorted by name ignoring case, each with whether a customer can be
/// created from it, the existing customer it most likely is, and (when `own` shows new
/// sub-tenants) whether it is new to `caller` or was renamed in Azure.
pub async fn list(
    db: &impl ConnectionTrait,
    graph: &GraphClient,
    caller: &Caller,
    own: &tenant::Model,
    query: AzureCustomersQuery,
) -> Result<Page<AzureCustomer>, AzureCustomersError> {
    let saved_tenant_id = own
        .azure_tenant_id
        .as_deref()
        .and_then(|raw| AzureTenantId::parse(raw).ok())
        .ok_or(AzureCustomersError::AzureTenantIdMissing)?;
    let credentials = AppCredentials {
        tenant_id: saved_tenant_id,
        client_id: query.client_id,
        client_secret: query.client_secret,
    };
    let listed = graph.list_sub_tenants(&credentials).await;
    drop(credentials);
    let outcome = match &listed {
        Ok(_) => "ok",
        Err(_) => "error",
    };
    metrics::counter!("graph_calls_total", "call" => "list_sub_tenants", "outcome" => outcome)
        .increment(1);
    let mut sub_tenants = listed?;
    sub_tenants.sort_by_cached_key(|sub_tenant| {
        (
            sub_tenant.name.trim().to_lowercase(),
            sub_tenant.tenant_id.clone(),
        )
    });
    let shown = |name: &str| {
        query
            .name_filter
            .as_ref()
            .is_none_or(|filter| name.to_lowercase().contains(filter))
    };
    let shown_sub_tenants: Vec<SubTenant> = sub_tenants
        .iter()
        .filter(|sub_tenant| shown(&sub_tenant.name))
        .cloned()
        .collect();
    let suggestions = azure_matches::suggest(db, own.id, &shown_sub_tenants).await?;
    // Every sub-tenant is recorded as seen, not only those the name filter shows: one filtered
    // out now was still listed, and is not new at the next visit.
    let mut items = mark_creatable(db, own.id, sub_tenants).await?;
    sub_tenant_news::record_listing(db, caller, own, &mut items).await?;
    items.retain(|item| shown(&item.name));
    for (item, suggestion) in items.iter_mut().zip(suggestions) {
        item.suggested_match = suggestion;
    }
    Ok(Page {
        total: u64::try_from(items.len()).unwrap_or(u64::MAX),
        items,
    })
}

/// The key customer names are unique by under a reseller, as creation computes it.
pub(crate) fn name_key(name: &str) -> String {
    TenantName::parse(name)
        .map(|parsed| parsed.key())
        .unwrap_or_else(|_| name.trim().to_lowercase())
}

/// Marks each sub-tenant whose name the reseller already uses, or whose tenant ID any customer
/// already carries, with an index lookup per chunk rather than a query per row.
async fn mark_creatable(
    db: &impl ConnectionTrait,
    reseller_id: uuid::Uuid,
    sub_tenants: Vec<SubTenant>,
) -> Result<Vec<AzureCustomer>, StorageError> {
    let keys: Vec<String> = sub_tenants.iter().map(|t| name_key(&t.name)).collect();
    let tenant_ids: Vec<String> = sub_tenants
        .iter()
        .map(|t| normalised_tenant_id(&t.tenant_id))
        .collect();
    let mut taken_names = HashSet::new();
    for chunk in keys.chunks(LOOKUP_CHUNK) {
        let found: Vec<String> = customer::Entity::find()
            .select_only()
            .column(customer::Column::NameKey)
            .filter(customer::Column::ResellerId.eq(reseller_id))
            .filter(customer::Column::NameKey.is_in(chunk.iter().cloned()))
            .into_tuple()
            .all(db)
            .await?;
        taken_names.extend(found);
    }
    let mut taken_ids = HashSet::new();
    for chunk in tenant_ids.chunks(LOOKUP_CHUNK) {
        let found: Vec<Option<String>> = customer::Entity::find()
            .select_only()
            .column(customer::Column::AzureTenantId)
            .filter(customer::Column::AzureTenantId.is_in(chunk.iter().cloned()))
            .into_tuple()
            .all(db)
            .await?;
        taken_ids.extend(found.into_iter().flatten());
    }
    Ok(sub_tenants
        .into_iter()
        .zip(keys.iter().zip(&tenant_ids))
        .map(|(sub_tenant, (key, tenant_id))| {
            let reason = if taken_names.contains(key) {
                Some(AzureCustomerBlock::NameExists)
            } else if taken_ids.contains(tenant_id) {
                Some(AzureCustomerBlock::TenantIdExists)
            } else {
                None
            };
            AzureCustomer {
                name: sub_tenant.name,
                tenant_id: tenant_id.clone(),
                can_create: reason.is_none(),
                reason,
                default_domain: sub_tenant.default_domain,
                source: match sub_tenant.source {
                    SubTenantSource::Contract => proto::SubTenantSource::Contract,
                    SubTenantSource::Gdap => proto::SubTenantSource::Gdap,
                    SubTenantSource::Both => proto::SubTenantSource::Both,
                },
                suggested_match: None,
                new_since_last_visit: false,
                renamed: None,
            }
        })
        .collect())
}

/// Customers store tenant IDs lower-case; Graph's case is not promised.
fn normalised_tenant_id(raw: &str) -> String {
    AzureTenantId::parse(raw)
        .map(|id| id.to_string())
        .unwrap_or_else(|_| raw.trim().to_lowercase())
}
