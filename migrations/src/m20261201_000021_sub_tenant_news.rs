//! "What is new" in the Azure customers grid (issue 19 item 3): the sub-tenants each reseller has
//! seen (tenant IDs and names only, never the credentials that listed them), when each user last
//! listed them, the reseller's "Show new sub-tenants" switch, and the Azure name each customer
//! was created from or linked to, so that a later rename in Azure can be shown.

use sea_orm_migration::{prelude::*, schema::*};

use crate::{
    m20261123_000001_create_tenants::Tenants, m20261123_000002_create_users::Users,
    m20261123_000007_create_customer_tables::Customers,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Tenants::Table)
                    .add_column(boolean(News::ShowNewSubTenants).default(false))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Customers::Table)
                    .add_column(string_len_null(News::AzureName, 256))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(News::SubTenantSightings)
                    .col(uuid(News::ResellerId))
                    // Lower-case, as customers store tenant IDs.
                    .col(string_len(News::AzureTenantId, 36))
                    .col(string_len(News::Name, 256))
                    .col(timestamp_with_time_zone(News::FirstSeenAt))
                    .primary_key(
                        Index::create()
                            .col(News::ResellerId)
                            .col(News::AzureTenantId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_sub_tenant_sightings_reseller")
                            .from(News::SubTenantSightings, News::ResellerId)
                            .to(Tenants::Table, Tenants::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(News::SubTenantListings)
                    .col(uuid(News::UserId).primary_key())
                    .col(timestamp_with_time_zone(News::ListedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_sub_tenant_listings_user")
                            .from(News::SubTenantListings, News::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(News::SubTenantListings).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(News::SubTenantSightings).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Customers::Table)
                    .drop_column(News::AzureName)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Tenants::Table)
                    .drop_column(News::ShowNewSubTenants)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum News {
    ShowNewSubTenants,
    AzureName,
    SubTenantSightings,
    ResellerId,
    AzureTenantId,
    Name,
    FirstSeenAt,
    SubTenantListings,
    UserId,
    ListedAt,
}
