//! Technician groups (SPEC §15, e.g. "Level 1 techs"): a tenant's named sets of its users, for
//! access delegation and the role mapping of just-in-time accounts.

use sea_orm_migration::{prelude::*, schema::*};

use crate::{m20261123_000001_create_tenants::Tenants, m20261123_000002_create_users::Users};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Membership::TechnicianGroups)
                    .col(uuid(Membership::Id).primary_key())
                    .col(uuid(Membership::TenantId))
                    .col(string_len(Membership::Name, 100))
                    // Lower-cased name: unique per tenant.
                    .col(string_len(Membership::NameKey, 100))
                    .col(timestamp_with_time_zone(Membership::CreatedAt))
                    .col(timestamp_with_time_zone(Membership::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_technician_groups_tenant")
                            .from(Membership::TechnicianGroups, Membership::TenantId)
                            .to(Tenants::Table, Tenants::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_technician_groups_tenant_name")
                    .table(Membership::TechnicianGroups)
                    .col(Membership::TenantId)
                    .col(Membership::NameKey)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Membership::TechnicianGroupMembers)
                    .col(uuid(Membership::GroupId))
                    .col(uuid(Membership::UserId))
                    .col(timestamp_with_time_zone(Membership::AddedAt))
                    .primary_key(
                        Index::create()
                            .col(Membership::GroupId)
                            .col(Membership::UserId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_technician_group_members_group")
                            .from(Membership::TechnicianGroupMembers, Membership::GroupId)
                            .to(Membership::TechnicianGroups, Membership::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_technician_group_members_user")
                            .from(Membership::TechnicianGroupMembers, Membership::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_technician_group_members_user")
                    .table(Membership::TechnicianGroupMembers)
                    .col(Membership::UserId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Membership::TechnicianGroupMembers,
            Membership::TechnicianGroups,
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone)]
enum Membership {
    TechnicianGroups,
    TechnicianGroupMembers,
    Id,
    TenantId,
    Name,
    NameKey,
    CreatedAt,
    UpdatedAt,
    GroupId,
    UserId,
    AddedAt,
}
