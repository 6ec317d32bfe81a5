//! Technicians provisioned by Microsoft Entra over SCIM 2.0 (SPEC §13): the Entra object ID and
//! the SCIM profile on users, one secret token per tenant (its SHA-256 only), and the log of
//! provisioning calls shown on the SSO page.

use sea_orm_migration::{prelude::*, schema::*};

use crate::{m20261123_000001_create_tenants::Tenants, m20261123_000002_create_users::Users};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// One column per statement: SQLite alters a table one change at a time.
fn user_columns() -> Vec<ColumnDef> {
    vec![
        // Entra's object ID (`externalId`), which Sign in with Microsoft matches as `oid`.
        string_len_null(EntraProvisioning::ExternalId, 200),
        // The SCIM attributes that carry no rule here (`name`, `emails`), returned as given.
        json_binary_null(EntraProvisioning::ScimProfile),
        timestamp_with_time_zone_null(EntraProvisioning::ModifiedAt),
        timestamp_with_time_zone_null(EntraProvisioning::ProvisionedAt),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for mut column in user_columns() {
            manager
                .alter_table(
                    Table::alter()
                        .table(Users::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("idx_users_tenant_external_id")
                    .table(Users::Table)
                    .col(EntraProvisioning::TenantId)
                    .col(EntraProvisioning::ExternalId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(EntraProvisioning::ScimTokens)
                    .col(uuid(EntraProvisioning::TenantId).primary_key())
                    // SHA-256 of the token, hex: the token itself is shown once and never kept.
                    .col(string_len(EntraProvisioning::TokenHash, 64).unique_key())
                    .col(string_len(EntraProvisioning::Prefix, 16))
                    .col(uuid_null(EntraProvisioning::CreatedBy))
                    .col(timestamp_with_time_zone(EntraProvisioning::CreatedAt))
                    .col(timestamp_with_time_zone_null(EntraProvisioning::LastUsedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_scim_tokens_tenant")
                            .from(EntraProvisioning::ScimTokens, EntraProvisioning::TenantId)
                            .to(Tenants::Table, Tenants::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(EntraProvisioning::ProvisioningCalls)
                    .col(uuid(EntraProvisioning::Id).primary_key())
                    .col(uuid(EntraProvisioning::TenantId))
                    .col(timestamp_with_time_zone(EntraProvisioning::CreatedAt))
                    .col(string_len(EntraProvisioning::Method, 10))
                    .col(string_len(EntraProvisioning::Path, 500))
                    .col(integer(EntraProvisioning::Status))
                    // No foreign key: the log outlives a deleted user.
                    .col(uuid_null(EntraProvisioning::UserId))
                    .col(string_len_null(EntraProvisioning::Detail, 500))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_provisioning_calls_tenant")
                            .from(
                                EntraProvisioning::ProvisioningCalls,
                                EntraProvisioning::TenantId,
                            )
                            .to(Tenants::Table, Tenants::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_provisioning_calls_tenant_created")
                    .table(EntraProvisioning::ProvisioningCalls)
                    .col(EntraProvisioning::TenantId)
                    .col(EntraProvisioning::CreatedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            EntraProvisioning::ProvisioningCalls,
            EntraProvisioning::ScimTokens,
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        manager
            .drop_index(
                Index::drop()
                    .name("idx_users_tenant_external_id")
                    .table(Users::Table)
                    .to_owned(),
            )
            .await?;
        for column in [
            EntraProvisioning::ProvisionedAt,
            EntraProvisioning::ModifiedAt,
            EntraProvisioning::ScimProfile,
            EntraProvisioning::ExternalId,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Users::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone)]
enum EntraProvisioning {
    ScimTokens,
    ProvisioningCalls,
    Id,
    TenantId,
    ExternalId,
    ScimProfile,
    ModifiedAt,
    ProvisionedAt,
    TokenHash,
    Prefix,
    CreatedBy,
    CreatedAt,
    LastUsedAt,
    Method,
    Path,
    Status,
    UserId,
    Detail,
}
