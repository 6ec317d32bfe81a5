//! The MSP's expiry job: every account whose time is up, that an admin ended, whose customer
//! was deleted or whose request failed half-way is taken apart in Entra's order (disable, revoke
//! its sign-in sessions, remove its roles, delete it). Each step is idempotent and its progress
//! is kept, so a failed run (consent withdrawn, Graph unreachable) goes on where it stopped; the
//! error is shown on the account and the job retries with backoff.

use chrono::{DateTime, Duration, Utc};
use domain::{AzureTenantId, TeardownStep};
use entity::jit_account;
use msp_graph::{CustomerDirectoryError, GraphClient, SignInApp};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, DatabaseConnection, EntityTrait,
    QueryFilter, QueryOrder,
};
use uuid::Uuid;

use super::state;
use crate::services::{
    audit::{self, AuditRecord, Source},
    storage::StorageError,
};

/// A create still unanswered after this long belongs to a process that stopped.
const STALE_CREATE_MINUTES: i64 = 10;

/// How a run went, and when the next account of the MSP expires.
pub struct ExpiryReport {
    pub outcome: Result<(), String>,
    pub next_expiry: Option<DateTime<Utc>>,
}

/// Takes apart every due account of the MSP `reseller_id`.
pub async fn run(
    db: &DatabaseConnection,
    graph: &GraphClient,
    app: Option<&SignInApp>,
    reseller_id: Uuid,
) -> ExpiryReport {
    let now = Utc::now();
    let outcome = match due(db, reseller_id, now).await {
        Err(error) => Err(error.to_string()),
        Ok(rows) => {
            let mut failures = Vec::new();
            for row in rows {
                let result = match app {
                    Some(app) => take_apart(db, graph, app, row).await,
                    None => {
                        record_failure(
                            db,
                            &row,
                            None,
                            "no Microsoft Entra app is configured for this server".to_owned(),
                        )
                        .await
                    }
                };
                if let Err(message) = result {
                    failures.push(message);
                }
            }
            match failures.first() {
                None => Ok(()),
                Some(first) => Err(format!(
                    "{} account(s) could not be removed yet: {first}",
                    failures.len()
                )),
            }
        }
    };
    ExpiryReport {
        outcome,
        next_expiry: next_expiry(db, reseller_id).await.ok().flatten(),
    }
}

