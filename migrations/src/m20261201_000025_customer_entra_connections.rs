//! A customer tenant's Microsoft Entra connection for just-in-time admin accounts (SPEC §16,
//! issue 18): the application's name technicians see, the consented Entra tenant and who
//! authorised it when (no secret: the operator's app holds the credentials), the pending
//! consent's state (its SHA-256 only), the accounts' lifetime and domain, and the role mapping.

use sea_orm_migration::{prelude::*, schema::*};

use crate::{
    m20261123_000001_create_tenants::Tenants, m20261123_000007_create_customer_tables::Customers,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CustomerEntraConnections::Table)
                    .col(uuid(CustomerEntraConnections::CustomerId).primary_key())
                    .col(uuid(CustomerEntraConnections::ResellerId))
                    .col(string_len(CustomerEntraConnections::AppName, 100))
                    .col(string_len_null(CustomerEntraConnections::EntraTenantId, 36))
                    .col(string_len_null(CustomerEntraConnections::AuthorisedBy, 320))
                    .col(timestamp_with_time_zone_null(
                        CustomerEntraConnections::AuthorisedAt,
                    ))
                    .col(string_len_null(
                        CustomerEntraConnections::ConsentStateHash,
                        64,
                    ))
                    .col(uuid_null(CustomerEntraConnections::ConsentStartedBy))
                    .col(timestamp_with_time_zone_null(
                        CustomerEntraConnections::ConsentExpiresAt,
                    ))
                    .col(integer(CustomerEntraConnections::LifetimeHours).default(4))
                    .col(string_len_null(
                        CustomerEntraConnections::AccountDomain,
                        255,
                    ))
                    .col(text_null(CustomerEntraConnections::RoleMapping))
                    .col(timestamp_with_time_zone(
                        CustomerEntraConnections::UpdatedAt,
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_customer_entra_connections_customer")
                            .from(
                                CustomerEntraConnections::Table,
                                CustomerEntraConnections::CustomerId,
                            )
                            .to(Customers::Table, Customers::TenantId)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_customer_entra_connections_reseller")
                            .from(
                                CustomerEntraConnections::Table,
                                CustomerEntraConnections::ResellerId,
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
                    .name("idx_customer_entra_connections_consent")
                    .table(CustomerEntraConnections::Table)
                    .col(CustomerEntraConnections::ConsentStateHash)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(
                Table::drop()
                    .table(CustomerEntraConnections::Table)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum CustomerEntraConnections {
    Table,
    CustomerId,
    ResellerId,
    AppName,
    EntraTenantId,
    AuthorisedBy,
    AuthorisedAt,
    ConsentStateHash,
    ConsentStartedBy,
    ConsentExpiresAt,
    LifetimeHours,
    AccountDomain,
    RoleMapping,
    UpdatedAt,
}
