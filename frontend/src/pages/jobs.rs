//! Settings → Jobs (admins): the durable scheduled jobs, how often each runs, how its last run
//! went and when it runs next.

use chrono::{DateTime, Utc};
use leptos::{prelude::*, task::spawn_local};
use proto::{Job, JobOutcome, Role};

use crate::{api::jobs as api, components::minute, session::use_session};

pub const JOBS: &str = "/settings/jobs";

/// Where a job's last run stands, as the Outcome column says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RunState {
    NeverRun,
    /// A server process holds its lease and runs it now.
    Running,
    /// Started, never finished, and no process holds it any more: its server stopped, and the
    /// next process to look takes it over.
    Unfinished,
    Ended(JobOutcome),
}

fn run_state(job: &Job) -> RunState {
    if job.running {
        return RunState::Running;
    }
    let Some(started) = job.last_started_at else {
        return RunState::NeverRun;
    };
    match (job.last_finished_at, job.last_outcome) {
        (Some(finished), Some(outcome)) if finished >= started => RunState::Ended(outcome),
        _ => RunState::Unfinished,
    }
}

fn state_words(state: RunState) -> &'static str {
    match state {
        RunState::NeverRun => "Not run yet",
        RunState::Running => "Running now",
        RunState::Unfinished => "Did not finish: its server stopped; it runs again soon",
        RunState::Ended(JobOutcome::Succeeded) => "Succeeded",
        RunState::Ended(JobOutcome::Failed) => "Failed",
        RunState::Ended(JobOutcome::LeaseExpired) => "Taken over after its server stopped",
    }
}

/// A job kind in words; a kind this app has no words for yet shows as the server names it.
fn kind_label(kind: &str) -> &str {
    match kind {
        "housekeeping" => "Housekeeping",
        "user_source_sync" => "User source sync",
        "jit_account_expiry" => "Just-in-time account expiry",
        other => other,
    }
}

fn kind_help(kind: &str) -> &'static str {
    match kind {
        "housekeeping" => {
            "Deletes spent sign-in throttle counters, idempotency records after a day, ended \
             sessions, and old provisioning calls and job runs."
        }
        "jit_account_expiry" => {
            "Removes just-in-time admin accounts from customers' Entra directories when their \
             time is up or they are ended: disable, revoke sign-in sessions, remove roles, delete."
        }
        _ => "",
    }
}

fn plural(count: u64, unit: &str) -> String {
    if count == 1 {
        format!("1 {unit}")
    } else {
        format!("{count} {unit}s")
    }
}

/// `1 hour`, `4 hours`, `1 hour 30 minutes`, `1 second`.
fn span(secs: u64) -> String {
    let units = [
        (86_400, "day"),
        (3_600, "hour"),
        (60, "minute"),
        (1, "second"),
    ];
    let mut rest = secs;
    let mut parts = Vec::new();
    for (size, unit) in units {
        if rest >= size {
            parts.push(plural(rest / size, unit));
            rest %= size;
        }
    }
    if parts.is_empty() {
        "0 seconds".to_owned()
    } else {
        parts.join(" ")
    }
}

/// How long the last run took, once it finished.
fn took(started: DateTime<Utc>, finished: DateTime<Utc>) -> Option<String> {
    let millis = u64::try_from(finished.signed_duration_since(started).num_milliseconds()).ok()?;
    Some(if millis < 1_000 {
        "took less than a second".to_owned()
    } else {
        format!("took {}", span(millis / 1_000))
    })
}

/// Runs that did not succeed since the last success (none: empty); `attempts` counts a run going
/// on now too.
fn attempts_words(job: &Job) -> String {
    let failed = u64::from(if job.running {
        job.attempts.saturating_sub(1)
    } else {
        job.attempts
    });
    if failed == 0 {
        return String::new();
    }
    let failed = plural(failed, "failed attempt");
    if job.running {
        format!("{failed} before this one")
    } else {
        format!("{failed}; retrying")
    }
}

fn last_run(job: &Job) -> String {
    match job.last_started_at {
        None => "never".to_owned(),
        Some(started) => {
            let took = job
                .last_finished_at
                .and_then(|finished| took(started, finished));
            match took {
                Some(took) => format!("{}, {took}", minute(&started)),
                None => minute(&started),
            }
        }
    }
}

