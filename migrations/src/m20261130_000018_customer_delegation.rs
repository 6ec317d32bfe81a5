//! Access delegation (SPEC §15): per customer tenant, the MSP's technicians and technician
//! groups allowed in (admins always are). A row goes with its customer, user or group.

use sea_orm_migration::{prelude::*, schema::*};

use crate::{
    m20261123_000002_create_users::Users, m20261123_000007_create_customer_tables::Customers,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// One delegation table: `customer_id` with `member` (a user or a group) and when it was added.
fn delegation_table(
    table: Delegation,
    member: Delegation,
    member_table: impl IntoIden + 'static,
    member_key: impl IntoIden + 'static,
    names: (&str, &str),
) -> TableCreateStatement {
    Table::create()
        .table(table.clone())
        .col(uuid(Delegation::CustomerId))
        .col(uuid(member.clone()))
        .col(timestamp_with_time_zone(Delegation::AddedAt))
        .primary_key(
            Index::create()
                .col(Delegation::CustomerId)
                .col(member.clone()),
        )
        .foreign_key(
            ForeignKey::create()
                .name(names.0)
                .from(table.clone(), Delegation::CustomerId)
                .to(Customers::Table, Customers::TenantId)
                .on_delete(ForeignKeyAction::Cascade),
        )
        .foreign_key(
            ForeignKey::create()
                .name(names.1)
                .from(table, member)
                .to(member_table, member_key)
                .on_delete(ForeignKeyAction::Cascade),
        )
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(delegation_table(
                Delegation::CustomerDelegatedUsers,
                Delegation::UserId,
                Users::Table,
                Users::Id,
                (
                    "fk_customer_delegated_users_customer",
                    "fk_customer_delegated_users_user",
                ),
            ))
            .await?;
        manager
            .create_table(delegation_table(
                Delegation::CustomerDelegatedGroups,
                Delegation::GroupId,
                Delegation::TechnicianGroups,
                Delegation::Id,
                (
                    "fk_customer_delegated_groups_customer",
                    "fk_customer_delegated_groups_group",
                ),
            ))
            .await?;
        for (table, column, name) in [
            (
                Delegation::CustomerDelegatedUsers,
                Delegation::UserId,
                "idx_customer_delegated_users_user",
            ),
            (
                Delegation::CustomerDelegatedGroups,
                Delegation::GroupId,
                "idx_customer_delegated_groups_group",
            ),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(table)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Delegation::CustomerDelegatedGroups,
            Delegation::CustomerDelegatedUsers,
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone)]
enum Delegation {
    CustomerDelegatedUsers,
    CustomerDelegatedGroups,
    TechnicianGroups,
    Id,
    CustomerId,
    UserId,
    GroupId,
    AddedAt,
}
