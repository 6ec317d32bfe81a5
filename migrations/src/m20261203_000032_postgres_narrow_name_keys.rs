use sea_orm_migration::{prelude::*, sea_orm::DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// PostgreSQL only: a narrow copy of each customer's reseller and name key, under its own
/// trigram index, for searches by a name part of three characters or more alone.
///
/// Such a search reads every matching row to sort the matches by name and count them (2 400
/// rows for "tech" at 100 000 customers). In `customers` a row is wide (its numbers, e-mail,
/// details, arrays of name parts), so the matches lie on about as many pages as there are
/// rows; in the copy about 120 rows share a page, and reading the matches cost a half to a
/// third of the time. The copy is kept by statement-level triggers (one statement per insert,
/// batch, rename or move) and goes with its customer (a cascading key).
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let statements: &[&str] = match manager.get_database_backend() {
            DatabaseBackend::Sqlite => &[],
            DatabaseBackend::Postgres => &[
                "CREATE TABLE customer_name_keys ( \
                   tenant_id uuid PRIMARY KEY REFERENCES customers (tenant_id) ON DELETE CASCADE, \
                   reseller_id uuid NOT NULL, \
                   name_key text NOT NULL)",
                "INSERT INTO customer_name_keys (tenant_id, reseller_id, name_key) \
                   SELECT tenant_id, reseller_id, name_key FROM customers",
                "CREATE INDEX idx_customer_name_keys_trgm ON customer_name_keys \
                   USING gin (name_key gin_trgm_ops)",
                "CREATE FUNCTION copy_name_keys() RETURNS trigger LANGUAGE plpgsql AS $$ \
                 BEGIN \
                   IF TG_OP = 'INSERT' THEN \
                     INSERT INTO customer_name_keys (tenant_id, reseller_id, name_key) \
                       SELECT tenant_id, reseller_id, name_key FROM added; \
                   ELSE \
                     UPDATE customer_name_keys AS copy \
                       SET reseller_id = added.reseller_id, name_key = added.name_key \
                       FROM added \
                       WHERE copy.tenant_id = added.tenant_id \
                         AND (copy.reseller_id, copy.name_key) \
                           IS DISTINCT FROM (added.reseller_id, added.name_key); \
                   END IF; \
                   RETURN NULL; \
                 END $$",
                "CREATE TRIGGER customers_name_keys_added AFTER INSERT ON customers \
                   REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION copy_name_keys()",
                "CREATE TRIGGER customers_name_keys_changed AFTER UPDATE ON customers \
                   REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION copy_name_keys()",
                "ANALYZE customer_name_keys",
            ],
            other => return Err(DbErr::Migration(format!("unsupported database {other:?}"))),
        };
        crate::execute_all(manager, statements).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let statements: &[&str] = match manager.get_database_backend() {
            DatabaseBackend::Sqlite => &[],
            DatabaseBackend::Postgres => &[
                "DROP TRIGGER customers_name_keys_added ON customers",
                "DROP TRIGGER customers_name_keys_changed ON customers",
                "DROP FUNCTION copy_name_keys()",
                "DROP TABLE customer_name_keys",
            ],
            other => return Err(DbErr::Migration(format!("unsupported database {other:?}"))),
        };
        crate::execute_all(manager, statements).await
    }
}
