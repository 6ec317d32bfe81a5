//! Durable scheduled jobs (SPEC §16): each job is a row with its due time and a lease, so that it
//! runs once at each due time however many server processes share the database, a run whose
//! process died is taken over when its lease expires, and failures are retried with backoff
//! (`domain::retry_after_failure`). Admins see each job's last run, next run, attempts and
//! error.

pub mod runner;
pub mod store;

use domain::JobInterval;
use proto::{Job, JobKind, JobOutcome};
use sea_orm::ConnectionTrait;

use crate::{
    infra::auth::Caller,
    services::{access::AccessDenied, storage::StorageError},
};

#[derive(Debug, thiserror::Error)]
pub enum JobsError {
    #[error(transparent)]
    Denied(#[from] AccessDenied),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// The platform's jobs and the caller's tenant's own (admins).
pub async fn list(db: &impl ConnectionTrait, caller: &Caller) -> Result<Vec<Job>, JobsError> {
    caller.require_admin()?;
    let now = chrono::Utc::now();
    Ok(store::visible_to(db, caller.tenant_id)
        .await?
        .into_iter()
        // A kind this server does not know (a newer replica's, mid-upgrade) is left out.
        .filter_map(|row| {
            Some(Job {
                kind: JobKind::parse(&row.kind)?,
                interval_secs: u64::try_from(row.interval_secs)
                    .ok()
                    .filter(|secs| JobInterval::parse(*secs).is_ok())?,
                next_run_at: row.next_run_at,
                running: row.lease_expires_at.is_some_and(|lease| lease > now),
                attempts: u32::try_from(row.attempts).unwrap_or(0),
                last_started_at: row.last_started_at,
                last_finished_at: row.last_finished_at,
                last_outcome: row.last_outcome.as_deref().and_then(JobOutcome::parse),
                last_error: row.last_error,
                name: row.name,
            })
        })
        .collect())
}
