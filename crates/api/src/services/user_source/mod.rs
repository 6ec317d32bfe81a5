//! Microsoft Entra as a tenant's user source (SPEC §16): admin consent for the operator's app
//! (`consent`), the settings and their rules here, and the offboarding sync (`sync`) that runs as
//! a durable job.

pub mod at_sign_in;
pub mod consent;
pub mod offboarding;
pub mod sync;

use chrono::Utc;
use domain::{AzureTenantId, JitPrefix};
use entity::{job, user, user_source};
use msp_graph::{GraphClient, GraphError, SignInApp, UserLookup};
use proto::{
    EntraConnection, EntraDomain, FieldError, JobKind, UpdateUserSource, UserSourceKind,
    UserSourceSettings, UserSourceSync,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    sea_query::Expr,
};
use uuid::Uuid;

use crate::{
    infra::{InfraFailure, auth::Caller},
    services::{
        access::AccessDenied,
        audit::{self, AuditRecord},
        entra_domains, jobs,
        storage::StorageError,
    },
};

#[derive(Debug, thiserror::Error)]
pub enum UserSourceError {
    #[error(
        "no Microsoft Entra app is configured for this server (APP_MICROSOFT_CLIENT_ID and its secret)"
    )]
    AppNotConfigured,
    #[error("authorise the Microsoft Entra connection first")]
    NotConnected,
    #[error(
        "your tenant has {count} users; Entra can become the user source while it has at most one (you): remove {excess} first"
    )]
    TooManyUsers { count: u64, excess: u64 },
    #[error("the user source is not Microsoft Entra")]
    NotEntra,
    #[error("the settings have invalid fields")]
    Invalid(Vec<FieldError>),
    #[error(transparent)]
    Graph(#[from] GraphError),
    #[error(transparent)]
    Denied(#[from] AccessDenied),
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error(transparent)]
    Infra(#[from] InfraFailure),
}

pub const AZUREAD: &str = "azuread";
pub const LOCAL: &str = "local";

/// The offboarding sync's job for `tenant_id`.
pub fn sync_job_name(tenant_id: Uuid) -> String {
    format!("{}:{tenant_id}", JobKind::UserSourceSync.as_str())
}

/// The tenant's row, as stored, or the defaults of a tenant that never set one.
pub async fn stored(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
) -> Result<user_source::Model, StorageError> {
    Ok(user_source::Entity::find_by_id(tenant_id)
        .one(db)
        .await?
        .unwrap_or_else(|| user_source::Model {
            tenant_id,
            source: LOCAL.to_owned(),
            entra_tenant_id: None,
            authorised_by: None,
            authorised_at: None,
            consent_state_hash: None,
            consent_started_by: None,
            consent_expires_at: None,
            onboarding_domain: None,
            jit_prefix: JitPrefix::DEFAULT.to_owned(),
            delta_link: None,
            last_sync_at: None,
            last_sync_error: None,
            last_sync_deactivated: 0,
        }))
}

/// Writes `row`, inserting it the first time.
pub(crate) async fn save(
    db: &impl ConnectionTrait,
    row: user_source::Model,
) -> Result<(), StorageError> {
    let exists = user_source::Entity::find_by_id(row.tenant_id)
        .one(db)
        .await?
        .is_some();
    let active: user_source::ActiveModel = row.into();
    let active = active.reset_all();
    if exists {
        active.update(db).await?;
    } else {
        active.insert(db).await?;
    }
    Ok(())
}

/// The caller's tenant's user source (admins).
pub async fn settings(
    db: &impl ConnectionTrait,
    caller: &Caller,
) -> Result<UserSourceSettings, UserSourceError> {
    caller.require_admin()?;
    let row = stored(db, caller.tenant_id).await?;
    let onboarded_users = users_of(db, caller.tenant_id).await?;
    let next_sync_at = job::Entity::find_by_id(sync_job_name(caller.tenant_id))
        .one(db)
        .await
        .map_err(StorageError::from)?
        .map(|job| job.next_run_at);
    Ok(UserSourceSettings {
        source: if row.source == AZUREAD {
            UserSourceKind::Azuread
        } else {
            UserSourceKind::Local
        },
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
        onboarding_domain: row.onboarding_domain.clone(),
        jit_prefix: row.jit_prefix.clone(),
        onboarded_users,
        last_sync: row.last_sync_at.map(|at| UserSourceSync {
            at,
            error: row.last_sync_error.clone(),
            deactivated: u32::try_from(row.last_sync_deactivated).unwrap_or(0),
        }),
        next_sync_at: if row.source == AZUREAD {
            next_sync_at
        } else {
            None
        },
        reenabled: offboarding::reenabled(db, caller.tenant_id).await?,
    })
}

async fn users_of(db: &impl ConnectionTrait, tenant_id: Uuid) -> Result<u64, StorageError> {
    Ok(user::Entity::find()
        .filter(user::Column::TenantId.eq(tenant_id))
        .count(db)
        .await?)
}

/// The consented Entra tenant of `row`.
pub(crate) fn connected_tenant(row: &user_source::Model) -> Result<AzureTenantId, UserSourceError> {
    row.entra_tenant_id
        .as_deref()
        .and_then(|id| AzureTenantId::parse(id).ok())
        .ok_or(UserSourceError::NotConnected)
}

/// The consented directory's domains, each with whether it can be the onboarding domain.
pub async fn domains(
    db: &impl ConnectionTrait,
    caller: &Caller,
    graph: &GraphClient,
    app: Option<&SignInApp>,
) -> Result<Vec<EntraDomain>, UserSourceError> {
    caller.require_admin()?;
    let app = app.ok_or(UserSourceError::AppNotConfigured)?;
    let entra = connected_tenant(&stored(db, caller.tenant_id).await?)?;
    Ok(entra_domains::offered(
        graph.list_domains(app, &entra).await?,
    ))
}

/// Saves the user source on `db` (a transaction): `azuread` needs the connection, at most one
/// user in the tenant, and a verified managed onboarding domain of the directory; the
/// offboarding sync's job is scheduled (due now) or removed with it. Audited.
pub async fn update(
    db: &impl ConnectionTrait,
    caller: &Caller,
    graph: &GraphClient,
    app: Option<&SignInApp>,
    wanted: UpdateUserSource,
    sync_interval: domain::JobInterval,
) -> Result<UserSourceSettings, UserSourceError> {
    caller.require_admin()?;
    let prefix = match wanted.jit_prefix.as_deref() {
        None => JitPrefix::default(),
        Some(raw) => JitPrefix::parse(raw).map_err(|error| {
            UserSourceError::Invalid(vec![FieldError::new(
                "jit_prefix",
                "invalid",
                error.to_string(),
            )])
        })?,
    };
    let mut row = stored(db, caller.tenant_id).await?;
    let before = serde_json::json!({
        "source": row.source, "onboarding_domain": row.onboarding_domain, "jit_prefix": row.jit_prefix,
    });
    match wanted.source {
        UserSourceKind::Local => {
            row.source = LOCAL.to_owned();
            jobs::store::remove_job(db, &sync_job_name(caller.tenant_id)).await?;
        }
        UserSourceKind::Azuread => {
            let app = app.ok_or(UserSourceError::AppNotConfigured)?;
            let entra = connected_tenant(&row)?;
            if row.source != AZUREAD {
                let count = users_of(db, caller.tenant_id).await?;
                if count > domain::MAX_USERS_TO_SWITCH_SOURCE {
                    return Err(UserSourceError::TooManyUsers {
                        count,
                        excess: count - domain::MAX_USERS_TO_SWITCH_SOURCE,
                    });
                }
            }
            let asked = wanted
                .onboarding_domain
                .as_deref()
                .map(|domain| domain.trim().to_lowercase())
                .filter(|domain| !domain.is_empty())
                .ok_or_else(|| {
                    UserSourceError::Invalid(vec![FieldError::new(
                        "onboarding_domain",
                        "required",
                        "pick the domain technicians are onboarded with",
                    )])
                })?;
            let listed = graph.list_domains(app, &entra).await?;
            if let Some(refusal) = entra_domains::refusal(&listed, &asked, "onboarding_domain") {
                return Err(UserSourceError::Invalid(vec![refusal]));
            }
            if row.source != AZUREAD {
                // A new source starts with a full round.
                row.delta_link = None;
            }
            row.source = AZUREAD.to_owned();
            row.onboarding_domain = Some(asked);
            jobs::store::ensure_tenant_job(
                db,
                JobKind::UserSourceSync,
                &sync_job_name(caller.tenant_id),
                caller.tenant_id,
                sync_interval,
            )
            .await?;
        }
    }
    row.jit_prefix = prefix.as_str().to_owned();
    save(db, row.clone()).await?;
    audit::record(
        db,
        AuditRecord::by(caller, "settings.user_source.update", format!("tenant:{}", caller.tenant_id))
            .with_details(serde_json::json!({
                "before": before,
                "after": { "source": row.source, "onboarding_domain": row.onboarding_domain, "jit_prefix": row.jit_prefix },
            })),
    )
    .await?;
    settings(db, caller).await
}

/// **Sync now**: the offboarding sync becomes due at once (a running one is left to finish).
pub async fn sync_now(
    db: &impl ConnectionTrait,
    caller: &Caller,
) -> Result<UserSourceSettings, UserSourceError> {
    caller.require_admin()?;
    if stored(db, caller.tenant_id).await?.source != AZUREAD {
        return Err(UserSourceError::NotEntra);
    }
    job::Entity::update_many()
        .col_expr(job::Column::NextRunAt, Expr::value(Utc::now()))
        .filter(job::Column::Name.eq(sync_job_name(caller.tenant_id)))
        .exec(db)
        .await
        .map_err(StorageError::from)?;
    audit::record(
        db,
        AuditRecord::by(
            caller,
            "user_source.sync_requested",
            format!("tenant:{}", caller.tenant_id),
        ),
    )
    .await?;
    settings(db, caller).await
}

/// Whether `email` may be onboarded into `tenant_id`: with Entra as the source, the directory
/// must hold it, enabled; answers its object ID then.
pub async fn check_onboarding(
    db: &impl ConnectionTrait,
    graph: &GraphClient,
    app: Option<&SignInApp>,
    tenant_id: Uuid,
    email: &domain::Email,
) -> Result<Option<String>, UserSourceError> {
    let row = stored(db, tenant_id).await?;
    if row.source != AZUREAD {
        return Ok(None);
    }
    let app = app.ok_or(UserSourceError::AppNotConfigured)?;
    let entra = connected_tenant(&row)?;
    let refuse = |code: &'static str, detail: &str| {
        UserSourceError::Invalid(vec![FieldError::new("email", code, detail)])
    };
    match graph
        .find_user(app, &entra, UserLookup::Email(email.as_str()))
        .await?
    {
        None => Err(refuse(
            "not_in_directory",
            "your Microsoft Entra directory has no user with this e-mail",
        )),
        Some(found) if !found.enabled => Err(refuse(
            "disabled_in_directory",
            "this user is disabled in your Microsoft Entra directory",
        )),
        Some(found) => Ok(Some(found.object_id)),
    }
}

