//! Settings → Integrations → Security integrations (SPEC §14, admins): the tenant's Duo Web SDK
//! application. Duo's health check passes before anything is saved; the Client Secret is sealed
//! with the MFA key and never leaves the server again; every change is audited.

use chrono::Utc;
use domain::{DuoApiHostname, DuoClientId, DuoClientSecret, DuoSettingsError, IntegrationName};
use entity::security_integration;
use msp_duo::{DuoClient, DuoError, DuoIntegration};
use proto::SecurityIntegrationKind;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder, TransactionTrait,
};
use uuid::Uuid;

use crate::{
    infra::{InfraFailure, auth::Caller, auth::MfaKey},
    services::{
        access::AccessDenied,
        audit::{self, AuditRecord},
        storage::{StorageError, is_unique_violation},
    },
};

/// How this server reaches Duo, and which hosts besides Duo's own it may send requests to.
#[derive(Debug, Clone)]
pub struct DuoGateway {
    pub client: DuoClient,
    /// Exact `host[:port]` values the operator allows besides Duo's domains
    /// (`APP_DUO_EXTRA_HOSTS`; the demo's fake Duo).
    pub extra_hosts: Vec<String>,
}

impl DuoGateway {
    fn allows(&self, hostname: &DuoApiHostname) -> bool {
        hostname.is_duo_hosted()
            || self
                .extra_hosts
                .iter()
                .any(|allowed| allowed.eq_ignore_ascii_case(hostname.as_str()))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum IntegrationError {
    #[error("no such security integration in your tenant")]
    NotFound,
    #[error("your tenant already has a Duo Web SDK integration; edit that one instead")]
    AlreadyExists,
    #[error("{error}")]
    Invalid {
        field: &'static str,
        error: DuoSettingsError,
    },
    #[error(
        "{0} is not a Duo API hostname: Duo's hostnames end in .duosecurity.com (or .duofederal.com)"
    )]
    HostNotAllowed(String),
    #[error("{0}")]
    Duo(#[from] DuoError),
    #[error(transparent)]
    Denied(#[from] AccessDenied),
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error(transparent)]
    Infra(#[from] InfraFailure),
}

/// What an admin typed, unparsed, for a new integration or a change.
#[derive(Debug, Default)]
pub struct Submitted<'a> {
    pub name: Option<&'a str>,
    pub client_id: Option<&'a str>,
    pub client_secret: Option<&'a str>,
    pub api_hostname: Option<&'a str>,
    pub enabled: Option<bool>,
}

fn invalid(field: &'static str) -> impl Fn(DuoSettingsError) -> IntegrationError {
    move |error| IntegrationError::Invalid { field, error }
}

/// The tenant's integrations (admins), oldest first.
pub async fn list(
    db: &impl ConnectionTrait,
    caller: &Caller,
) -> Result<Vec<security_integration::Model>, IntegrationError> {
    caller.require_admin()?;
    Ok(security_integration::Entity::find()
        .filter(security_integration::Column::TenantId.eq(caller.tenant_id))
        .order_by_asc(security_integration::Column::CreatedAt)
        .all(db)
        .await?)
}

/// One of the caller's tenant's integrations; another tenant's is not found.
pub async fn get(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<security_integration::Model, IntegrationError> {
    caller.require_admin()?;
    security_integration::Entity::find_by_id(id)
        .filter(security_integration::Column::TenantId.eq(caller.tenant_id))
        .one(db)
        .await?
        .ok_or(IntegrationError::NotFound)
}

/// The stored integration with its secret unsealed, for a call to Duo.
pub fn unseal(
    key: &MfaKey,
    stored: &security_integration::Model,
) -> Result<DuoIntegration, IntegrationError> {
    let corrupt = |what: &'static str| {
        IntegrationError::Storage(StorageError::Corrupt {
            what,
            value: format!("of security integration {}", stored.id),
        })
    };
    Ok(DuoIntegration {
        client_id: DuoClientId::parse(&stored.client_id).map_err(|_| corrupt("Duo Client ID"))?,
        client_secret: DuoClientSecret::parse(&key.decrypt(&stored.client_secret_ciphertext)?)
            .map_err(|_| corrupt("Duo Client Secret"))?,
        api_hostname: DuoApiHostname::parse(&stored.api_hostname)
            .map_err(|_| corrupt("Duo API hostname"))?,
    })
}

/// The tenant's enabled Duo integration, if it has one.
pub async fn enabled_duo(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
) -> Result<Option<security_integration::Model>, StorageError> {
    Ok(security_integration::Entity::find()
        .filter(security_integration::Column::TenantId.eq(tenant_id))
        .filter(security_integration::Column::Kind.eq(SecurityIntegrationKind::DuoWebSdk.as_str()))
        .filter(security_integration::Column::Enabled.eq(true))
        .one(db)
        .await?)
}

fn parse_hostname(gateway: &DuoGateway, raw: &str) -> Result<DuoApiHostname, IntegrationError> {
    let hostname = DuoApiHostname::parse(raw).map_err(invalid("api_hostname"))?;
    if !gateway.allows(&hostname) {
        return Err(IntegrationError::HostNotAllowed(
            hostname.as_str().to_owned(),
        ));
    }
    Ok(hostname)
}

/// Adds the tenant's Duo integration after Duo's health check passed with its credentials.
pub async fn create(
    db: &DatabaseConnection,
    gateway: &DuoGateway,
    key: &MfaKey,
    caller: &Caller,
    kind: SecurityIntegrationKind,
    submitted: Submitted<'_>,
) -> Result<security_integration::Model, IntegrationError> {
    caller.require_admin()?;
    let name =
        IntegrationName::parse(submitted.name.unwrap_or_default()).map_err(invalid("name"))?;
    let integration = DuoIntegration {
        client_id: DuoClientId::parse(submitted.client_id.unwrap_or_default())
            .map_err(invalid("client_id"))?,
        client_secret: DuoClientSecret::parse(submitted.client_secret.unwrap_or_default())
            .map_err(invalid("client_secret"))?,
        api_hostname: parse_hostname(gateway, submitted.api_hostname.unwrap_or_default())?,
    };
    let existing = security_integration::Entity::find()
        .filter(security_integration::Column::TenantId.eq(caller.tenant_id))
        .filter(security_integration::Column::Kind.eq(kind.as_str()))
        .one(db)
        .await?;
    if existing.is_some() {
        return Err(IntegrationError::AlreadyExists);
    }
    gateway.client.health_check(&integration).await?;
    // Only after Duo answered: no transaction waits on the network.
    let transaction = db.begin().await?;
    let now = Utc::now();
    let enabled = submitted.enabled.unwrap_or(true);
    let created = security_integration::ActiveModel {
        id: Set(Uuid::new_v4()),
        tenant_id: Set(caller.tenant_id),
        kind: Set(kind.as_str().to_owned()),
        name: Set(name.as_str().to_owned()),
        client_id: Set(integration.client_id.as_str().to_owned()),
        client_secret_ciphertext: Set(key.encrypt(integration.client_secret.expose())?),
        api_hostname: Set(integration.api_hostname.as_str().to_owned()),
        enabled: Set(enabled),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&transaction)
    .await
    .map_err(|error| {
        if is_unique_violation(&error) {
            IntegrationError::AlreadyExists
        } else {
            error.into()
        }
    })?;
    audit::record(
        &transaction,
        AuditRecord::by(
            caller,
            "security_integration.create",
            format!("security_integration:{}", created.id),
        )
        .with_details(serde_json::json!({
            "kind": kind.as_str(),
            "name": created.name,
            "client_id": created.client_id,
            "api_hostname": created.api_hostname,
            "enabled": enabled,
        })),
    )
    .await?;
    transaction.commit().await?;
    Ok(created)
}

/// Changes the integration; Duo's health check runs again when the credentials or the hostname
/// change, or when it is turned on.
pub async fn update(
    db: &DatabaseConnection,
    gateway: &DuoGateway,
    key: &MfaKey,
    caller: &Caller,
    id: Uuid,
    submitted: Submitted<'_>,
) -> Result<security_integration::Model, IntegrationError> {
    let stored = get(db, caller, id).await?;
    let name = submitted
        .name
        .map(IntegrationName::parse)
        .transpose()
        .map_err(invalid("name"))?;
    let mut integration = unseal(key, &stored)?;
    let mut credentials_changed = false;
    if let Some(raw) = submitted.client_id {
        integration.client_id = DuoClientId::parse(raw).map_err(invalid("client_id"))?;
        credentials_changed |= integration.client_id.as_str() != stored.client_id;
    }
    if let Some(raw) = submitted.client_secret {
        integration.client_secret =
            DuoClientSecret::parse(raw).map_err(invalid("client_secret"))?;
        credentials_changed = true;
    }
    if let Some(raw) = submitted.api_hostname {
        integration.api_hostname = parse_hostname(gateway, raw)?;
        credentials_changed |= integration.api_hostname.as_str() != stored.api_hostname;
    }
    let enabled = submitted.enabled.unwrap_or(stored.enabled);
    if credentials_changed || (enabled && !stored.enabled) {
        gateway.client.health_check(&integration).await?;
    }
    let transaction = db.begin().await?;
    let mut changes: security_integration::ActiveModel = stored.clone().into();
    if let Some(name) = &name {
        changes.name = Set(name.as_str().to_owned());
    }
    changes.client_id = Set(integration.client_id.as_str().to_owned());
    if submitted.client_secret.is_some() {
        changes.client_secret_ciphertext = Set(key.encrypt(integration.client_secret.expose())?);
    }
    changes.api_hostname = Set(integration.api_hostname.as_str().to_owned());
    changes.enabled = Set(enabled);
    changes.updated_at = Set(Utc::now());
    let updated = changes.update(&transaction).await?;
    audit::record(
        &transaction,
        AuditRecord::by(
            caller,
            "security_integration.update",
            format!("security_integration:{id}"),
        )
        .with_details(serde_json::json!({
            "name": updated.name,
            "client_id": updated.client_id,
            "api_hostname": updated.api_hostname,
            "enabled": updated.enabled,
            "client_secret_replaced": submitted.client_secret.is_some(),
        })),
    )
    .await?;
    transaction.commit().await?;
    Ok(updated)
}

/// Deletes the integration: nobody is offered Duo any more, and users who linked it fall back to
/// their other factor (or enrol one at the next sign-in).
pub async fn delete(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<(), IntegrationError> {
    let stored = get(db, caller, id).await?;
    security_integration::Entity::delete_by_id(stored.id)
        .exec(db)
        .await?;
    audit::record(
        db,
        AuditRecord::by(
            caller,
            "security_integration.delete",
            format!("security_integration:{id}"),
        )
        .with_details(serde_json::json!({ "name": stored.name })),
    )
    .await?;
    Ok(())
}

/// Runs Duo's health check with the stored credentials ("Test" on the settings page).
pub async fn check(
    db: &impl ConnectionTrait,
    gateway: &DuoGateway,
    key: &MfaKey,
    caller: &Caller,
    id: Uuid,
) -> Result<(), IntegrationError> {
    let stored = get(db, caller, id).await?;
    let integration = unseal(key, &stored)?;
    gateway.client.health_check(&integration).await?;
    Ok(())
}
