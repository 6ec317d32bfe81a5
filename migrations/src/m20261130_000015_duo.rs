//! Duo as a second factor (SPEC §14): a tenant's security integrations (the Duo Web SDK
//! application, its Client Secret encrypted with the MFA key) and when each user linked Duo.

use sea_orm_migration::{prelude::*, schema::*};

use crate::{m20261123_000001_create_tenants::Tenants, m20261123_000002_create_users::Users};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(timestamp_with_time_zone_null(DuoLink::DuoLinkedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Duo::SecurityIntegrations)
                    .col(uuid(Duo::Id).primary_key())
                    .col(uuid(Duo::TenantId))
                    // `duo_web_sdk`; one integration of a kind per tenant, so a sign-in never
                    // has to choose between two.
                    .col(string_len(Duo::Kind, 32))
                    .col(string_len(Duo::Name, 100))
                    .col(string_len(Duo::ClientId, 64))
                    // AES-256-GCM with the MFA key, base64 of nonce and ciphertext.
                    .col(text(Duo::ClientSecretCiphertext))
                    .col(string_len(Duo::ApiHostname, 253))
                    .col(boolean(Duo::Enabled))
                    .col(timestamp_with_time_zone(Duo::CreatedAt))
                    .col(timestamp_with_time_zone(Duo::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_security_integrations_tenant")
                            .from(Duo::SecurityIntegrations, Duo::TenantId)
                            .to(Tenants::Table, Tenants::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_security_integrations_tenant_kind")
                    .table(Duo::SecurityIntegrations)
                    .col(Duo::TenantId)
                    .col(Duo::Kind)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Duo::SecurityIntegrations).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .drop_column(DuoLink::DuoLinkedAt)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}

#[derive(DeriveIden, Clone)]
enum Duo {
    SecurityIntegrations,
    Id,
    TenantId,
    Kind,
    Name,
    ClientId,
    ClientSecretCiphertext,
    ApiHostname,
    Enabled,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone)]
enum DuoLink {
    DuoLinkedAt,
}
