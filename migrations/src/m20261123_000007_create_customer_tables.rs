use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261123_000001_create_tenants::Tenants;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // A customer is a Corporate tenant; this row holds what the customer grid shows and
        // searches, next to the tenant it belongs to.
        manager
            .create_table(
                Table::create()
                    .table(Customers::Table)
                    .col(uuid(Customers::TenantId).primary_key())
                    .col(uuid(Customers::ResellerId))
                    .col(string_len(Customers::Name, 100))
                    // Trimmed and lower-cased: the unique key that makes names case-insensitive.
                    .col(string_len(Customers::NameKey, 100))
                    .col(string_len(Customers::CustomerType, 20))
                    .col(string_len(Customers::Email, 254))
                    .col(text_null(Customers::Details))
                    .col(integer(Customers::TotalLicenses))
                    .col(integer(Customers::ActiveLicenses))
                    .col(boolean(Customers::Spla))
                    .col(boolean(Customers::OptInMasterGp))
                    .col(small_integer(Customers::ChurnScore))
                    .col(string_len_null(Customers::AzureTenantId, 36).unique_key())
                    .col(timestamp_with_time_zone(Customers::CreatedAt))
                    // `YYYY-MM-DD`, so a date search is an indexed equality.
                    .col(string_len(Customers::CreatedDate, 10))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_customers_tenant")
                            .from(Customers::Table, Customers::TenantId)
                            .to(Tenants::Table, Tenants::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_customers_reseller")
                            .from(Customers::Table, Customers::ResellerId)
                            .to(Tenants::Table, Tenants::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, columns, unique) in [
            (
                "ux_customers_reseller_name",
                vec![Customers::ResellerId, Customers::NameKey],
                true,
            ),
            (
                "idx_customers_reseller_created",
                vec![Customers::ResellerId, Customers::CreatedDate],
                false,
            ),
            (
                "idx_customers_reseller_total",
                vec![Customers::ResellerId, Customers::TotalLicenses],
                false,
            ),
            (
                "idx_customers_reseller_active",
                vec![Customers::ResellerId, Customers::ActiveLicenses],
                false,
            ),
            (
                "idx_customers_reseller_churn",
                vec![Customers::ResellerId, Customers::ChurnScore],
                false,
            ),
        ] {
            let mut index = Index::create()
                .name(name)
                .table(Customers::Table)
                .to_owned();
            for column in columns {
                index.col(column);
            }
            if unique {
                index.unique();
            }
            manager.create_index(index).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(LicenceKeys::Table)
                    .col(uuid(LicenceKeys::Id).primary_key())
                    .col(uuid(LicenceKeys::CustomerId))
                    .col(string_len(LicenceKeys::Key, 40).unique_key())
                    .col(timestamp_with_time_zone(LicenceKeys::CreatedAt))
                    .col(timestamp_with_time_zone(LicenceKeys::ExpiresAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_licence_keys_customer")
                            .from(LicenceKeys::Table, LicenceKeys::CustomerId)
                            .to(Customers::Table, Customers::TenantId)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_licence_keys_customer")
                    .table(LicenceKeys::Table)
                    .col(LicenceKeys::CustomerId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Activations::Table)
                    .col(uuid(Activations::Id).primary_key())
                    .col(uuid(Activations::LicenceKeyId))
                    .col(string_len(Activations::DeviceId, 200))
                    .col(timestamp_with_time_zone(Activations::ActivatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_activations_licence_key")
                            .from(Activations::Table, Activations::LicenceKeyId)
                            .to(LicenceKeys::Table, LicenceKeys::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_activations_key_device")
                    .table(Activations::Table)
                    .col(Activations::LicenceKeyId)
                    .col(Activations::DeviceId)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(GroupPolicies::Table)
                    .col(uuid(GroupPolicies::Id).primary_key())
                    .col(uuid(GroupPolicies::TenantId))
                    .col(string_len(GroupPolicies::Name, 100))
                    .col(string_len(GroupPolicies::NameKey, 100))
                    .col(boolean(GroupPolicies::Enabled))
                    .col(timestamp_with_time_zone(GroupPolicies::CreatedAt))
                    .col(timestamp_with_time_zone(GroupPolicies::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_group_policies_tenant")
                            .from(GroupPolicies::Table, GroupPolicies::TenantId)
                            .to(Tenants::Table, Tenants::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_group_policies_tenant_name")
                    .table(GroupPolicies::Table)
                    .col(GroupPolicies::TenantId)
                    .col(GroupPolicies::NameKey)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CustomerGroupPolicies::Table)
                    .col(uuid(CustomerGroupPolicies::CustomerId))
                    .col(uuid(CustomerGroupPolicies::GroupPolicyId))
                    .col(timestamp_with_time_zone(CustomerGroupPolicies::AssignedAt))
                    .primary_key(
                        Index::create()
                            .col(CustomerGroupPolicies::CustomerId)
                            .col(CustomerGroupPolicies::GroupPolicyId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_customer_gp_customer")
                            .from(
                                CustomerGroupPolicies::Table,
                                CustomerGroupPolicies::CustomerId,
                            )
                            .to(Customers::Table, Customers::TenantId)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_customer_gp_policy")
                            .from(
                                CustomerGroupPolicies::Table,
                                CustomerGroupPolicies::GroupPolicyId,
                            )
                            .to(GroupPolicies::Table, GroupPolicies::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        // The first answer to a create, replayed for a repeat with the same Idempotency-Key.
        manager
            .create_table(
                Table::create()
                    .table(IdempotencyRecords::Table)
                    .col(uuid(IdempotencyRecords::UserId))
                    .col(string_len(IdempotencyRecords::Key, 200))
                    .col(string_len(IdempotencyRecords::RequestHash, 64))
                    .col(small_integer(IdempotencyRecords::ResponseStatus))
                    .col(text(IdempotencyRecords::ResponseBody))
                    .col(timestamp_with_time_zone(IdempotencyRecords::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(IdempotencyRecords::UserId)
                            .col(IdempotencyRecords::Key),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            IdempotencyRecords::Table.into_iden(),
            CustomerGroupPolicies::Table.into_iden(),
            GroupPolicies::Table.into_iden(),
            Activations::Table.into_iden(),
            LicenceKeys::Table.into_iden(),
            Customers::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
pub(crate) enum Customers {
    Table,
    TenantId,
    ResellerId,
    Name,
    NameKey,
    CustomerType,
    Email,
    Details,
    TotalLicenses,
    ActiveLicenses,
    Spla,
    OptInMasterGp,
    ChurnScore,
    AzureTenantId,
    CreatedAt,
    CreatedDate,
}

#[derive(DeriveIden)]
enum LicenceKeys {
    Table,
    Id,
    CustomerId,
    Key,
    CreatedAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum Activations {
    Table,
    Id,
    LicenceKeyId,
    DeviceId,
    ActivatedAt,
}

#[derive(DeriveIden)]
enum GroupPolicies {
    Table,
    Id,
    TenantId,
    Name,
    NameKey,
    Enabled,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CustomerGroupPolicies {
    Table,
    CustomerId,
    GroupPolicyId,
    AssignedAt,
}

#[derive(DeriveIden)]
enum IdempotencyRecords {
    Table,
    UserId,
    Key,
    RequestHash,
    ResponseStatus,
    ResponseBody,
    CreatedAt,
}
