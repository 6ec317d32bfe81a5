//! A customer tenant's Microsoft Entra connection for just-in-time admin accounts (SPEC §16):
//! the MSP's admins name the application, authorise it by admin consent in the customer's
//! directory (`consent`), and choose the accounts' lifetime, their domain and the roles each
//! technician gets; everything chosen is checked against the customer's directory.

pub mod consent;
mod mapping;

use chrono::Utc;
use domain::{AccountLifetime, AzureTenantId};
use entity::{customer, customer_entra_connection};
use msp_graph::{CustomerDirectoryError, GraphClient, GraphError, SignInApp};
use proto::{
    CustomerEntraSettings, EntraConnection, EntraDomain, EntraRole, FieldError,
    UpdateCustomerEntraSettings,
};

use self::mapping::{
    StoredMapping, check_mapping, mapping_settings, parse_mapping, stored_mapping,
};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::{
    infra::{InfraFailure, auth::Caller},
    services::{
        access::AccessDenied,
        audit::{self, AuditRecord},
        entra_domains,
        storage::StorageError,
    },
};

#[derive(Debug, thiserror::Error)]
pub enum CustomerEntraError {
    /// Unknown, or not a customer of the caller's MSP: never told apart.
    #[error("no such customer")]
    NotFound,
    #[error(
        "no Microsoft Entra app is configured for this server (APP_MICROSOFT_CLIENT_ID and its secret)"
    )]
    AppNotConfigured,
    #[error("authorise the customer's Microsoft Entra directory first")]
    NotConnected,
    #[error("the settings have invalid fields")]
    Invalid(Vec<FieldError>),
    #[error(transparent)]
    Graph(#[from] GraphError),
    /// What the customer's directory said of a change or a read the connection made.
    #[error(transparent)]
    Directory(#[from] CustomerDirectoryError),
    #[error(transparent)]
    Denied(#[from] AccessDenied),
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error(transparent)]
    Infra(#[from] InfraFailure),
}

/// The name a connection has until the MSP gives it one.
pub const DEFAULT_APP_NAME: &str = "Entra ID";
const MAX_APP_NAME_CHARS: usize = 100;

/// The customer `customer_id` of the caller's MSP, for one of its admins (from the MSP or from
/// inside the customer tenant).
pub(crate) async fn customer_of(
    db: &impl ConnectionTrait,
    caller: &Caller,
    customer_id: Uuid,
) -> Result<customer::Model, CustomerEntraError> {
    caller.require_admin()?;
    customer::Entity::find_by_id(customer_id)
        .filter(customer::Column::ResellerId.eq(caller.home_tenant_id))
        .one(db)
        .await
        .map_err(StorageError::from)?
        .ok_or(CustomerEntraError::NotFound)
}

/// The customer's row, as stored, or the defaults of one never saved.
pub(crate) async fn stored(
    db: &impl ConnectionTrait,
    customer: &customer::Model,
) -> Result<customer_entra_connection::Model, StorageError> {
    Ok(
        customer_entra_connection::Entity::find_by_id(customer.tenant_id)
            .one(db)
            .await?
            .unwrap_or_else(|| customer_entra_connection::Model {
                customer_id: customer.tenant_id,
                reseller_id: customer.reseller_id,
                app_name: DEFAULT_APP_NAME.to_owned(),
                entra_tenant_id: None,
                authorised_by: None,
                authorised_at: None,
                consent_state_hash: None,
                consent_started_by: None,
                consent_expires_at: None,
                lifetime_hours: i32::try_from(AccountLifetime::DEFAULT_HOURS).unwrap_or(4),
                account_domain: None,
                role_mapping: None,
                updated_at: Utc::now(),
            }),
    )
}

/// Writes `row`, inserting it the first time.
pub(crate) async fn save(
    db: &impl ConnectionTrait,
    mut row: customer_entra_connection::Model,
) -> Result<(), StorageError> {
    let exists = customer_entra_connection::Entity::find_by_id(row.customer_id)
        .one(db)
        .await?
        .is_some();
    row.updated_at = Utc::now();
    let active: customer_entra_connection::ActiveModel = row.into();
    let active = active.reset_all();
    if exists {
        active.update(db).await?;
    } else {
        active.insert(db).await?;
    }
    Ok(())
}

fn view(row: &customer_entra_connection::Model) -> CustomerEntraSettings {
    CustomerEntraSettings {
        app_name: row.app_name.clone(),
        connection: match (&row.entra_tenant_id, &row.authorised_by, row.authorised_at) {
            (Some(entra_tenant_id), Some(authorised_by), Some(authorised_at)) => {
                Some(EntraConnection {
                    entra_tenant_id: entra_tenant_id.clone(),
                    authorised_by: authorised_by.clone(),
                    authorised_at,
                })
            }
            _ => None,
        },
        lifetime_hours: u32::try_from(row.lifetime_hours).unwrap_or(AccountLifetime::DEFAULT_HOURS),
        account_domain: row.account_domain.clone(),
        role_mapping: mapping_settings(row.role_mapping.as_deref()),
    }
}

/// The customer's connection (the MSP's admins).
pub async fn settings(
    db: &impl ConnectionTrait,
    caller: &Caller,
    customer_id: Uuid,
) -> Result<CustomerEntraSettings, CustomerEntraError> {
    let customer = customer_of(db, caller, customer_id).await?;
    Ok(view(&stored(db, &customer).await?))
}

/// The role mapping `row` keeps, if one was saved.
pub(crate) fn role_mapping(row: &customer_entra_connection::Model) -> Option<domain::RoleMapping> {
    stored_mapping(row.role_mapping.as_deref())
}

/// The consented directory of `row`.
pub(crate) fn connected_tenant(
    row: &customer_entra_connection::Model,
) -> Result<AzureTenantId, CustomerEntraError> {
    row.entra_tenant_id
        .as_deref()
        .and_then(|id| AzureTenantId::parse(id).ok())
        .ok_or(CustomerEntraError::NotConnected)
}

pub(super) fn invalid(field: &str, code: &str, message: impl Into<String>) -> CustomerEntraError {
    CustomerEntraError::Invalid(vec![FieldError::new(field, code, message.into())])
}

/// The customer directory's domains, each with whether accounts can be made there.
pub async fn domains(
    db: &impl ConnectionTrait,
    caller: &Caller,
    graph: &GraphClient,
    app: Option<&SignInApp>,
    customer_id: Uuid,
) -> Result<Vec<EntraDomain>, CustomerEntraError> {
    let customer = customer_of(db, caller, customer_id).await?;
    let app = app.ok_or(CustomerEntraError::AppNotConfigured)?;
    let entra = connected_tenant(&stored(db, &customer).await?)?;
    Ok(entra_domains::offered(
        graph.list_domains(app, &entra).await?,
    ))
}

/// The built-in roles of the customer's directory a mapping can name, by name.
pub async fn roles(
    db: &impl ConnectionTrait,
    caller: &Caller,
    graph: &GraphClient,
    app: Option<&SignInApp>,
    customer_id: Uuid,
) -> Result<Vec<EntraRole>, CustomerEntraError> {
    let customer = customer_of(db, caller, customer_id).await?;
    let app = app.ok_or(CustomerEntraError::AppNotConfigured)?;
    let entra = connected_tenant(&stored(db, &customer).await?)?;
    let mut listed: Vec<EntraRole> = graph
        .built_in_roles(app, &entra)
        .await?
        .into_iter()
        .filter_map(|role| {
            Some(EntraRole {
                id: Uuid::parse_str(&role.id).ok()?,
                display_name: role.display_name,
                description: role.description,
            })
        })
        .collect();
    listed.sort_by(|left, right| left.display_name.cmp(&right.display_name));
    Ok(listed)
}

/// Saves the connection on `db` (a transaction): the name and lifetime at any time, the domain
/// and the role mapping once the directory is authorised, each checked against it (a verified
/// managed domain; built-in roles the directory has; the MSP's own technician groups). Audited.
pub async fn update(
    db: &impl ConnectionTrait,
    caller: &Caller,
    graph: &GraphClient,
    app: Option<&SignInApp>,
    customer_id: Uuid,
    wanted: UpdateCustomerEntraSettings,
) -> Result<CustomerEntraSettings, CustomerEntraError> {
    let customer = customer_of(db, caller, customer_id).await?;
    let app_name = wanted.app_name.trim();
    if app_name.is_empty() || app_name.chars().count() > MAX_APP_NAME_CHARS {
        return Err(invalid(
            "app_name",
            "length",
            "the application's name is 1 to 100 characters",
        ));
    }
    let lifetime = match wanted.lifetime_hours {
        None => AccountLifetime::default(),
        Some(hours) => AccountLifetime::from_hours(hours)
            .map_err(|error| invalid("lifetime_hours", "out_of_range", error.to_string()))?,
    };
    let mapping = wanted
        .role_mapping
        .as_ref()
        .map(parse_mapping)
        .transpose()?;
    let domain = wanted
        .account_domain
        .as_deref()
        .map(|domain| domain.trim().to_ascii_lowercase())
        .filter(|domain| !domain.is_empty());
    let mut row = stored(db, &customer).await?;
    if domain.is_some() || mapping.is_some() {
        let app = app.ok_or(CustomerEntraError::AppNotConfigured)?;
        let entra = connected_tenant(&row)?;
        if let Some(domain) = &domain {
            check_domain(graph, app, &entra, domain).await?;
        }
        if let Some(mapping) = &mapping {
            check_mapping(db, graph, app, &entra, caller.home_tenant_id, mapping).await?;
        }
    }
    let before = serde_json::json!({
        "app_name": row.app_name, "lifetime_hours": row.lifetime_hours,
        "account_domain": row.account_domain, "role_mapping": row.role_mapping,
    });
    row.app_name = app_name.to_owned();
    row.lifetime_hours = i32::try_from(lifetime.hours()).unwrap_or(4);
    row.account_domain = domain;
    row.role_mapping = mapping
        .as_ref()
        .map(|mapping| serde_json::to_string(&StoredMapping::of(mapping)))
        .transpose()
        .map_err(|error| InfraFailure::from(anyhow::Error::from(error)))?;
    save(db, row.clone()).await?;
    audit::record(
        db,
        AuditRecord::by(
            caller,
            "customer.entra_connection.update",
            format!("customer:{customer_id}"),
        )
        .with_details(serde_json::json!({
            "before": before,
            "after": {
                "app_name": row.app_name, "lifetime_hours": row.lifetime_hours,
                "account_domain": row.account_domain, "role_mapping": row.role_mapping,
            },
        })),
    )
    .await?;
    Ok(view(&row))
}

async fn check_domain(
    graph: &GraphClient,
    app: &SignInApp,
    entra: &AzureTenantId,
    domain: &str,
) -> Result<(), CustomerEntraError> {
    let listed = graph.list_domains(app, entra).await?;
    match entra_domains::refusal(&listed, domain, "account_domain") {
        None => Ok(()),
        Some(refusal) => Err(CustomerEntraError::Invalid(vec![refusal])),
    }
}