fn row(job: Job) -> impl IntoView {
    let state = run_state(&job);
    let kind = job.kind.as_str();
    // A tenant's own job is named `<kind>:<tenant id>`; the platform's by its kind alone.
    let name = if job.name == kind {
        String::new()
    } else {
        job.name.clone()
    };
    let error = job
        .last_error
        .clone()
        .filter(|_| job.last_outcome == Some(JobOutcome::Failed));
    let next = if job.running {
        "When this run ends".to_owned()
    } else {
        minute(&job.next_run_at)
    };
    view! {
        <tr class:failed=state == RunState::Ended(JobOutcome::Failed)>
            <th scope="row">
                {kind_label(kind).to_owned()}
                <span class="help job-detail">{name}</span>
                <span class="help job-detail">{kind_help(kind)}</span>
            </th>
            <td class="when" data-testid="job-interval">{span(job.interval_secs)}</td>
            <td class="when" data-testid="job-last-run">{last_run(&job)}</td>
            <td data-testid="job-outcome">
                <strong>{state_words(state)}</strong>
                <span class="job-attempts">{attempts_words(&job)}</span>
                {error.map(|error| view! { <p class="job-error">"Last error: " {error}</p> })}
            </td>
            <td class="when" data-testid="job-next-run">{next}</td>
        </tr>
    }
}

#[component]
pub fn JobsPage() -> impl IntoView {
    let admin = use_session()
        .signed_in()
        .is_some_and(|me| me.role == Role::Admin);
    view! {
        <p class="breadcrumb">"Settings › Jobs"</p>
        {if admin {
            view! { <Jobs/> }.into_any()
        } else {
            view! {
                <h1 tabindex="-1">"Jobs"</h1>
                <p class="error" role="alert">"Only admins see the scheduled jobs."</p>
            }.into_any()
        }}
    }
}