/// Whether user `user_id` of `tenant_id` may be reactivated: with Entra as the source, a
/// technician the directory knows must still be there, enabled; otherwise the next sync or
/// sign-in would deactivate it again.
pub async fn check_reactivation(
    db: &impl ConnectionTrait,
    graph: &GraphClient,
    app: Option<&SignInApp>,
    tenant_id: Uuid,
    user_id: Uuid,
) -> Result<(), UserSourceError> {
    let row = stored(db, tenant_id).await?;
    if row.source != AZUREAD {
        return Ok(());
    }
    let target = user::Entity::find_by_id(user_id)
        .filter(user::Column::TenantId.eq(tenant_id))
        .one(db)
        .await
        .map_err(StorageError::from)?;
    let Some(target) = target.filter(|target| !target.active) else {
        return Ok(());
    };
    let app = app.ok_or(UserSourceError::AppNotConfigured)?;
    let entra = connected_tenant(&row)?;
    let lookup = match &target.external_id {
        Some(object_id) => UserLookup::ObjectId(object_id),
        None => UserLookup::Email(&target.email),
    };
    let refuse = |code: &'static str, detail: &str| {
        UserSourceError::Invalid(vec![FieldError::new("active", code, detail)])
    };
    match graph.find_user(app, &entra, lookup).await? {
        None if target.external_id.is_some() => Err(refuse(
            "not_in_directory",
            "this user is no longer in your Microsoft Entra directory",
        )),
        Some(found) if !found.enabled => Err(refuse(
            "disabled_in_directory",
            "this user is disabled in your Microsoft Entra directory: enable it there first",
        )),
        _ => Ok(()),
    }
}
