use sea_orm_migration::{prelude::*, sea_orm::DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// SQLite only: the indexes a search reads its dates and numbers from also carry each customer's
/// search key, the identity its branches of the match union return. Without it every match was
/// a read of the customer's row: a search for `37` (1 225 matches at 100 000 customers, most of
/// them churn scores) read about 1 200 rows for its count and again for its page.
///
/// PostgreSQL's carry the customer ID already (migration 10), its identity there.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        rebuild_reading_indexes(manager, ", search_key").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        rebuild_reading_indexes(manager, "").await
    }
}

/// Drops and creates again, on SQLite, each `(reseller_id, column)` index a search reading uses,
/// with `trailing` columns after the reading's.
async fn rebuild_reading_indexes(manager: &SchemaManager<'_>, trailing: &str) -> Result<(), DbErr> {
    match manager.get_database_backend() {
        DatabaseBackend::Sqlite => {}
        DatabaseBackend::Postgres => return Ok(()),
        other => return Err(DbErr::Migration(format!("unsupported database {other:?}"))),
    }
    let statements: Vec<String> = [
        ("idx_customers_reseller_created", "created_date"),
        ("idx_customers_reseller_total", "total_licenses"),
        ("idx_customers_reseller_active", "active_licenses"),
        ("idx_customers_reseller_churn", "churn_score"),
    ]
    .iter()
    .flat_map(|(index, column)| {
        [
            format!("DROP INDEX {index}"),
            format!("CREATE INDEX {index} ON customers (reseller_id, {column}{trailing})"),
        ]
    })
    .collect();
    let statements: Vec<&str> = statements.iter().map(String::as_str).collect();
    crate::execute_all(manager, &statements).await
}
