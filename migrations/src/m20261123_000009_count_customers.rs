use sea_orm_migration::{prelude::*, sea_orm::DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Every listing reports how many customers match, so counting must not walk 100 000 rows.
///
/// `customer_counts` holds each reseller's number of customers, kept by triggers so that every
/// writer (the API, `bootstrap`, a bulk import) keeps it true. On SQLite each reseller also gets
/// a stable `slot`, and each customer a `search_key` of `slot << 32 | sequence`: the trigram
/// index is keyed by it, so one reseller's matches are one rowid range of the FTS index, counted
/// without visiting the customers table. That also stops the index depending on the table's
/// implicit rowid, which VACUUM may renumber.
///
/// A trigram index cannot find a part of one or two characters (a number such as `37` is also
/// read as a part of a name), so `customer_name_grams` lists every distinct one- and
/// two-character part of each name: such a search is one range of its primary key. On
/// PostgreSQL the trigram index moves to `customer_names`, a narrow copy of the names.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let statements: &[&str] = match manager.get_database_backend() {
            DatabaseBackend::Sqlite => &[
                "DROP TRIGGER customers_search_insert",
                "DROP TRIGGER customers_search_delete",
                "DROP TRIGGER customers_search_update",
                "DROP TABLE customers_search",
                // INTEGER PRIMARY KEY without AUTOINCREMENT: a stable alias of the rowid that a
                // failed insert does not use up.
                "CREATE TABLE customer_counts (\
                   slot INTEGER PRIMARY KEY, \
                   reseller_id uuid_text NOT NULL UNIQUE REFERENCES tenants(id) ON DELETE CASCADE, \
                   customers INTEGER NOT NULL, \
                   next_search_seq INTEGER NOT NULL)",
                "INSERT INTO customer_counts (reseller_id, customers, next_search_seq) \
                   SELECT reseller_id, COUNT(*), COUNT(*) FROM customers GROUP BY reseller_id",
                "ALTER TABLE customers ADD COLUMN search_key INTEGER",
                "UPDATE customers SET search_key = numbered.search_key FROM (\
                   SELECT customers.rowid AS row, (counts.slot << 32) + \
                     ROW_NUMBER() OVER (PARTITION BY customers.reseller_id ORDER BY customers.rowid) AS search_key \
                   FROM customers JOIN customer_counts AS counts ON counts.reseller_id = customers.reseller_id\
                 ) AS numbered WHERE customers.rowid = numbered.row",
                "CREATE UNIQUE INDEX ux_customers_search_key ON customers (search_key)",
                // Names are at most 100 characters: one row per position a part can start at.
                "CREATE TABLE name_positions (position INTEGER PRIMARY KEY)",
                "INSERT INTO name_positions (position) SELECT value FROM (\
                   WITH RECURSIVE counter(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM counter WHERE value < 100) \
                   SELECT value FROM counter)",
                "CREATE TABLE customer_name_grams (\
                   gram TEXT NOT NULL, search_key INTEGER NOT NULL, PRIMARY KEY (gram, search_key)) WITHOUT ROWID",
                "INSERT OR IGNORE INTO customer_name_grams (gram, search_key) \
                   SELECT substr(customers.name_key, position, size), customers.search_key \
                   FROM customers, name_positions, (SELECT 1 AS size UNION ALL SELECT 2) \
                   WHERE position + size - 1 <= length(customers.name_key)",
                "CREATE VIRTUAL TABLE customers_search USING fts5(\
                   name_key, content='customers', content_rowid='search_key', tokenize='trigram')",
                "CREATE TRIGGER customers_counted_insert AFTER INSERT ON customers BEGIN \
                   INSERT INTO customer_counts (reseller_id, customers, next_search_seq) \
                     SELECT new.reseller_id, 0, 0 \
                     WHERE NOT EXISTS (SELECT 1 FROM customer_counts WHERE reseller_id = new.reseller_id); \
                   UPDATE customer_counts SET customers = customers + 1, next_search_seq = next_search_seq + 1 \
                     WHERE reseller_id = new.reseller_id; \
                   UPDATE customers SET search_key = (\
                     SELECT (slot << 32) + next_search_seq FROM customer_counts WHERE reseller_id = new.reseller_id) \
                     WHERE rowid = new.rowid; \
                   INSERT INTO customers_search (rowid, name_key) \
                     SELECT search_key, name_key FROM customers WHERE rowid = new.rowid; \
                   INSERT OR IGNORE INTO customer_name_grams (gram, search_key) \
                     SELECT substr(customers.name_key, position, size), customers.search_key \
                     FROM customers, name_positions, (SELECT 1 AS size UNION ALL SELECT 2) \
                     WHERE customers.rowid = new.rowid AND position + size - 1 <= length(customers.name_key); \
                 END",
                "CREATE TRIGGER customers_counted_delete AFTER DELETE ON customers BEGIN \
                   UPDATE customer_counts SET customers = customers - 1 WHERE reseller_id = old.reseller_id; \
                   INSERT INTO customers_search (customers_search, rowid, name_key) \
                     VALUES ('delete', old.search_key, old.name_key); \
                   DELETE FROM customer_name_grams WHERE search_key = old.search_key AND gram IN (\
                     SELECT substr(old.name_key, position, size) FROM name_positions, (SELECT 1 AS size UNION ALL SELECT 2) \
                     WHERE position + size - 1 <= length(old.name_key)); \
                 END",
                "CREATE TRIGGER customers_search_rename AFTER UPDATE OF name_key ON customers BEGIN \
                   INSERT INTO customers_search (customers_search, rowid, name_key) \
                     VALUES ('delete', old.search_key, old.name_key); \
                   INSERT INTO customers_search (rowid, name_key) VALUES (new.search_key, new.name_key); \
                   DELETE FROM customer_name_grams WHERE search_key = old.search_key AND gram IN (\
                     SELECT substr(old.name_key, position, size) FROM name_positions, (SELECT 1 AS size UNION ALL SELECT 2) \
                     WHERE position + size - 1 <= length(old.name_key)); \
                   INSERT OR IGNORE INTO customer_name_grams (gram, search_key) \
                     SELECT substr(new.name_key, position, size), new.search_key \
                     FROM name_positions, (SELECT 1 AS size UNION ALL SELECT 2) \
                     WHERE position + size - 1 <= length(new.name_key); \
                 END",
                "INSERT INTO customers_search (customers_search) VALUES ('rebuild')",
            ],
            DatabaseBackend::Postgres => &[
                "CREATE TABLE customer_counts (\
                   reseller_id uuid PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE, \
                   customers bigint NOT NULL)",
                "INSERT INTO customer_counts (reseller_id, customers) \
                   SELECT reseller_id, COUNT(*) FROM customers GROUP BY reseller_id",
                "CREATE TABLE customer_name_grams (\
                   reseller_id uuid NOT NULL, gram text NOT NULL, \
                   tenant_id uuid NOT NULL REFERENCES customers(tenant_id) ON DELETE CASCADE, \
                   PRIMARY KEY (reseller_id, gram, tenant_id))",
                "CREATE INDEX idx_customer_name_grams_tenant ON customer_name_grams (tenant_id)",
                // Longer parts go through pg_trgm, whose matches must be re-checked row by row:
                // on a table of names alone that reads half the pages the customers table needs.
                "CREATE TABLE customer_names (\
                   tenant_id uuid PRIMARY KEY REFERENCES customers(tenant_id) ON DELETE CASCADE, \
                   reseller_id uuid NOT NULL, name_key text NOT NULL)",
                "INSERT INTO customer_names (tenant_id, reseller_id, name_key) \
                   SELECT tenant_id, reseller_id, name_key FROM customers",
                "CREATE INDEX idx_customer_names_trgm ON customer_names USING gin (name_key gin_trgm_ops)",
                "DROP INDEX idx_customers_name_key_trgm",
                "CREATE FUNCTION name_grams(name text) RETURNS SETOF text LANGUAGE sql IMMUTABLE AS $$ \
                   SELECT DISTINCT substr(name, position, size) \
                   FROM generate_series(1, char_length(name)) AS position, (VALUES (1), (2)) AS sizes(size) \
                   WHERE position + size - 1 <= char_length(name) $$",
                "INSERT INTO customer_name_grams (reseller_id, gram, tenant_id) \
                   SELECT reseller_id, name_grams(name_key), tenant_id FROM customers",
                "CREATE FUNCTION count_customers() RETURNS trigger LANGUAGE plpgsql AS $$ \
                 BEGIN \
                   IF TG_OP = 'INSERT' THEN \
                     INSERT INTO customer_counts (reseller_id, customers) VALUES (NEW.reseller_id, 1) \
                       ON CONFLICT (reseller_id) DO UPDATE SET customers = customer_counts.customers + 1; \
                   ELSE \
                     UPDATE customer_counts SET customers = customers - 1 WHERE reseller_id = OLD.reseller_id; \
                   END IF; \
                   RETURN NULL; \
                 END $$",
                "CREATE TRIGGER customers_counted AFTER INSERT OR DELETE ON customers \
                   FOR EACH ROW EXECUTE FUNCTION count_customers()",
                // Deleted rows go with their customer (ON DELETE CASCADE).
                "CREATE FUNCTION index_name_grams() RETURNS trigger LANGUAGE plpgsql AS $$ \
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
                "CREATE TRIGGER customers_name_grams AFTER INSERT OR UPDATE OF name_key ON customers \
                   FOR EACH ROW EXECUTE FUNCTION index_name_grams()",
            ],
            other => return Err(DbErr::Migration(format!("unsupported database {other:?}"))),
        };
        crate::execute_all(manager, statements).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let statements: &[&str] = match manager.get_database_backend() {
            DatabaseBackend::Sqlite => &[
                "DROP TRIGGER IF EXISTS customers_counted_insert",
                "DROP TRIGGER IF EXISTS customers_counted_delete",
                "DROP TRIGGER IF EXISTS customers_search_rename",
                "DROP TABLE IF EXISTS customers_search",
                "DROP INDEX IF EXISTS ux_customers_search_key",
                "DROP TABLE IF EXISTS customer_name_grams",
                "DROP TABLE IF EXISTS name_positions",
                "ALTER TABLE customers DROP COLUMN search_key",
                "DROP TABLE IF EXISTS customer_counts",
                // Back to the index of the previous migration.
                "CREATE VIRTUAL TABLE customers_search USING fts5(name_key, content='customers', content_rowid='rowid', tokenize='trigram')",
                "CREATE TRIGGER customers_search_insert AFTER INSERT ON customers BEGIN \
                   INSERT INTO customers_search(rowid, name_key) VALUES (new.rowid, new.name_key); END",
                "CREATE TRIGGER customers_search_delete AFTER DELETE ON customers BEGIN \
                   INSERT INTO customers_search(customers_search, rowid, name_key) VALUES ('delete', old.rowid, old.name_key); END",
                "CREATE TRIGGER customers_search_update AFTER UPDATE OF name_key ON customers BEGIN \
                   INSERT INTO customers_search(customers_search, rowid, name_key) VALUES ('delete', old.rowid, old.name_key); \
                   INSERT INTO customers_search(rowid, name_key) VALUES (new.rowid, new.name_key); END",
                "INSERT INTO customers_search(customers_search) VALUES ('rebuild')",
            ],
            _ => &[
                "DROP TRIGGER IF EXISTS customers_counted ON customers",
                "DROP FUNCTION IF EXISTS count_customers()",
                "DROP TRIGGER IF EXISTS customers_name_grams ON customers",
                "DROP FUNCTION IF EXISTS index_name_grams()",
                "DROP TABLE IF EXISTS customer_name_grams",
                "DROP FUNCTION IF EXISTS name_grams(text)",
                "DROP TABLE IF EXISTS customer_names",
                "CREATE INDEX idx_customers_name_key_trgm ON customers USING gin (name_key gin_trgm_ops)",
                "DROP TABLE IF EXISTS customer_counts",
            ],
        };
        crate::execute_all(manager, statements).await
    }
}
