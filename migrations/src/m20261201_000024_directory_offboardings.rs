//! The technicians the offboarding sync or a sign-in check deactivated because Microsoft Entra
//! removed or disabled them (SPEC §16, issue 17): kept so that an account Entra enables again is
//! shown to an admin to reactivate, never reactivated silently.

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
                    .table(DirectoryOffboardings::Table)
                    .col(uuid(DirectoryOffboardings::UserId).primary_key())
                    .col(uuid(DirectoryOffboardings::TenantId))
                    .col(string_len(DirectoryOffboardings::Reason, 200))
                    .col(timestamp_with_time_zone(
                        DirectoryOffboardings::OffboardedAt,
                    ))
                    .col(timestamp_with_time_zone_null(
                        DirectoryOffboardings::ReenabledAt,
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_directory_offboardings_user")
                            .from(DirectoryOffboardings::Table, DirectoryOffboardings::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_directory_offboardings_tenant")
                            .from(
                                DirectoryOffboardings::Table,
                                DirectoryOffboardings::TenantId,
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
                    .name("idx_directory_offboardings_tenant")
                    .table(DirectoryOffboardings::Table)
                    .col(DirectoryOffboardings::TenantId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(DirectoryOffboardings::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum DirectoryOffboardings {
    Table,
    UserId,
    TenantId,
    Reason,
    OffboardedAt,
    ReenabledAt,
}
