//! Rows that only matter for a while: sign-in throttle counters whose window and lock have
//! passed, idempotency records older than a day, sessions that ended a day ago, provisioning
//! calls older than 30 days, job runs older than 7 days. Deleted by the durable `housekeeping`
//! job (at start-up and every hour by default), so the tables do not grow for ever.

use chrono::{Duration, Utc};
use entity::{idempotency_record, job_run, login_throttle};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, sea_query::ExprTrait};

use crate::services::{
    provisioning, sessions, sign_in::throttle::ThrottlePolicy, storage::StorageError,
};

/// How long a repeated `Idempotency-Key` replays the first answer.
pub const IDEMPOTENCY_RETENTION_HOURS: i64 = 24;

/// How long the history of job runs is kept.
pub const JOB_RUN_RETENTION_DAYS: i64 = 7;

/// What one round deleted.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Purged {
    pub throttle_rows: u64,
    pub idempotency_records: u64,
    pub sessions: u64,
    pub provisioning_calls: u64,
    pub job_runs: u64,
}

pub async fn purge_expired(
    db: &impl ConnectionTrait,
    throttle: &ThrottlePolicy,
) -> Result<Purged, StorageError> {
    let now = Utc::now();
    let throttle_rows = login_throttle::Entity::delete_many()
        .filter(login_throttle::Column::WindowStartedAt.lt(now - throttle.window))
        .filter(
            login_throttle::Column::LockedUntil
                .is_null()
                .or(login_throttle::Column::LockedUntil.lt(now)),
        )
        .exec(db)
        .await?
        .rows_affected;
    let idempotency_records = idempotency_record::Entity::delete_many()
        .filter(
            idempotency_record::Column::CreatedAt
                .lt(now - Duration::hours(IDEMPOTENCY_RETENTION_HOURS)),
        )
        .exec(db)
        .await?
        .rows_affected;
    let sessions = sessions::purge_stale(db).await?;
    let provisioning_calls = provisioning::calls::purge_old(db).await?;
    let job_runs = job_run::Entity::delete_many()
        .filter(job_run::Column::StartedAt.lt(now - Duration::days(JOB_RUN_RETENTION_DAYS)))
        .filter(job_run::Column::FinishedAt.is_not_null())
        .exec(db)
        .await?
        .rows_affected;
    Ok(Purged {
        throttle_rows,
        idempotency_records,
        sessions,
        provisioning_calls,
        job_runs,
    })
}