async fn due(
    db: &DatabaseConnection,
    reseller_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Vec<jit_account::Model>, StorageError> {
    let stale = now - Duration::minutes(STALE_CREATE_MINUTES);
    Ok(jit_account::Entity::find()
        .filter(jit_account::Column::ResellerId.eq(reseller_id))
        .filter(
            Condition::any()
                .add(jit_account::Column::State.eq(state::ENDING))
                .add(
                    Condition::all()
                        .add(jit_account::Column::State.eq(state::ACTIVE))
                        .add(jit_account::Column::ExpiresAt.lte(now)),
                )
                .add(
                    Condition::all()
                        .add(jit_account::Column::State.eq(state::CREATING))
                        .add(jit_account::Column::CreatedAt.lte(stale)),
                ),
        )
        .order_by_asc(jit_account::Column::ExpiresAt)
        .all(db)
        .await?)
}

/// The earliest expiry of the MSP's active accounts.
async fn next_expiry(
    db: &DatabaseConnection,
    reseller_id: Uuid,
) -> Result<Option<DateTime<Utc>>, StorageError> {
    Ok(jit_account::Entity::find()
        .filter(jit_account::Column::ResellerId.eq(reseller_id))
        .filter(jit_account::Column::State.eq(state::ACTIVE))
        .order_by_asc(jit_account::Column::ExpiresAt)
        .one(db)
        .await?
        .map(|row| row.expires_at))
}

async fn take_apart(
    db: &DatabaseConnection,
    graph: &GraphClient,
    app: &SignInApp,
    row: jit_account::Model,
) -> Result<(), String> {
    let mut step = row
        .teardown_step
        .as_deref()
        .and_then(TeardownStep::parse)
        .unwrap_or(TeardownStep::Disable);
    let mut row = if row.state == state::ENDING {
        row
    } else {
        let mut ending: jit_account::ActiveModel = row.into();
        ending.state = Set(state::ENDING.to_owned());
        ending.update(db).await.map_err(|error| error.to_string())?
    };
    let Ok(entra) = AzureTenantId::parse(&row.entra_tenant_id) else {
        return record_failure(
            db,
            &row,
            Some(step),
            "the stored Entra tenant ID is not valid".to_owned(),
        )
        .await;
    };
    let object_id = match row.object_id.clone() {
        Some(object_id) => object_id,
        // The create's answer was lost: the name was free just before, so an account of that
        // name is the one it made.
        None => match graph
            .get_user_by_id(app, &entra, &row.user_principal_name)
            .await
        {
            Ok(Some(found)) => {
                let mut known: jit_account::ActiveModel = row.into();
                known.object_id = Set(Some(found.object_id.clone()));
                row = known.update(db).await.map_err(|error| error.to_string())?;
                found.object_id
            }
            Ok(None) => return removed(db, &row).await,
            Err(error) => return record_failure(db, &row, Some(step), error.to_string()).await,
        },
    };
    loop {
        let done = match step {
            TeardownStep::Disable => {
                graph
                    .set_account_enabled(app, &entra, &object_id, false)
                    .await
            }
            TeardownStep::RevokeSessions => {
                graph.revoke_sign_in_sessions(app, &entra, &object_id).await
            }
            TeardownStep::RemoveRoles => remove_roles(graph, app, &entra, &object_id).await,
            TeardownStep::Delete => graph.delete_user(app, &entra, &object_id).await.map(|_| ()),
        };
        match done {
            // Gone already: nothing is left to take apart.
            Err(CustomerDirectoryError::NotFound) => return removed(db, &row).await,
            Err(error) => return record_failure(db, &row, Some(step), error.to_string()).await,
            Ok(()) => match step.next() {
                None => return removed(db, &row).await,
                Some(next) => {
                    step = next;
                    let mut progressed: jit_account::ActiveModel = row.into();
                    progressed.teardown_step = Set(Some(step.as_str().to_owned()));
                    row = progressed
                        .update(db)
                        .await
                        .map_err(|error| error.to_string())?;
                }
            },
        }
    }
}

async fn remove_roles(
    graph: &GraphClient,
    app: &SignInApp,
    entra: &AzureTenantId,
    object_id: &str,
) -> Result<(), CustomerDirectoryError> {
    for assignment in graph.role_assignments_of(app, entra, object_id).await? {
        graph
            .remove_role_assignment(app, entra, &assignment.id)
            .await?;
    }
    Ok(())
}

/// Keeps the step to go on from and the error to show; answers the error for the job's report.
async fn record_failure(
    db: &DatabaseConnection,
    row: &jit_account::Model,
    step: Option<TeardownStep>,
    message: String,
) -> Result<(), String> {
    let mut failed: jit_account::ActiveModel = row.clone().into();
    failed.state = Set(state::ENDING.to_owned());
    failed.teardown_step = Set(step.map(|step| step.as_str().to_owned()));
    failed.last_error = Set(Some(message.clone()));
    failed.last_attempt_at = Set(Some(Utc::now()));
    if let Err(error) = failed.update(db).await {
        tracing::warn!(%error, "cannot record why an account could not be removed");
    }
    Err(format!("{}: {message}", row.user_principal_name))
}

/// The account is gone from Entra: its row goes and the removal is audited (in the customer
/// tenant, copied to the MSP's log; in the MSP's alone once the customer was deleted).
async fn removed(db: &DatabaseConnection, row: &jit_account::Model) -> Result<(), String> {
    let reason = if row.customer_id.is_none() {
        "customer_deleted"
    } else if row.ended_by.is_some() {
        "ended"
    } else if row.state == state::CREATING
        || row
            .last_error
            .as_deref()
            .is_some_and(|error| error.starts_with("the request failed"))
    {
        "request_failed"
    } else {
        "expired"
    };
    let record = AuditRecord {
        copy_to_msp: row.customer_id.map(|_| row.reseller_id),
        tenant_id: row.customer_id.unwrap_or(row.reseller_id),
        actor_user_id: row.ended_by,
        source: Source::Job,
        source_ip: None,
        action: "jit_account.expire",
        target: format!("jit_account:{}", row.id),
        details: Some(serde_json::json!({
            "user_principal_name": row.user_principal_name,
            "technician": row.technician_email,
            "reason": reason,
            "expired_at": row.expires_at,
        })),
    };
    let result: Result<(), StorageError> = async {
        jit_account::Entity::delete_by_id(row.id).exec(db).await?;
        audit::record(db, record).await
    }
    .await;
    result.map_err(|error| error.to_string())
}
