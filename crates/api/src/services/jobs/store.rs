//! The jobs table and its leases. A process claims a due job with one conditional `UPDATE`: on
//! PostgreSQL the row is picked `FOR UPDATE SKIP LOCKED`, so two processes never wait on or take
//! the same job; on SQLite the statement runs under the database's single write lock. A lease
//! that was not renewed in time (its process died) makes the job claimable again.

use chrono::{DateTime, Duration, Utc};
use domain::JobInterval;
use entity::{job, job_run};
use proto::{JobKind, JobOutcome};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, QueryFilter, QueryOrder, Statement,
    Value,
    sea_query::{Expr, ExprTrait, OnConflict},
};
use uuid::Uuid;

use crate::services::storage::StorageError;

/// A stored error message is cut to this many characters.
const MAX_ERROR_CHARS: usize = 2000;

/// A job this process holds the lease of, and the run it started.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub name: String,
    /// The tenant a tenant's own job works for.
    pub tenant_id: Option<Uuid>,
    pub kind: Option<JobKind>,
    pub due: DateTime<Utc>,
    pub interval: Option<JobInterval>,
    pub attempts: u32,
    pub run_id: Uuid,
}

/// Creates the platform job `kind` when missing, due now; otherwise takes `interval` as its
/// interval and brings a later due time forward to one interval from now.
pub async fn ensure_platform_job(
    db: &impl ConnectionTrait,
    kind: JobKind,
    interval: JobInterval,
) -> Result<(), StorageError> {
    let now = Utc::now();
    insert_or_retime(db, kind, kind.as_str(), None, interval).await?;
    let soonest = now + Duration::seconds(interval.secs());
    job::Entity::update_many()
        .col_expr(job::Column::NextRunAt, Expr::value(soonest))
        .filter(job::Column::Name.eq(kind.as_str()))
        .filter(job::Column::NextRunAt.gt(soonest))
        .exec(db)
        .await?;
    Ok(())
}

/// Creates the job `name` of `tenant_id` when missing, due now; otherwise takes `interval` as its
/// interval.
pub async fn ensure_tenant_job(
    db: &impl ConnectionTrait,
    kind: JobKind,
    name: &str,
    tenant_id: Uuid,
    interval: JobInterval,
) -> Result<(), StorageError> {
    insert_or_retime(db, kind, name, Some(tenant_id), interval).await
}

