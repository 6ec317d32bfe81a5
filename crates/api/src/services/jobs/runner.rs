//! The loop every server process runs beside the API: claim a due job, run it while renewing its
//! lease, record how it went, and sleep until the next one is due.

use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use msp_graph::{GraphClient, SignInApp};
use proto::JobKind;
use sea_orm::DatabaseConnection;

use super::store::{self, Claimed};
use crate::services::{housekeeping, jit_accounts, sign_in::throttle::ThrottlePolicy, user_source};

/// The longest sleep between two looks at the jobs table: jobs another process adds or brings
/// forward are seen within it.
const MAX_SLEEP: StdDuration = StdDuration::from_secs(5);
/// The shortest sleep, so that a clock a little behind the database's cannot spin the loop.
const MIN_SLEEP: StdDuration = StdDuration::from_millis(50);
/// After the database failed, wait this long before asking again.
const AFTER_FAILURE: StdDuration = StdDuration::from_secs(5);

/// What running a job needs.
pub struct JobRunner {
    pub db: DatabaseConnection,
    pub throttle: ThrottlePolicy,
    pub graph: GraphClient,
    /// The operator's Entra app, which reads consented directories; none when not configured.
    pub operator_app: Option<SignInApp>,
    /// This process, as the holder of a lease: unique per start.
    pub runner_id: String,
    pub lease: Duration,
    /// Signalled when a job of this process's tenants became due now.
    pub due_now: std::sync::Arc<tokio::sync::Notify>,
}

impl JobRunner {
    /// Runs due jobs until the runtime ends.
    pub async fn run_forever(self) {
        loop {
            match store::claim_due(&self.db, &self.runner_id, self.lease).await {
                Ok(Some(claimed)) => self.run_claimed(claimed).await,
                Ok(None) => {
                    let sleep = self.sleep_until_next_due().await;
                    tokio::select! {
                        () = tokio::time::sleep(sleep) => {}
                        () = self.due_now.notified() => {}
                    }
                }
                Err(error) => {
                    tracing::warn!(%error, "cannot claim a due job; trying again shortly");
                    tokio::time::sleep(AFTER_FAILURE).await;
                }
            }
        }
    }

    async fn sleep_until_next_due(&self) -> StdDuration {
        match store::next_due(&self.db).await {
            Ok(Some(due)) => (due - Utc::now())
                .to_std()
                .unwrap_or(MIN_SLEEP)
                .clamp(MIN_SLEEP, MAX_SLEEP),
            Ok(None) => MAX_SLEEP,
            Err(error) => {
                tracing::warn!(%error, "cannot read when the next job is due");
                AFTER_FAILURE
            }
        }
    }

    async fn run_claimed(&self, claimed: Claimed) {
        let started = std::time::Instant::now();
        let work = self.work(claimed.kind, claimed.tenant_id);
        let keep_lease = self.keep_lease(&claimed.name);
        let (outcome, due_by) = tokio::select! {
            report = work => report,
            () = keep_lease => {
                // Another process holds it now: it records the run, this one stops.
                tracing::warn!(job = %claimed.name, "lost the lease of a running job; stopping it");
                return;
            }
        };
        let label = if outcome.is_ok() {
            "succeeded"
        } else {
            "failed"
        };
        metrics::counter!("job_runs_total", "job" => claimed.name.clone(), "outcome" => label)
            .increment(1);
        metrics::histogram!("job_run_duration_seconds", "job" => claimed.name.clone())
            .record(started.elapsed().as_secs_f64());
        if let Err(error) = &outcome {
            tracing::warn!(job = %claimed.name, attempts = claimed.attempts, %error, "a job failed; it will be retried");
        }
        if let Err(error) =
            store::finish(&self.db, &claimed, &self.runner_id, outcome, due_by).await
        {
            tracing::warn!(job = %claimed.name, %error, "cannot record a job's run; its lease will expire and it will run again");
        }
    }

    /// Runs the job; answers how it went and when it must run again, if sooner than its
    /// interval.
    async fn work(
        &self,
        kind: Option<JobKind>,
        tenant_id: Option<uuid::Uuid>,
    ) -> (Result<(), String>, Option<DateTime<Utc>>) {
        match (kind, tenant_id) {
            (Some(JobKind::UserSourceSync), Some(tenant_id)) => {
                let synced = user_source::sync::run(
                    &self.db,
                    &self.graph,
                    self.operator_app.as_ref(),
                    tenant_id,
                )
                .await;
                if let Ok(deactivated) = synced {
                    tracing::info!(%tenant_id, deactivated, "user source sync");
                }
                (synced.map(|_| ()), None)
            }
            (Some(JobKind::JitAccountExpiry), Some(reseller_id)) => {
                let report = jit_accounts::expiry::run(
                    &self.db,
                    &self.graph,
                    self.operator_app.as_ref(),
                    reseller_id,
                )
                .await;
                (report.outcome, report.next_expiry)
            }
            (Some(JobKind::Housekeeping), _) => {
                let purged = housekeeping::purge_expired(&self.db, &self.throttle)
                    .await
                    .map_err(|error| error.to_string());
                tracing::debug!(?purged, "housekeeping");
                (purged.map(|_| ()), None)
            }
            (Some(kind), None) => (
                Err(format!("a {} job without its tenant", kind.as_str())),
                None,
            ),
            (None, _) => (
                Err("this server does not know the job's kind".to_owned()),
                None,
            ),
        }
    }

    /// Renews the lease a third of the way through each period; ends only when it is lost.
    async fn keep_lease(&self, name: &str) {
        let period = (self.lease / 3)
            .to_std()
            .unwrap_or(MIN_SLEEP)
            .max(MIN_SLEEP);
        loop {
            tokio::time::sleep(period).await;
            match store::renew(&self.db, name, &self.runner_id, self.lease).await {
                Ok(true) => {}
                Ok(false) => return,
                // A passing database failure: the lease may still be renewed in time next round.
                Err(error) => tracing::warn!(job = %name, %error, "cannot renew a job's lease"),
            }
        }
    }
}
