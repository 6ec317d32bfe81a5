//! Durable scheduled jobs (SPEC §16): the housekeeping job runs at start-up through the jobs
//! table, admins see how its last run went, and a failing run is retried with backoff, its error
//! shown, until it succeeds again. Two server processes on one database are in `job_replicas`.

use std::time::Duration;

use chrono::{DateTime, Utc};
use proto::Role;
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, EntityTrait};
use serde_json::Value;

use crate::business::reseller;
use crate::helpers::{AppOptions, PASSWORD, TestApp};

const JOBS: &str = "/api/v1/jobs";

/// The housekeeping job as an admin sees it, once `done` holds of it (within 20 seconds).
async fn housekeeping_once(app: &TestApp, token: &str, done: impl Fn(&Value) -> bool) -> Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let (status, page) = app.get_json(JOBS, token).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        let job = page["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|job| job["name"] == "housekeeping")
            .cloned()
            .expect("the housekeeping job is listed");
        if done(&job) {
            return job;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the housekeeping job never reached the state: {job}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits (up to 20 seconds) for the end of the housekeeping run every start-up makes, for tests
/// that count the rows of every table.
pub async fn first_housekeeping_done(app: &TestApp) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let job = entity::job::Entity::find_by_id("housekeeping".to_owned())
            .one(&app.db)
            .await
            .unwrap();
        if job.is_some_and(|job| job.last_finished_at.is_some()) {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no housekeeping run ended"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn time(value: &Value) -> DateTime<Utc> {
    value.as_str().unwrap().parse().unwrap()
}

db_test!(
    the_housekeeping_job_runs_at_start_up_and_admins_see_its_last_run,
    |app| async move {
        let shop = reseller(&app, "Scheduled Reseller").await;
        let job =
            housekeeping_once(&app, &shop.token, |job| job["last_outcome"] == "succeeded").await;
        assert_eq!(job["kind"], "housekeeping");
        assert_eq!(job["interval_secs"], 3600);
        assert_eq!(job["attempts"], 0);
        assert_eq!(job["last_error"], Value::Null);
        let next_in = time(&job["next_run_at"]) - time(&job["last_started_at"]);
        assert!(
            (3590..=3610).contains(&next_in.num_seconds()),
            "next run an hour after the due time: {job}"
        );
        let runs = entity::job_run::Entity::find().all(&app.db).await.unwrap();
        assert_eq!(runs.len(), 1, "{runs:?}");
        assert_eq!(runs[0].outcome.as_deref(), Some("succeeded"));

        app.create_user(
            shop.tenant.id,
            "tech@scheduled.test",
            Role::Technician,
            domain::ClaimSet::all(),
        )
        .await;
        let technician = app.sign_in("tech@scheduled.test", PASSWORD).await;
        let (status, problem) = app.get_json(JOBS, &technician).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{problem}");
    }
);

db_test!(
    @expand a_failing_job_is_retried_with_backoff_shows_its_error_and_recovers,
    AppOptions {
        jobs: msp_api::config::JobOptions {
            housekeeping_interval_secs: 1,
            job_lease_secs: 5,
            ..Default::default()
        },
        ..AppOptions::default()
    },
    |app| async move {
        let shop = reseller(&app, "Retrying Reseller").await;
        housekeeping_once(&app, &shop.token, |job| {
            job["last_outcome"] == "succeeded"
        })
        .await;
        // A table housekeeping deletes from goes away: every run fails until it is back.
        app.db
            .execute_unprepared("ALTER TABLE login_throttle RENAME TO login_throttle_away")
            .await
            .unwrap();
        let failed = housekeeping_once(&app, &shop.token, |job| {
            job["last_outcome"] == "failed" && job["attempts"].as_u64() >= Some(2)
        })
        .await;
        let error = failed["last_error"].as_str().unwrap();
        assert!(error.contains("login_throttle"), "{error}");
        // The retry comes after its backoff: at most the interval, a second here.
        let retry_in = time(&failed["next_run_at"]) - time(&failed["last_finished_at"]);
        assert!(
            (0..=1100).contains(&retry_in.num_milliseconds()),
            "{failed}"
        );

        app.db
            .execute_unprepared("ALTER TABLE login_throttle_away RENAME TO login_throttle")
            .await
            .unwrap();
        let recovered = housekeeping_once(&app, &shop.token, |job| {
            job["last_outcome"] == "succeeded"
        })
        .await;
        assert_eq!(recovered["attempts"], 0);
        assert_eq!(recovered["last_error"], Value::Null);
        let runs = entity::job_run::Entity::find().all(&app.db).await.unwrap();
        assert!(
            runs.iter().any(|run| run.outcome.as_deref() == Some("failed")
                && run.error.as_deref().is_some_and(|error| error.contains("login_throttle"))),
            "each failed run keeps its error: {runs:?}"
        );
    }
);
