//! Microsoft Entra as an MSP's user source (SPEC §16, issue 17): per tenant, the source of its
//! users, the consented Entra tenant and who authorised it when (no secret: the operator's app
//! holds the credentials), the pending consent's state (its SHA-256 only), the onboarding domain
//! and username prefix, and the offboarding sync's delta link and last result.

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
                    .table(UserSources::Table)
                    .col(uuid(UserSources::TenantId).primary_key())
                    .col(string_len(UserSources::Source, 20).default("local"))
                    .col(string_len_null(UserSources::EntraTenantId, 36))
                    .col(string_len_null(UserSources::AuthorisedBy, 320))
                    .col(timestamp_with_time_zone_null(UserSources::AuthorisedAt))
                    .col(string_len_null(UserSources::ConsentStateHash, 64))
                    .col(uuid_null(UserSources::ConsentStartedBy))
                    .col(timestamp_with_time_zone_null(UserSources::ConsentExpiresAt))
                    .col(string_len_null(UserSources::OnboardingDomain, 255))
                    .col(string_len(UserSources::JitPrefix, 20).default("msp-"))
                    .col(text_null(UserSources::DeltaLink))
                    .col(timestamp_with_time_zone_null(UserSources::LastSyncAt))
                    .col(text_null(UserSources::LastSyncError))
                    .col(integer(UserSources::LastSyncDeactivated).default(0))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_user_sources_tenant")
                            .from(UserSources::Table, UserSources::TenantId)
                            .to(Tenants::Table, Tenants::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(UserSources::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum UserSources {
    Table,
    TenantId,
    Source,
    EntraTenantId,
    AuthorisedBy,
    AuthorisedAt,
    ConsentStateHash,
    ConsentStartedBy,
    ConsentExpiresAt,
    OnboardingDomain,
    JitPrefix,
    DeltaLink,
    LastSyncAt,
    LastSyncError,
    LastSyncDeactivated,
}
