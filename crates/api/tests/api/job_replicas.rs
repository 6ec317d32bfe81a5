//! Durable scheduled jobs across two real server processes on one PostgreSQL database: every due
//! time of a job runs once, and when the process running a job is killed, the other takes the job
//! over once the lease has expired, not before.

use std::{collections::HashSet, time::Duration};

use chrono::{DateTime, Utc};
use entity::{job, job_run};
use sea_orm::{
    ColumnTrait, ConnectionTrait, Database, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, TransactionTrait,
};

use crate::helpers::{Backend, run_with_database};
use crate::replicas::{bootstrap, start_replica_with};

/// Every second, with a lease of two seconds.
const FAST_JOBS: [&str; 4] = ["--housekeeping-interval-secs", "1", "--job-lease-secs", "2"];

async fn runs(db: &DatabaseConnection) -> Vec<job_run::Model> {
    job_run::Entity::find()
        .order_by_asc(job_run::Column::StartedAt)
        .all(db)
        .await
        .unwrap()
}

/// Waits (up to `limit`) until `done` holds of the runs recorded so far.
async fn runs_once(
    db: &DatabaseConnection,
    limit: Duration,
    done: impl Fn(&[job_run::Model]) -> bool,
) -> Vec<job_run::Model> {
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        let now = runs(db).await;
        if done(&now) {
            return now;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the runs never reached the state: {now:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn runner_of(pid: u32) -> String {
    format!("{pid}:")
}

#[tokio::test]
async fn each_due_time_of_a_job_runs_once_across_two_replicas() {
    run_with_database(
        Backend::Postgres,
        "job_replicas_once",
        |url, data_dir| async move {
            bootstrap(&url, data_dir.path());
            let a = start_replica_with(&url, data_dir.path(), "a", &FAST_JOBS).await;
            let b = start_replica_with(&url, data_dir.path(), "b", &FAST_JOBS).await;
            let db = Database::connect(&url).await.unwrap();

            // Both poll the table for 20 seconds: a job due every second.
            tokio::time::sleep(Duration::from_secs(20)).await;
            drop(a);
            drop(b);
            let runs = runs(&db).await;
            let finished: Vec<&job_run::Model> = runs
                .iter()
                .filter(|run| run.finished_at.is_some())
                .collect();
            assert!(finished.len() >= 15, "about one run a second: {runs:?}");
            assert!(
                finished
                    .iter()
                    .all(|run| run.outcome.as_deref() == Some("succeeded")),
                "{runs:?}"
            );
            let due_times: HashSet<DateTime<Utc>> =
                runs.iter().map(|run| run.scheduled_for).collect();
            assert_eq!(
                due_times.len(),
                runs.len(),
                "a due time ran twice: {runs:?}"
            );
            for pair in finished.windows(2) {
                let (earlier, later) = (pair[0], pair[1]);
                assert!(
                    later.started_at >= earlier.finished_at.unwrap(),
                    "two runs overlapped: {earlier:?} and {later:?}"
                );
                assert!(later.scheduled_for > earlier.scheduled_for, "{runs:?}");
            }
            let runners: HashSet<&str> = runs.iter().map(|run| run.runner.as_str()).collect();
            println!("{} runs in 20 s by {} processes", runs.len(), runners.len());
        },
    )
    .await;
}

#[tokio::test]
async fn a_killed_replicas_job_is_taken_over_once_its_lease_has_expired() {
    run_with_database(
        Backend::Postgres,
        "job_replicas_takeover",
        |url, data_dir| async move {
            bootstrap(&url, data_dir.path());
            let db = Database::connect(&url).await.unwrap();
            // Housekeeping deletes from idempotency_records: locked, A's run waits inside it.
            let lock = db.begin().await.unwrap();
            lock.execute_unprepared("LOCK TABLE idempotency_records IN ACCESS EXCLUSIVE MODE")
                .await
                .unwrap();
            let mut a = start_replica_with(&url, data_dir.path(), "a", &FAST_JOBS).await;
            let a_runner = runner_of(a.child.id());
            let stuck = runs_once(&db, Duration::from_secs(20), |runs| {
                runs.iter()
                    .any(|run| run.runner.starts_with(&a_runner) && run.finished_at.is_none())
            })
            .await;
            let b = start_replica_with(&url, data_dir.path(), "b", &FAST_JOBS).await;
            // A renews its lease while it lives: B waits, however long A's run takes.
            tokio::time::sleep(Duration::from_secs(3)).await;
            let meanwhile = runs(&db).await;
            assert_eq!(
                meanwhile.len(),
                stuck.len(),
                "B ran while A held the lease: {meanwhile:?}"
            );

            a.child.kill().unwrap();
            a.child.wait().unwrap();
            let killed_at = Utc::now();
            lock.rollback().await.unwrap();
            let after = runs_once(&db, Duration::from_secs(20), |runs| {
                runs.iter().any(|run| {
                    !run.runner.starts_with(&a_runner)
                        && run.outcome.as_deref() == Some("succeeded")
                })
            })
            .await;
            let abandoned = after
                .iter()
                .find(|run| run.runner.starts_with(&a_runner) && run.started_at <= killed_at)
                .unwrap();
            assert_eq!(
                abandoned.outcome.as_deref(),
                Some("lease_expired"),
                "{after:?}"
            );
            let taken_over = after
                .iter()
                .find(|run| !run.runner.starts_with(&a_runner))
                .unwrap();
            assert!(taken_over.started_at > killed_at, "{after:?}");
            let job = job::Entity::find()
                .filter(job::Column::Name.eq("housekeeping"))
                .one(&db)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(job.last_outcome.as_deref(), Some("succeeded"));
            drop(b);
        },
    )
    .await;
}
