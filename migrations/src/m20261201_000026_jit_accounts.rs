//! Just-in-time admin accounts in customers' Entra directories (SPEC §16, issue 18). A row is
//! written before the account is created in Entra and removed only once the account is deleted
//! there, so that no account the product made is ever forgotten. It keeps the Entra tenant, so
//! that the account is removed even after its customer tenant (whose ID is then cleared) or its
//! technician was deleted. No password is stored.

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
                    .table(JitAccounts::Table)
                    .col(uuid(JitAccounts::Id).primary_key())
                    .col(uuid(JitAccounts::ResellerId))
                    .col(uuid_null(JitAccounts::CustomerId))
                    .col(uuid(JitAccounts::TechnicianId))
                    .col(string_len(JitAccounts::TechnicianEmail, 320))
                    .col(string_len(JitAccounts::EntraTenantId, 36))
                    .col(string_len(JitAccounts::UserPrincipalName, 320))
                    .col(string_len_null(JitAccounts::ObjectId, 64))
                    .col(text(JitAccounts::Roles))
                    .col(string_len(JitAccounts::State, 16))
                    .col(timestamp_with_time_zone(JitAccounts::CreatedAt))
                    .col(timestamp_with_time_zone(JitAccounts::ExpiresAt))
                    .col(uuid_null(JitAccounts::EndedBy))
                    .col(string_len_null(JitAccounts::TeardownStep, 32))
                    .col(text_null(JitAccounts::LastError))
                    .col(timestamp_with_time_zone_null(JitAccounts::LastAttemptAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_jit_accounts_reseller")
                            .from(JitAccounts::Table, JitAccounts::ResellerId)
                            .to(Tenants::Table, Tenants::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // One account per technician and customer: a second request extends it.
        manager
            .create_index(
                Index::create()
                    .name("idx_jit_accounts_customer_technician")
                    .table(JitAccounts::Table)
                    .col(JitAccounts::CustomerId)
                    .col(JitAccounts::TechnicianId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_jit_accounts_reseller_expiry")
                    .table(JitAccounts::Table)
                    .col(JitAccounts::ResellerId)
                    .col(JitAccounts::ExpiresAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(JitAccounts::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum JitAccounts {
    Table,
    Id,
    ResellerId,
    CustomerId,
    TechnicianId,
    TechnicianEmail,
    EntraTenantId,
    UserPrincipalName,
    ObjectId,
    Roles,
    State,
    CreatedAt,
    ExpiresAt,
    EndedBy,
    TeardownStep,
    LastError,
    LastAttemptAt,
}
