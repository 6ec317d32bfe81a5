//! Going into a customer tenant (SPEC §15): a session may be scoped to one of the MSP's customer
//! tenants (opened from the MSP's session, its parent), and a change made there is audited in
//! both tenants: the customer tenant's entry names the MSP it was copied to, the MSP's copy names
//! the customer tenant it happened in. "Your customers" pages through an MSP's customer tenants
//! by display name.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Sessions {
    Table,
    CustomerTenantId,
    ParentSessionId,
}

#[derive(DeriveIden)]
enum Customers {
    Table,
    ResellerId,
    DisplayName,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    InTenantId,
    CopiedToTenantId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one at a time.
        for column in [Sessions::CustomerTenantId, Sessions::ParentSessionId] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Sessions::Table)
                        .add_column(uuid_null(column))
                        .to_owned(),
                )
                .await?;
        }
        for column in [AuditLog::InTenantId, AuditLog::CopiedToTenantId] {
            manager
                .alter_table(
                    Table::alter()
                        .table(AuditLog::Table)
                        .add_column(uuid_null(column))
                        .to_owned(),
                )
                .await?;
        }
        // A customer tenant's deletion ends the sessions scoped to it.
        manager
            .create_index(
                Index::create()
                    .name("idx_sessions_customer_tenant")
                    .table(Sessions::Table)
                    .col(Sessions::CustomerTenantId)
                    .to_owned(),
            )
            .await?;
        // "Your customers" lists an MSP's customer tenants by display name, a page at a time.
        manager
            .create_index(
                Index::create()
                    .name("idx_customers_reseller_display_name")
                    .table(Customers::Table)
                    .col(Customers::ResellerId)
                    .col(Customers::DisplayName)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_customers_reseller_display_name")
                    .table(Customers::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("idx_sessions_customer_tenant")
                    .table(Sessions::Table)
                    .to_owned(),
            )
            .await?;
        for column in [AuditLog::InTenantId, AuditLog::CopiedToTenantId] {
            manager
                .alter_table(
                    Table::alter()
                        .table(AuditLog::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        for column in [Sessions::CustomerTenantId, Sessions::ParentSessionId] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Sessions::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
