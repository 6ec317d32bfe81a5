use sea_orm_migration::{prelude::*, sea_orm::DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// PostgreSQL only: a name part of three characters or more is found, and counted, in one range
/// of an index that holds every suffix of every name, instead of through pg_trgm.
///
/// pg_trgm's answer for `LIKE '%dental%'` is only a candidate list, so PostgreSQL re-reads every
/// candidate row to check it: at 100 000 customers a part in one name out of eight cost 3.5 ms
/// to count, most of a search's time. A name contains the part exactly when one of its suffixes
/// starts with it, and the suffixes that start with it are one contiguous range of a B-tree in
/// the `C` collation, read without visiting the table. The suffix that starts at the part's last
/// occurrence in a name stands for that name, so each name is counted once. Suffixes shorter
/// than three characters are left out: shorter parts are looked up in `customer_name_grams`.
///
/// The indexes that serve a date or a number also carry the customer ID, so that those readings
/// of a search are read from the index alone too (on SQLite every index carries the rowid).
///
/// SQLite keeps its FTS5 trigram index, which already counts inside the index.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let statements: &[&str] = match manager.get_database_backend() {
            DatabaseBackend::Sqlite => &[],
            DatabaseBackend::Postgres => &[
                "CREATE TABLE customer_name_suffixes (\
                   reseller_id uuid NOT NULL, suffix text COLLATE \"C\" NOT NULL, \
                   tenant_id uuid NOT NULL, \
                   PRIMARY KEY (reseller_id, suffix, tenant_id))",
                "CREATE FUNCTION name_suffixes(name text) RETURNS SETOF text LANGUAGE sql IMMUTABLE AS $$ \
                   SELECT substr(name, position) FROM generate_series(1, char_length(name) - 2) AS position $$",
                "INSERT INTO customer_name_suffixes (reseller_id, suffix, tenant_id) \
                   SELECT reseller_id, name_suffixes(name_key), tenant_id FROM customers",
                // Removing a name's suffixes goes through the primary key, so the table needs no
                // second index on the customer.
                "CREATE FUNCTION index_name_suffixes() RETURNS trigger LANGUAGE plpgsql AS $$ \
                 BEGIN \
                   IF TG_OP IN ('UPDATE', 'DELETE') THEN \
                     DELETE FROM customer_name_suffixes \
                       WHERE reseller_id = OLD.reseller_id AND tenant_id = OLD.tenant_id \
                         AND suffix IN (SELECT name_suffixes(OLD.name_key)); \
                   END IF; \
                   IF TG_OP IN ('INSERT', 'UPDATE') THEN \
                     INSERT INTO customer_name_suffixes (reseller_id, suffix, tenant_id) \
                       SELECT NEW.reseller_id, suffix, NEW.tenant_id FROM name_suffixes(NEW.name_key) AS suffix; \
                   END IF; \
                   RETURN NULL; \
                 END $$",
                "CREATE TRIGGER customers_name_suffixes AFTER INSERT OR DELETE OR UPDATE OF name_key, reseller_id \
                   ON customers FOR EACH ROW EXECUTE FUNCTION index_name_suffixes()",
                // The grams' trigger no longer keeps the narrow copy of the names for pg_trgm.
                "CREATE OR REPLACE FUNCTION index_name_grams() RETURNS trigger LANGUAGE plpgsql AS $$ \
                 BEGIN \
                   IF TG_OP = 'UPDATE' THEN \
                     DELETE FROM customer_name_grams WHERE tenant_id = OLD.tenant_id; \
                   END IF; \
                   INSERT INTO customer_name_grams (reseller_id, gram, tenant_id) \
                     SELECT NEW.reseller_id, gram, NEW.tenant_id FROM name_grams(NEW.name_key) AS gram; \
                   RETURN NULL; \
                 END $$",
                "DROP TABLE customer_names",
                "DROP INDEX idx_customers_reseller_created",
                "CREATE INDEX idx_customers_reseller_created ON customers (reseller_id, created_date) INCLUDE (tenant_id)",
                "DROP INDEX idx_customers_reseller_total",
                "CREATE INDEX idx_customers_reseller_total ON customers (reseller_id, total_licenses) INCLUDE (tenant_id)",
                "DROP INDEX idx_customers_reseller_active",
                "CREATE INDEX idx_customers_reseller_active ON customers (reseller_id, active_licenses) INCLUDE (tenant_id)",
                "DROP INDEX idx_customers_reseller_churn",
                "CREATE INDEX idx_customers_reseller_churn ON customers (reseller_id, churn_score) INCLUDE (tenant_id)",
                "ANALYZE customer_name_suffixes",
            ],
            other => return Err(DbErr::Migration(format!("unsupported database {other:?}"))),
        };
        crate::execute_all(manager, statements).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let statements: &[&str] = match manager.get_database_backend() {
            DatabaseBackend::Sqlite => &[],
            DatabaseBackend::Postgres => &[
                "CREATE TABLE customer_names (\
                   tenant_id uuid PRIMARY KEY REFERENCES customers(tenant_id) ON DELETE CASCADE, \
                   reseller_id uuid NOT NULL, name_key text NOT NULL)",
                "INSERT INTO customer_names (tenant_id, reseller_id, name_key) \
                   SELECT tenant_id, reseller_id, name_key FROM customers",
                "CREATE INDEX idx_customer_names_trgm ON customer_names USING gin (name_key gin_trgm_ops)",
                "CREATE OR REPLACE FUNCTION index_name_grams() RETURNS trigger LANGUAGE plpgsql AS $$ \
                 BEGIN \
                   IF TG_OP = 'UPDATE' THEN \
                     DELETE FROM customer_name_grams WHERE tenant_id = OLD.tenant_id; \
                     UPDATE customer_names SET name_key = NEW.name_key WHERE tenant_id = NEW.tenant_id; \
                   ELSE \
                     INSERT INTO customer_names (tenant_id, reseller_id, name_key) \
                       VALUES (NEW.tenant_id, NEW.reseller_id, NEW.name_key); \
                   END IF; \
                   INSERT INTO customer_name_grams (reseller_id, gram, tenant_id) \
                     SELECT NEW.reseller_id, gram, NEW.tenant_id FROM name_grams(NEW.name_key) AS gram; \
                   RETURN NULL; \
                 END $$",
                "DROP INDEX idx_customers_reseller_created",
                "CREATE INDEX idx_customers_reseller_created ON customers (reseller_id, created_date)",
                "DROP INDEX idx_customers_reseller_total",
                "CREATE INDEX idx_customers_reseller_total ON customers (reseller_id, total_licenses)",
                "DROP INDEX idx_customers_reseller_active",
                "CREATE INDEX idx_customers_reseller_active ON customers (reseller_id, active_licenses)",
                "DROP INDEX idx_customers_reseller_churn",
                "CREATE INDEX idx_customers_reseller_churn ON customers (reseller_id, churn_score)",
                "DROP TRIGGER IF EXISTS customers_name_suffixes ON customers",
                "DROP FUNCTION IF EXISTS index_name_suffixes()",
                "DROP TABLE IF EXISTS customer_name_suffixes",
                "DROP FUNCTION IF EXISTS name_suffixes(text)",
            ],
            other => return Err(DbErr::Migration(format!("unsupported database {other:?}"))),
        };
        crate::execute_all(manager, statements).await
    }
}
