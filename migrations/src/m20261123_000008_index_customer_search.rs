use sea_orm_migration::{prelude::*, sea_orm::DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A substring search must not scan 100 000 customers: each database gets its own trigram index
/// over the lower-cased name.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DatabaseBackend::Sqlite => {
                for statement in [
                    "CREATE VIRTUAL TABLE customers_search USING fts5(name_key, content='customers', content_rowid='rowid', tokenize='trigram')",
                    "CREATE TRIGGER customers_search_insert AFTER INSERT ON customers BEGIN \
                       INSERT INTO customers_search(rowid, name_key) VALUES (new.rowid, new.name_key); END",
                    "CREATE TRIGGER customers_search_delete AFTER DELETE ON customers BEGIN \
                       INSERT INTO customers_search(customers_search, rowid, name_key) VALUES ('delete', old.rowid, old.name_key); END",
                    "CREATE TRIGGER customers_search_update AFTER UPDATE OF name_key ON customers BEGIN \
                       INSERT INTO customers_search(customers_search, rowid, name_key) VALUES ('delete', old.rowid, old.name_key); \
                       INSERT INTO customers_search(rowid, name_key) VALUES (new.rowid, new.name_key); END",
                    "INSERT INTO customers_search(customers_search) VALUES ('rebuild')",
                ] {
                    db.execute_unprepared(statement).await?;
                }
            }
            DatabaseBackend::Postgres => {
                db.execute_unprepared("CREATE EXTENSION IF NOT EXISTS pg_trgm")
                    .await?;
                db.execute_unprepared(
                    "CREATE INDEX idx_customers_name_key_trgm ON customers USING gin (name_key gin_trgm_ops)",
                )
                .await?;
            }
            other => return Err(DbErr::Migration(format!("unsupported database {other:?}"))),
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DatabaseBackend::Sqlite => {
                for statement in [
                    "DROP TRIGGER IF EXISTS customers_search_insert",
                    "DROP TRIGGER IF EXISTS customers_search_delete",
                    "DROP TRIGGER IF EXISTS customers_search_update",
                    "DROP TABLE IF EXISTS customers_search",
                ] {
                    db.execute_unprepared(statement).await?;
                }
            }
            _ => {
                db.execute_unprepared("DROP INDEX IF EXISTS idx_customers_name_key_trgm")
                    .await?;
            }
        }
        Ok(())
    }
}
