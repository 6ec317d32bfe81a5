use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// `GET /api/v1/jobs`: a durable scheduled job, which runs once at each due time however many
/// server processes share the database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Job {
    /// `housekeeping`, or `<kind>:<tenant id>` for a job of your tenant
    /// (`user_source_sync:<tenant id>`).
    pub name: String,
    pub kind: JobKind,
    /// How often it runs, in seconds.
    pub interval_secs: u64,
    /// When it is due next (a retry after a failure comes sooner than the interval).
    pub next_run_at: DateTime<Utc>,
    /// A server process holds its lease and runs it now.
    pub running: bool,
    /// Runs started since its last success: 0 while all is well.
    pub attempts: u32,
    pub last_started_at: Option<DateTime<Utc>>,
    pub last_finished_at: Option<DateTime<Utc>>,
    pub last_outcome: Option<JobOutcome>,
    /// What went wrong in the last run, when it failed.
    pub last_error: Option<String>,
}

/// What a job does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum JobKind {
    /// Deletes what only matters for a while: spent sign-in throttle counters, idempotency
    /// records after a day, ended sessions, old provisioning calls and job runs.
    Housekeeping,
    /// A tenant's offboarding sync from its Microsoft Entra directory (`/users/delta`).
    UserSourceSync,
    /// Removes an MSP's just-in-time admin accounts from customers' Entra directories when their
    /// lifetime ends or an admin ends them (disable, revoke sessions, remove roles, delete).
    JitAccountExpiry,
}

impl JobKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Housekeeping => "housekeeping",
            Self::UserSourceSync => "user_source_sync",
            Self::JitAccountExpiry => "jit_account_expiry",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "housekeeping" => Some(Self::Housekeeping),
            "user_source_sync" => Some(Self::UserSourceSync),
            "jit_account_expiry" => Some(Self::JitAccountExpiry),
            _ => None,
        }
    }
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum JobOutcome {
    Succeeded,
    Failed,
    /// Its process stopped answering (crashed or was killed) and its lease expired; another
    /// process ran it again.
    LeaseExpired,
}

impl JobOutcome {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
            Self::LeaseExpired => "lease_expired",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "succeeded" => Some(Self::Succeeded),
            "failed" => Some(Self::Failed),
            "lease_expired" => Some(Self::LeaseExpired),
            _ => None,
        }
    }
}
