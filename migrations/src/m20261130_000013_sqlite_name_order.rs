use sea_orm_migration::{prelude::*, sea_orm::DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// On SQLite, a narrow copy of the customers' names keyed by `search_key`, the key the trigram
/// index and the name-part table return. A search sorts its matches by name in it: a few
/// thousand matches read a few hundred small pages there instead of a customer row each, and
/// the page of 50 comes out without walking the name index, whose walk is slow when the matches
/// gather in one part of the alphabet ("Northern …"). Triggers keep it in step with `customers`.
/// PostgreSQL keeps its own tables.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let statements: &[&str] = match manager.get_database_backend() {
            DatabaseBackend::Sqlite => &[
                "CREATE TABLE customer_name_order (\
                   search_key INTEGER PRIMARY KEY, name_key TEXT NOT NULL, tenant_id BLOB NOT NULL)",
                "INSERT INTO customer_name_order (search_key, name_key, tenant_id) \
                   SELECT search_key, name_key, tenant_id FROM customers",
                // A new customer's search key is set by an update in the insert trigger of
                // migration 9; SQLite does not promise an order among triggers of one event,
                // so the copy follows that update rather than the insert.
                "CREATE TRIGGER customer_name_order_keyed AFTER UPDATE OF search_key ON customers \
                   WHEN new.search_key IS NOT NULL BEGIN \
                   DELETE FROM customer_name_order \
                     WHERE search_key = old.search_key AND old.search_key IS NOT new.search_key; \
                   INSERT OR REPLACE INTO customer_name_order (search_key, name_key, tenant_id) \
                     VALUES (new.search_key, new.name_key, new.tenant_id); \
                 END",
                "CREATE TRIGGER customer_name_order_delete AFTER DELETE ON customers BEGIN \
                   DELETE FROM customer_name_order WHERE search_key = old.search_key; \
                 END",
                "CREATE TRIGGER customer_name_order_rename AFTER UPDATE OF name_key ON customers BEGIN \
                   UPDATE customer_name_order SET name_key = new.name_key WHERE search_key = new.search_key; \
                 END",
            ],
            DatabaseBackend::Postgres => &[],
            other => return Err(DbErr::Migration(format!("unsupported database {other:?}"))),
        };
        crate::execute_all(manager, statements).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let statements: &[&str] = match manager.get_database_backend() {
            DatabaseBackend::Sqlite => &[
                "DROP TRIGGER IF EXISTS customer_name_order_keyed",
                "DROP TRIGGER IF EXISTS customer_name_order_delete",
                "DROP TRIGGER IF EXISTS customer_name_order_rename",
                "DROP TABLE IF EXISTS customer_name_order",
            ],
            DatabaseBackend::Postgres => &[],
            other => return Err(DbErr::Migration(format!("unsupported database {other:?}"))),
        };
        crate::execute_all(manager, statements).await
    }
}