#[component]
fn Jobs() -> impl IntoView {
    let listed = RwSignal::new(None::<Result<Vec<Job>, String>>);
    let loading = RwSignal::new(true);
    let refresh = RwSignal::new(0_u32);
    Effect::new(move |_| {
        refresh.track();
        loading.set(true);
        spawn_local(async move {
            let answer = api::list()
                .await
                .map(|page| page.items)
                .map_err(|failure| failure.message());
            listed.try_set(Some(answer));
            loading.try_set(false);
        });
    });

    view! {
        <div class="page-head">
            <h1 tabindex="-1">"Jobs"</h1>
            <button type="button" disabled=move || loading.get()
                on:click=move |_| refresh.update(|count| *count += 1)>"Refresh"</button>
        </div>
        <p>"Work the server does on its own at regular times. Each job runs once at each due time however many server processes share the database; a failed run is retried sooner, and a run whose server stopped is taken over by another."</p>
        <p class="help" role="status">{move || if loading.get() { "Loading…" } else { "" }}</p>
        {move || match listed.get() {
            None => ().into_any(),
            Some(Err(message)) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
            Some(Ok(jobs)) if jobs.is_empty() => view! { <p class="empty-state">"No scheduled jobs."</p> }.into_any(),
            Some(Ok(jobs)) => view! {
                <div class="table-scroll" tabindex="0" role="region" aria-label="Jobs">
                    <table class="jobs">
                        <caption>"Scheduled jobs, times in UTC"</caption>
                        <thead><tr>
                            <th scope="col">"Job"</th>
                            <th scope="col">"Every"</th>
                            <th scope="col">"Last run"</th>
                            <th scope="col">"Outcome"</th>
                            <th scope="col">"Next run"</th>
                        </tr></thead>
                        <tbody>{jobs.into_iter().map(row).collect_view()}</tbody>
                    </table>
                </div>
            }.into_any(),
        }}
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};
    use proto::JobKind;

    use super::*;

    fn at(secs: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_800_000_000 + secs, 0)
            .single()
            .unwrap_or_default()
    }

    fn job() -> Job {
        Job {
            name: "housekeeping".to_owned(),
            kind: JobKind::Housekeeping,
            interval_secs: 3_600,
            next_run_at: at(3_600),
            running: false,
            attempts: 0,
            last_started_at: None,
            last_finished_at: None,
            last_outcome: None,
            last_error: None,
        }
    }

    fn ran(outcome: JobOutcome, attempts: u32) -> Job {
        Job {
            attempts,
            last_started_at: Some(at(0)),
            last_finished_at: Some(at(2)),
            last_outcome: Some(outcome),
            ..job()
        }
    }

    #[test]
    fn intervals_and_run_times_read_in_words() {
        let cases = [
            (0, "0 seconds"),
            (1, "1 second"),
            (59, "59 seconds"),
            (60, "1 minute"),
            (3_600, "1 hour"),
            (5_400, "1 hour 30 minutes"),
            (14_400, "4 hours"),
            (86_400, "1 day"),
            (90_061, "1 day 1 hour 1 minute 1 second"),
        ];
        for (secs, words) in cases {
            assert_eq!(span(secs), words, "{secs}");
        }
        let cases = [
            (Duration::milliseconds(250), Some("took less than a second")),
            (Duration::milliseconds(1_999), Some("took 1 second")),
            (Duration::seconds(65), Some("took 1 minute 5 seconds")),
            (Duration::seconds(-1), None),
        ];
        for (length, words) in cases {
            assert_eq!(took(at(0), at(0) + length).as_deref(), words, "{length:?}");
        }
    }

    #[test]
    fn each_state_of_the_last_run_is_told_in_words() {
        let running_again = Job {
            running: true,
            attempts: 1,
            last_started_at: Some(at(10)),
            ..ran(JobOutcome::Succeeded, 0)
        };
        let stopped = Job {
            running: false,
            ..running_again.clone()
        };
        let first_run = Job {
            running: true,
            attempts: 1,
            last_started_at: Some(at(0)),
            ..job()
        };
        let cases = [
            (job(), "Not run yet"),
            (ran(JobOutcome::Succeeded, 0), "Succeeded"),
            (ran(JobOutcome::Failed, 2), "Failed"),
            (
                ran(JobOutcome::LeaseExpired, 0),
                "Taken over after its server stopped",
            ),
            (running_again, "Running now"),
            (first_run, "Running now"),
            (
                stopped,
                "Did not finish: its server stopped; it runs again soon",
            ),
        ];
        for (job, words) in cases {
            assert_eq!(state_words(run_state(&job)), words, "{job:?}");
        }
    }

    #[test]
    fn failed_attempts_show_only_after_a_failure() {
        let retrying_now = Job {
            running: true,
            attempts: 3,
            last_started_at: Some(at(10)),
            ..ran(JobOutcome::Failed, 2)
        };
        let first_retry = Job {
            attempts: 2,
            ..retrying_now.clone()
        };
        let healthy_run = Job {
            attempts: 1,
            ..retrying_now.clone()
        };
        let cases = [
            (ran(JobOutcome::Succeeded, 0), ""),
            (ran(JobOutcome::Failed, 1), "1 failed attempt; retrying"),
            (ran(JobOutcome::Failed, 2), "2 failed attempts; retrying"),
            (retrying_now, "2 failed attempts before this one"),
            (first_retry, "1 failed attempt before this one"),
            (healthy_run, ""),
        ];
        for (job, words) in cases {
            assert_eq!(attempts_words(&job), words, "{job:?}");
        }
    }

    #[test]
    fn the_last_run_says_when_it_started_and_how_long_it_took() {
        assert_eq!(last_run(&job()), "never");
        assert_eq!(
            last_run(&ran(JobOutcome::Succeeded, 0)),
            format!("{}, took 2 seconds", minute(&at(0)))
        );
        let running = Job {
            running: true,
            last_started_at: Some(at(10)),
            ..ran(JobOutcome::Succeeded, 0)
        };
        assert_eq!(last_run(&running), minute(&at(10)));
    }

    #[test]
    fn a_kind_without_words_shows_as_the_server_names_it() {
        assert_eq!(kind_label(JobKind::Housekeeping.as_str()), "Housekeeping");
        assert_eq!(kind_label("user_source_sync"), "User source sync");
        assert_eq!(
            kind_label(JobKind::JitAccountExpiry.as_str()),
            "Just-in-time account expiry"
        );
        assert!(kind_help("jit_account_expiry").starts_with("Removes just-in-time admin accounts"));
        assert_eq!(kind_label("a_future_kind"), "a_future_kind");
        assert_eq!(kind_help("a_future_kind"), "");
    }
}
