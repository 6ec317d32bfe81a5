//! Just-in-time admin accounts in customers' Entra directories (SPEC §16): a technician with
//! access to a customer asks for one (`request`), gets the roles its groups are mapped to for
//! the connection's lifetime, and the MSP's expiry job takes it apart when the time is up or an
//! admin ends it (`expiry`). Devices' local administrator passwords are read the same way
//! (`laps`).
//!
//! Every account has a row from before it is created in Entra until it is deleted there, so
//! that the product never forgets an account it made.

pub mod expiry;
pub mod laps;
pub mod request;
mod stored_roles;

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use domain::{AccountLifetime, JitAccountNameError, NoRolesReason};
use entity::{customer, customer_entra_connection, jit_account, user};
use msp_graph::{CustomerDirectoryError, GraphError};
use proto::{JitAccess, JitAccount, JitAccountState, JobKind};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use uuid::Uuid;

use crate::{
    infra::{InfraFailure, auth::Caller},
    services::{
        access::AccessDenied,
        audit::{self, AuditRecord},
        customer_entra, customer_tenants,
        jobs::store as job_store,
        storage::StorageError,
    },
};

pub use stored_roles::StoredRole;

#[derive(Debug, thiserror::Error)]
pub enum JitAccountError {
    /// Unknown, another MSP's, or not delegated to the caller: never told apart.
    #[error("no such customer tenant")]
    NotFound,
    /// No such account of the customer, or not the caller's to end.
    #[error("no such just-in-time account")]
    AccountNotFound,
    #[error(
        "no Microsoft Entra app is configured for this server (APP_MICROSOFT_CLIENT_ID and its secret)"
    )]
    AppNotConfigured,
    /// The connection lacks the consent, the domain or the role mapping.
    #[error("{0}")]
    NotReady(&'static str),
    #[error(transparent)]
    NoRoles(#[from] NoRolesReason),
    #[error("your account's name does not fit Microsoft Entra's rules: {0}")]
    NameInvalid(#[from] JitAccountNameError),
    #[error("the customer's directory has no such device with a backed-up password")]
    DeviceNotFound,
    /// The caller's account is being created or removed right now.
    #[error(
        "your account in this customer's directory is being created or removed; try again in a minute"
    )]
    Busy,
    /// The create's answer was lost and its retry found the name taken.
    #[error(
        "Microsoft Entra's answer to creating your account was lost; the account it may have made is being removed, request again in a minute"
    )]
    AnswerLost,
    #[error(transparent)]
    Directory(#[from] CustomerDirectoryError),
    #[error(transparent)]
    Graph(#[from] GraphError),
    #[error(transparent)]
    Denied(#[from] AccessDenied),
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error(transparent)]
    Infra(#[from] InfraFailure),
}

impl From<sea_orm::DbErr> for JitAccountError {
    fn from(error: sea_orm::DbErr) -> Self {
        Self::Storage(error.into())
    }
}

/// How an account's row names its state.
pub(crate) mod state {
    pub const CREATING: &str = "creating";
    pub const ACTIVE: &str = "active";
    pub const ENDING: &str = "ending";
}

/// The expiry job of the MSP `reseller_id`.
pub fn expiry_job_name(reseller_id: Uuid) -> String {
    format!("{}:{reseller_id}", JobKind::JitAccountExpiry.as_str())
}

/// How often the expiry job looks even when nothing is due: a safety net, since every request
/// and every end brings it forward to the moment it is needed.
const EXPIRY_INTERVAL_SECS: u64 = 15 * 60;

/// Makes sure the MSP's expiry job exists and runs no later than `at`.
pub(crate) async fn expiry_due_by(
    db: &impl ConnectionTrait,
    reseller_id: Uuid,
    at: DateTime<Utc>,
) -> Result<(), StorageError> {
    let name = expiry_job_name(reseller_id);
    let interval =
        domain::JobInterval::parse(EXPIRY_INTERVAL_SECS).unwrap_or(domain::JobInterval::HOURLY);
    job_store::ensure_tenant_job(db, JobKind::JitAccountExpiry, &name, reseller_id, interval)
        .await?;
    job_store::bring_forward(db, &name, at).await
}

/// The user behind the caller and the customer tenant, if the caller may go into it.
pub(crate) async fn accessible_customer(
    db: &impl ConnectionTrait,
    caller: &Caller,
    customer_id: Uuid,
) -> Result<(user::Model, customer::Model), JitAccountError> {
    let user = user::Entity::find_by_id(caller.user_id)
        .one(db)
        .await?
        .ok_or(JitAccountError::NotFound)?;
    let customer = customer_tenants::enterable(db, &user, customer_id)
        .await?
        .ok_or(JitAccountError::NotFound)?;
    Ok((user, customer))
}

/// Why the connection cannot make accounts yet; `None` when it can.
pub(crate) fn not_ready_reason(row: &customer_entra_connection::Model) -> Option<&'static str> {
    if row.entra_tenant_id.is_none() {
        Some("an admin of your MSP must authorise this customer's Microsoft Entra directory first")
    } else if row.account_domain.is_none() {
        Some("an admin of your MSP must choose the domain for accounts first")
    } else if row.role_mapping.is_none() {
        Some("an admin of your MSP must choose the roles accounts get first")
    } else {
        None
    }
}

/// The account as the API shows it; `customer_name` is its customer's display name, when it has
/// one still.
pub(crate) fn view(row: &jit_account::Model, customer_name: Option<&str>) -> JitAccount {
    JitAccount {
        id: row.id,
        customer_id: row.customer_id,
        customer_name: customer_name.map(str::to_owned),
        technician_id: row.technician_id,
        technician_email: row.technician_email.clone(),
        user_principal_name: row.user_principal_name.clone(),
        roles: stored_roles::parse(&row.roles),
        created_at: row.created_at,
        expires_at: row.expires_at,
        state: match row.state.as_str() {
            state::ACTIVE => JitAccountState::Active,
            state::CREATING => JitAccountState::Creating,
            _ => JitAccountState::Ending,
        },
        last_error: row.last_error.clone(),
    }
}

/// The customer's application and its accounts, for anyone who may go into the customer tenant.
pub async fn access(
    db: &impl ConnectionTrait,
    caller: &Caller,
    customer_id: Uuid,
) -> Result<JitAccess, JitAccountError> {
    let (_, customer) = accessible_customer(db, caller, customer_id).await?;
    let connection = customer_entra::stored(db, &customer).await?;
    let accounts = jit_account::Entity::find()
        .filter(jit_account::Column::CustomerId.eq(customer.tenant_id))
        .order_by_asc(jit_account::Column::ExpiresAt)
        .order_by_asc(jit_account::Column::Id)
        .all(db)
        .await?;
    let not_ready = not_ready_reason(&connection);
    Ok(JitAccess {
        app_name: connection.app_name.clone(),
        lifetime_hours: u32::try_from(connection.lifetime_hours)
            .unwrap_or(AccountLifetime::DEFAULT_HOURS),
        ready: not_ready.is_none(),
        not_ready_reason: not_ready.map(str::to_owned),
        accounts: accounts
            .iter()
            .map(|row| view(row, Some(&customer.display_name)))
            .collect(),
    })
}

/// The caller's own accounts in every customer's directory, soonest expiry first.
pub async fn mine(
    db: &impl ConnectionTrait,
    caller: &Caller,
) -> Result<Vec<JitAccount>, JitAccountError> {
    let accounts = jit_account::Entity::find()
        .filter(jit_account::Column::TechnicianId.eq(caller.user_id))
        .filter(jit_account::Column::ResellerId.eq(caller.home_tenant_id))
        .order_by_asc(jit_account::Column::ExpiresAt)
        .all(db)
        .await?;
    // The customers' names in one look-up: the account outlives a deleted customer's row.
    let names: HashMap<Uuid, String> = customer::Entity::find()
        .select_only()
        .columns([customer::Column::TenantId, customer::Column::DisplayName])
        .filter(
            customer::Column::TenantId
                .is_in(accounts.iter().filter_map(|account| account.customer_id)),
        )
        .into_tuple::<(Uuid, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(accounts
        .iter()
        .map(|row| {
            let name = row.customer_id.and_then(|id| names.get(&id));
            view(row, name.map(String::as_str))
        })
        .collect())
}

/// Ends an account before its time: the MSP's admins any, a technician its own. The expiry job
/// removes it at once. Audited.
pub async fn end(
    db: &impl ConnectionTrait,
    caller: &Caller,
    customer_id: Uuid,
    account_id: Uuid,
) -> Result<JitAccount, JitAccountError> {
    let (user, customer) = accessible_customer(db, caller, customer_id).await?;
    let row = jit_account::Entity::find_by_id(account_id)
        .filter(jit_account::Column::CustomerId.eq(customer.tenant_id))
        .one(db)
        .await?
        .filter(|row| user.role == proto::Role::Admin || row.technician_id == user.id)
        .ok_or(JitAccountError::AccountNotFound)?;
    if row.state == state::CREATING {
        return Err(JitAccountError::Busy);
    }
    let now = Utc::now();
    let mut ending: jit_account::ActiveModel = row.clone().into();
    if row.state != state::ENDING {
        ending.state = Set(state::ENDING.to_owned());
        ending.ended_by = Set(Some(user.id));
        ending.expires_at = Set(now.min(row.expires_at));
    }
    let ended = ending.update(db).await?;
    audit::record(
        db,
        AuditRecord::by(
            &caller.inside(customer.tenant_id),
            "jit_account.end",
            format!("jit_account:{}", row.id),
        )
        .with_details(serde_json::json!({
            "user_principal_name": row.user_principal_name,
            "technician": row.technician_email,
            "expires_at": row.expires_at,
        })),
    )
    .await?;
    expiry_due_by(db, row.reseller_id, now).await?;
    Ok(view(&ended, Some(&customer.display_name)))
}

/// A deleted customer's accounts: their customer is cleared and they are removed at once.
pub async fn orphan_for_deleted_customer(
    db: &impl ConnectionTrait,
    customer_id: Uuid,
) -> Result<(), StorageError> {
    let now = Utc::now();
    let affected = jit_account::Entity::find()
        .filter(jit_account::Column::CustomerId.eq(customer_id))
        .all(db)
        .await?;
    for row in &affected {
        let mut ending: jit_account::ActiveModel = row.clone().into();
        ending.customer_id = Set(None);
        ending.state = Set(state::ENDING.to_owned());
        ending.expires_at = Set(now.min(row.expires_at));
        ending.update(db).await?;
    }
    for reseller_id in affected
        .iter()
        .map(|row| row.reseller_id)
        .collect::<std::collections::BTreeSet<_>>()
    {
        expiry_due_by(db, reseller_id, now).await?;
    }
    Ok(())
}

/// A technician who was deactivated or deleted keeps no admin account in any customer's
/// directory: each of theirs is removed at once by the expiry job.
pub async fn end_all_of_technician(
    db: &impl ConnectionTrait,
    technician_id: Uuid,
) -> Result<(), StorageError> {
    let now = Utc::now();
    let theirs = jit_account::Entity::find()
        .filter(jit_account::Column::TechnicianId.eq(technician_id))
        .filter(jit_account::Column::State.eq(state::ACTIVE))
        .all(db)
        .await?;
    for row in &theirs {
        let mut ending: jit_account::ActiveModel = row.clone().into();
        ending.state = Set(state::ENDING.to_owned());
        ending.expires_at = Set(now.min(row.expires_at));
        ending.update(db).await?;
        expiry_due_by(db, row.reseller_id, now).await?;
    }
    Ok(())
}
