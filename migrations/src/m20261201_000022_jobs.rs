//! Durable scheduled jobs (SPEC §16, issue 17 item 4): one row per job with its schedule and its
//! lease, so that a job runs once even with several server processes on one database, and a run
//! whose process died is taken over once its lease expires; and the history of runs.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261123_000001_create_tenants::Tenants;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Jobs::Table)
                    // `housekeeping`, or `<kind>:<tenant id>` for a tenant's own job.
                    .col(string_len(Jobs::Name, 100).primary_key())
                    .col(string_len(Jobs::Kind, 50))
                    // None: the platform's own job, shown to every admin.
                    .col(uuid_null(Jobs::TenantId))
                    .col(big_integer(Jobs::IntervalSecs))
                    .col(timestamp_with_time_zone(Jobs::NextRunAt))
                    .col(string_len_null(Jobs::LeaseOwner, 100))
                    .col(timestamp_with_time_zone_null(Jobs::LeaseExpiresAt))
                    // Runs started since the last success: 0 while all is well.
                    .col(integer(Jobs::Attempts).default(0))
                    .col(timestamp_with_time_zone_null(Jobs::LastStartedAt))
                    .col(timestamp_with_time_zone_null(Jobs::LastFinishedAt))
                    .col(string_len_null(Jobs::LastOutcome, 20))
                    .col(text_null(Jobs::LastError))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_jobs_tenant")
                            .from(Jobs::Table, Jobs::TenantId)
                            .to(Tenants::Table, Tenants::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_jobs_next_run_at")
                    .table(Jobs::Table)
                    .col(Jobs::NextRunAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Jobs::JobRuns)
                    .col(uuid(Jobs::Id).primary_key())
                    .col(string_len(Jobs::JobName, 100))
                    // The time the run was due; a retry keeps the due time of the run it repeats.
                    .col(timestamp_with_time_zone(Jobs::ScheduledFor))
                    .col(string_len(Jobs::Runner, 100))
                    .col(timestamp_with_time_zone(Jobs::StartedAt))
                    .col(timestamp_with_time_zone_null(Jobs::FinishedAt))
                    .col(string_len_null(Jobs::Outcome, 20))
                    .col(text_null(Jobs::Error))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_job_runs_job")
                            .from(Jobs::JobRuns, Jobs::JobName)
                            .to(Jobs::Table, Jobs::Name)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_job_runs_job_started")
                    .table(Jobs::JobRuns)
                    .col(Jobs::JobName)
                    .col(Jobs::StartedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Jobs::JobRuns).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Jobs::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Jobs {
    Table,
    Name,
    Kind,
    TenantId,
    IntervalSecs,
    NextRunAt,
    LeaseOwner,
    LeaseExpiresAt,
    Attempts,
    LastStartedAt,
    LastFinishedAt,
    LastOutcome,
    LastError,
    JobRuns,
    Id,
    JobName,
    ScheduledFor,
    Runner,
    StartedAt,
    FinishedAt,
    Outcome,
    Error,
}
