use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The index of licence keys by customer also orders each customer's keys by age and carries
/// the key and its expiry: the Customers page reads each listed customer's newest key inside its
/// own statement (`ORDER BY created_at DESC LIMIT 1` per row), which without it sorted each
/// customer's keys and read their rows. It replaces the index on the customer alone, whose work
/// (the foreign key's cascade, a customer's keys) its first column does.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(NEWEST_FIRST)
                    .table(LicenceKeys::Table)
                    .col(LicenceKeys::CustomerId)
                    .col(LicenceKeys::CreatedAt)
                    .col(LicenceKeys::Key)
                    .col(LicenceKeys::ExpiresAt)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name(BY_CUSTOMER)
                    .table(LicenceKeys::Table)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(BY_CUSTOMER)
                    .table(LicenceKeys::Table)
                    .col(LicenceKeys::CustomerId)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name(NEWEST_FIRST)
                    .table(LicenceKeys::Table)
                    .to_owned(),
            )
            .await
    }
}

const BY_CUSTOMER: &str = "idx_licence_keys_customer";
const NEWEST_FIRST: &str = "idx_licence_keys_customer_newest";

#[derive(DeriveIden)]
enum LicenceKeys {
    Table,
    CustomerId,
    CreatedAt,
    Key,
    ExpiresAt,
}
