use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Tenants::Table)
                    .col(uuid(Tenants::Id).primary_key())
                    .col(uuid_null(Tenants::ParentId))
                    // `/<root id>/…/<own id>/`: a subtree is one indexed prefix match.
                    .col(string_len(Tenants::Path, 200).unique_key())
                    .col(string_len(Tenants::TenantType, 20))
                    .col(string_len(Tenants::Name, 100))
                    .col(boolean(Tenants::MonthlyBilling))
                    .col(text(Tenants::LicensingOptions))
                    .col(string_len_null(Tenants::AzureTenantId, 36))
                    .col(boolean(Tenants::MasterGpDistribution))
                    .col(timestamp_with_time_zone(Tenants::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_tenants_parent")
                            .from(Tenants::Table, Tenants::ParentId)
                            .to(Tenants::Table, Tenants::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_tenants_parent")
                    .table(Tenants::Table)
                    .col(Tenants::ParentId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Tenants::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum Tenants {
    Table,
    Id,
    ParentId,
    Path,
    TenantType,
    Name,
    MonthlyBilling,
    LicensingOptions,
    AzureTenantId,
    MasterGpDistribution,
    CreatedAt,
}
