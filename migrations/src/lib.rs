//! Schema migrations. The same migrations run on SQLite and PostgreSQL, so they use only
//! portable column types, except where a migration says why one database needs its own
//! statements (search indexes, JSON columns).

pub use sea_orm_migration::prelude::*;

mod m20261123_000001_create_tenants;
mod m20261123_000002_create_users;
mod m20261123_000003_create_api_tokens;
mod m20261123_000004_create_audit_log;
mod m20261123_000005_create_wizard_progress;
mod m20261123_000006_create_login_throttle;
mod m20261123_000007_create_customer_tables;
mod m20261123_000008_index_customer_search;
mod m20261123_000009_count_customers;
mod m20261124_000010_search_index_only;
mod m20261130_000011_typed_json_columns;
mod m20261130_000012_technicians;
mod m20261130_000013_sqlite_name_order;
mod m20261130_000014_scim_provisioning;
mod m20261130_000015_duo;
mod m20261130_000016_customer_tenant_names;
mod m20261130_000017_technician_groups;
mod m20261130_000018_customer_delegation;
mod m20261130_000019_customer_tenant_sessions;
mod m20261201_000020_customer_match_rejections;
mod m20261201_000021_sub_tenant_news;
mod m20261201_000022_jobs;
mod m20261201_000023_user_sources;
mod m20261201_000024_directory_offboardings;
mod m20261201_000025_customer_entra_connections;
mod m20261201_000026_jit_accounts;
mod m20261202_000027_postgres_name_index_with_ids;
mod m20261202_000028_postgres_search_through_gin;
mod m20261202_000029_sqlite_search_indexes_with_keys;
mod m20261202_000030_licence_keys_newest_first;
mod m20261203_000031_postgres_cheaper_name_parts;
mod m20261203_000032_postgres_narrow_name_keys;

pub struct Migrator;

/// Runs statements written for one database, in order.
async fn execute_all(manager: &SchemaManager<'_>, statements: &[&str]) -> Result<(), DbErr> {
    let db = manager.get_connection();
    for statement in statements {
        db.execute_unprepared(statement).await?;
    }
    Ok(())
}

impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_create_tenants::Migration),
            Box::new(m20261123_000002_create_users::Migration),
            Box::new(m20261123_000003_create_api_tokens::Migration),
            Box::new(m20261123_000004_create_audit_log::Migration),
            Box::new(m20261123_000005_create_wizard_progress::Migration),
            Box::new(m20261123_000006_create_login_throttle::Migration),
            Box::new(m20261123_000007_create_customer_tables::Migration),
            Box::new(m20261123_000008_index_customer_search::Migration),
            Box::new(m20261123_000009_count_customers::Migration),
            Box::new(m20261124_000010_search_index_only::Migration),
            Box::new(m20261130_000011_typed_json_columns::Migration),
            Box::new(m20261130_000012_technicians::Migration),
            Box::new(m20261130_000013_sqlite_name_order::Migration),
            Box::new(m20261130_000014_scim_provisioning::Migration),
            Box::new(m20261130_000015_duo::Migration),
            Box::new(m20261130_000016_customer_tenant_names::Migration),
            Box::new(m20261130_000017_technician_groups::Migration),
            Box::new(m20261130_000018_customer_delegation::Migration),
            Box::new(m20261130_000019_customer_tenant_sessions::Migration),
            Box::new(m20261201_000020_customer_match_rejections::Migration),
            Box::new(m20261201_000021_sub_tenant_news::Migration),
            Box::new(m20261201_000022_jobs::Migration),
            Box::new(m20261201_000023_user_sources::Migration),
            Box::new(m20261201_000024_directory_offboardings::Migration),
            Box::new(m20261201_000025_customer_entra_connections::Migration),
            Box::new(m20261201_000026_jit_accounts::Migration),
            Box::new(m20261202_000027_postgres_name_index_with_ids::Migration),
            Box::new(m20261202_000028_postgres_search_through_gin::Migration),
            Box::new(m20261202_000029_sqlite_search_indexes_with_keys::Migration),
            Box::new(m20261202_000030_licence_keys_newest_first::Migration),
            Box::new(m20261203_000031_postgres_cheaper_name_parts::Migration),
            Box::new(m20261203_000032_postgres_narrow_name_keys::Migration),
        ]
    }
}
