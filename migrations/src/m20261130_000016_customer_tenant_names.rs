//! Customer tenants (SPEC §15): each customer gets a tenant name, the part of its address
//! `<name>-<msp name>` that names it (unique within its MSP), and a display name. Existing
//! customers get theirs here, derived from their names as a new customer's is, oldest first,
//! a taken name numbered (`contoso-ltd-2`).

use std::collections::{HashMap, HashSet};

use domain::CustomerTenantName;
use sea_orm_migration::{prelude::*, schema::*, sea_orm::ConnectionTrait};

use crate::m20261123_000007_create_customer_tables::Customers;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for mut column in [
            string_len(CustomerTenant::TenantName, 63)
                .default("")
                .to_owned(),
            string_len(CustomerTenant::DisplayName, 200)
                .default("")
                .to_owned(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Customers::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        name_existing_customers(manager).await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_customers_reseller_tenant_name")
                    .table(Customers::Table)
                    .col(Customers::ResellerId)
                    .col(CustomerTenant::TenantName)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_customers_reseller_tenant_name")
                    .table(Customers::Table)
                    .to_owned(),
            )
            .await?;
        for column in [CustomerTenant::DisplayName, CustomerTenant::TenantName] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Customers::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

/// Gives every customer its derived tenant name (numbered when its MSP has it already) and its
/// name as display name.
async fn name_existing_customers(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let db = manager.get_connection();
    let backend = manager.get_database_backend();
    let select = Query::select()
        .columns([Customers::TenantId, Customers::ResellerId, Customers::Name])
        .from(Customers::Table)
        .order_by(Customers::CreatedAt, Order::Asc)
        .order_by(Customers::TenantId, Order::Asc)
        .to_owned();
    let rows = db.query_all_raw(backend.build(&select)).await?;
    let mut taken: HashMap<Vec<u8>, HashSet<String>> = HashMap::new();
    for row in rows {
        let tenant_id: sea_orm_migration::sea_orm::prelude::Uuid = row.try_get("", "tenant_id")?;
        let reseller_id: sea_orm_migration::sea_orm::prelude::Uuid =
            row.try_get("", "reseller_id")?;
        let name: String = row.try_get("", "name")?;
        let names = taken.entry(reseller_id.as_bytes().to_vec()).or_default();
        let derived = CustomerTenantName::derive(&name);
        let mut chosen = derived.clone();
        let mut n = 2;
        while names.contains(chosen.as_str()) {
            chosen = derived.with_suffix(n);
            n += 1;
        }
        names.insert(chosen.as_str().to_owned());
        let update = Query::update()
            .table(Customers::Table)
            .value(CustomerTenant::TenantName, chosen.as_str())
            .value(CustomerTenant::DisplayName, name.as_str())
            .and_where(Expr::col(Customers::TenantId).eq(tenant_id))
            .to_owned();
        db.execute_raw(backend.build(&update)).await?;
    }
    Ok(())
}

#[derive(DeriveIden, Clone)]
enum CustomerTenant {
    TenantName,
    DisplayName,
}