/// Inserts the job due now, or gives the existing one `interval`.
async fn insert_or_retime(
    db: &impl ConnectionTrait,
    kind: JobKind,
    name: &str,
    tenant_id: Option<Uuid>,
    interval: JobInterval,
) -> Result<(), StorageError> {
    job::Entity::insert(job::ActiveModel {
        name: Set(name.to_owned()),
        kind: Set(kind.as_str().to_owned()),
        tenant_id: Set(tenant_id),
        interval_secs: Set(interval.secs()),
        next_run_at: Set(Utc::now()),
        lease_owner: Set(None),
        lease_expires_at: Set(None),
        attempts: Set(0),
        last_started_at: Set(None),
        last_finished_at: Set(None),
        last_outcome: Set(None),
        last_error: Set(None),
    })
    .on_conflict(
        OnConflict::column(job::Column::Name)
            .update_column(job::Column::IntervalSecs)
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Makes the job `name` due at `at` if it was due later (a run under way keeps its lease and
/// records its own next time, which a later call brings forward again).
pub async fn bring_forward(
    db: &impl ConnectionTrait,
    name: &str,
    at: DateTime<Utc>,
) -> Result<(), StorageError> {
    job::Entity::update_many()
        .col_expr(job::Column::NextRunAt, Expr::value(at))
        .filter(job::Column::Name.eq(name))
        .filter(job::Column::NextRunAt.gt(at))
        .exec(db)
        .await?;
    Ok(())
}

/// Removes the job `name` and its history (a run under way finishes without a row to update).
pub async fn remove_job(db: &impl ConnectionTrait, name: &str) -> Result<(), StorageError> {
    job_run::Entity::delete_many()
        .filter(job_run::Column::JobName.eq(name))
        .exec(db)
        .await?;
    job::Entity::delete_many()
        .filter(job::Column::Name.eq(name))
        .exec(db)
        .await?;
    Ok(())
}

/// Takes the lease of the job due longest ago whose lease is free or expired, and records the
/// run it starts; `None` when nothing is due.
pub async fn claim_due(
    db: &impl ConnectionTrait,
    runner: &str,
    lease: Duration,
) -> Result<Option<Claimed>, StorageError> {
    let now = Utc::now();
    let backend = db.get_database_backend();
    let sql = match backend {
        DatabaseBackend::Postgres => {
            "UPDATE jobs SET lease_owner = $1, lease_expires_at = $2, attempts = attempts + 1, \
             last_started_at = $3 \
             WHERE name = (SELECT name FROM jobs WHERE next_run_at <= $3 \
               AND (lease_expires_at IS NULL OR lease_expires_at < $3) \
               ORDER BY next_run_at LIMIT 1 FOR UPDATE SKIP LOCKED) \
             AND next_run_at <= $3 AND (lease_expires_at IS NULL OR lease_expires_at < $3) \
             RETURNING name, kind, tenant_id, next_run_at, interval_secs, attempts"
        }
        _ => {
            "UPDATE jobs SET lease_owner = ?1, lease_expires_at = ?2, attempts = attempts + 1, \
             last_started_at = ?3 \
             WHERE name = (SELECT name FROM jobs WHERE next_run_at <= ?3 \
               AND (lease_expires_at IS NULL OR lease_expires_at < ?3) \
               ORDER BY next_run_at LIMIT 1) \
             AND next_run_at <= ?3 AND (lease_expires_at IS NULL OR lease_expires_at < ?3) \
             RETURNING name, kind, tenant_id, next_run_at, interval_secs, attempts"
        }
    };
    let values: [Value; 3] = [runner.into(), (now + lease).into(), now.into()];
    let Some(row) = db
        .query_one_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?
    else {
        return Ok(None);
    };
    let name: String = row.try_get("", "name")?;
    let kind: String = row.try_get("", "kind")?;
    let tenant_id: Option<Uuid> = row.try_get("", "tenant_id")?;
    let due: DateTime<Utc> = row.try_get("", "next_run_at")?;
    let interval_secs: i64 = row.try_get("", "interval_secs")?;
    let attempts: i32 = row.try_get("", "attempts")?;
    // The run a dead process left unfinished ended when its lease did.
    job_run::Entity::update_many()
        .col_expr(job_run::Column::FinishedAt, Expr::value(now))
        .col_expr(
            job_run::Column::Outcome,
            Expr::value(JobOutcome::LeaseExpired.as_str()),
        )
        .filter(job_run::Column::JobName.eq(&name))
        .filter(job_run::Column::FinishedAt.is_null())
        .exec(db)
        .await?;
    let run_id = Uuid::new_v4();
    job_run::ActiveModel {
        id: Set(run_id),
        job_name: Set(name.clone()),
        scheduled_for: Set(due),
        runner: Set(runner.to_owned()),
        started_at: Set(now),
        finished_at: Set(None),
        outcome: Set(None),
        error: Set(None),
    }
    .insert(db)
    .await?;
    Ok(Some(Claimed {
        tenant_id,
        kind: JobKind::parse(&kind),
        interval: u64::try_from(interval_secs)
            .ok()
            .and_then(|secs| JobInterval::parse(secs).ok()),
        attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
        name,
        due,
        run_id,
    }))
}

/// Extends the lease while the run goes on; false when this process no longer holds it.
pub async fn renew(
    db: &impl ConnectionTrait,
    name: &str,
    runner: &str,
    lease: Duration,
) -> Result<bool, StorageError> {
    let renewed = job::Entity::update_many()
        .col_expr(job::Column::LeaseExpiresAt, Expr::value(Utc::now() + lease))
        .filter(job::Column::Name.eq(name))
        .filter(job::Column::LeaseOwner.eq(runner))
        .exec(db)
        .await?;
    Ok(renewed.rows_affected > 0)
}

/// Ends the run: frees the lease and sets the next due time, by the outcome, or `due_by` when
/// the work needs the job sooner (an account expiring before the next interval).
pub async fn finish(
    db: &impl ConnectionTrait,
    claimed: &Claimed,
    runner: &str,
    outcome: Result<(), String>,
    due_by: Option<DateTime<Utc>>,
) -> Result<(), StorageError> {
    let now = Utc::now();
    // A job whose stored interval no longer parses runs hourly until it is fixed.
    let interval = claimed.interval.unwrap_or(JobInterval::HOURLY);
    let (next, attempts, result, error) = match &outcome {
        Ok(()) => (
            domain::next_regular_run(claimed.due, interval, now),
            0,
            JobOutcome::Succeeded,
            None,
        ),
        Err(message) => (
            domain::retry_after_failure(claimed.attempts, interval, now),
            i32::try_from(claimed.attempts).unwrap_or(i32::MAX),
            JobOutcome::Failed,
            Some(message.chars().take(MAX_ERROR_CHARS).collect::<String>()),
        ),
    };
    let next = due_by.map_or(next, |due_by| Ord::min(next, Ord::max(due_by, now)));
    job::Entity::update_many()
        .col_expr(job::Column::LeaseOwner, Expr::value(Option::<String>::None))
        .col_expr(
            job::Column::LeaseExpiresAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(job::Column::Attempts, Expr::value(attempts))
        .col_expr(job::Column::NextRunAt, Expr::value(next))
        .col_expr(job::Column::LastFinishedAt, Expr::value(now))
        .col_expr(job::Column::LastOutcome, Expr::value(result.as_str()))
        .col_expr(job::Column::LastError, Expr::value(error.clone()))
        .filter(job::Column::Name.eq(&claimed.name))
        .filter(job::Column::LeaseOwner.eq(runner))
        .exec(db)
        .await?;
    job_run::Entity::update_many()
        .col_expr(job_run::Column::FinishedAt, Expr::value(now))
        .col_expr(job_run::Column::Outcome, Expr::value(result.as_str()))
        .col_expr(job_run::Column::Error, Expr::value(error))
        .filter(job_run::Column::Id.eq(claimed.run_id))
        .exec(db)
        .await?;
    Ok(())
}

/// The platform's jobs and `tenant_id`'s own, by name.
pub async fn visible_to(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
) -> Result<Vec<job::Model>, StorageError> {
    Ok(job::Entity::find()
        .filter(
            job::Column::TenantId
                .is_null()
                .or(job::Column::TenantId.eq(tenant_id)),
        )
        .order_by_asc(job::Column::Name)
        .all(db)
        .await?)
}

/// The earliest time any job is due, to sleep until.
pub async fn next_due(db: &impl ConnectionTrait) -> Result<Option<DateTime<Utc>>, StorageError> {
    Ok(job::Entity::find()
        .order_by_asc(job::Column::NextRunAt)
        .one(db)
        .await?
        .map(|job| match job.lease_expires_at {
            Some(lease) if lease > job.next_run_at => lease,
            _ => job.next_run_at,
        }))
}
