//! "Not this one" (issue 19): the suggested matches between an Azure sub-tenant and an existing
//! customer that a reseller turned down, so that the Azure customers grid does not suggest them
//! again. Only the sub-tenant's ID is kept, never the credentials that listed it.

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
                    .table(TurnedDown::CustomerMatchRejections)
                    .col(uuid(TurnedDown::ResellerId))
                    // Lower-case, as customers store tenant IDs.
                    .col(string_len(TurnedDown::AzureTenantId, 36))
                    .col(uuid(TurnedDown::CustomerId))
                    .col(timestamp_with_time_zone(TurnedDown::RejectedAt))
                    .primary_key(
                        Index::create()
                            .col(TurnedDown::ResellerId)
                            .col(TurnedDown::AzureTenantId)
                            .col(TurnedDown::CustomerId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_customer_match_rejections_reseller")
                            .from(TurnedDown::CustomerMatchRejections, TurnedDown::ResellerId)
                            .to(Tenants::Table, Tenants::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_customer_match_rejections_customer")
                            .from(TurnedDown::CustomerMatchRejections, TurnedDown::CustomerId)
                            .to(Customers::Table, Customers::TenantId)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_customer_match_rejections_customer")
                    .table(TurnedDown::CustomerMatchRejections)
                    .col(TurnedDown::CustomerId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(
                Table::drop()
                    .table(TurnedDown::CustomerMatchRejections)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum TurnedDown {
    CustomerMatchRejections,
    ResellerId,
    AzureTenantId,
    CustomerId,
    RejectedAt,
}
