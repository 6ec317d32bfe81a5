use sea_orm_migration::{prelude::*, sea_orm::DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// PostgreSQL only: a search finds its matches through two GIN indexes on `customers` and
/// counts its short parts in a table of counts, instead of in tables holding every suffix and
/// every short part of every name (at 100 000 customers 818 of the database's 979 MiB, and two
/// thirds of the time to insert them).
///
/// - Parts of three characters or more are found with pg_trgm's index on `name_key`.
/// - Parts of one or two characters, which hold no trigram, are found in a GIN index of each
///   name's one- and two-character parts, stored in the generated column `short_name_parts`.
/// - A part of up to three characters can be in most names ("e", "ltd"): counting its matches
///   would read tens of thousands of rows, so `customer_name_part_counts` keeps, per reseller,
///   how many names hold each such part. Statement-level triggers keep it with one upsert per
///   statement, its rows taken in key order so that two writers never wait for each other in a
///   cycle. Longer parts are rarer, and are counted through pg_trgm.
/// - The same triggers count the customers per reseller (`customer_counts`), once per statement
///   instead of once per row: a batch of 1 000 customers took 328 ms to insert with the row-level
///   counts, 200 of it without the part counts.
///
/// SQLite keeps its FTS5 trigram index and its own table of short parts.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let statements: &[&str] = match manager.get_database_backend() {
            DatabaseBackend::Sqlite => &[],
            DatabaseBackend::Postgres => &[
                "DROP TRIGGER customers_name_suffixes ON customers",
                "DROP FUNCTION index_name_suffixes()",
                "DROP TABLE customer_name_suffixes",
                "DROP FUNCTION name_suffixes(text)",
                "DROP TRIGGER customers_name_grams ON customers",
                "DROP FUNCTION index_name_grams()",
                "DROP TABLE customer_name_grams",
                "DROP FUNCTION name_grams(text)",
                "CREATE EXTENSION IF NOT EXISTS pg_trgm",
                "CREATE FUNCTION name_short_parts(name text) RETURNS text[] LANGUAGE sql \
                   IMMUTABLE PARALLEL SAFE AS $$ \
                   SELECT COALESCE(array_agg(DISTINCT substr(name, position, size)), '{}') \
                   FROM generate_series(1, char_length(name)) AS position, (VALUES (1), (2)) AS sizes(size) \
                   WHERE position + size - 1 <= char_length(name) $$",
                "CREATE FUNCTION name_counted_parts(name text) RETURNS SETOF text LANGUAGE sql \
                   IMMUTABLE PARALLEL SAFE AS $$ \
                   SELECT DISTINCT substr(name, position, size) \
                   FROM generate_series(1, char_length(name)) AS position, (VALUES (1), (2), (3)) AS sizes(size) \
                   WHERE position + size - 1 <= char_length(name) $$",
                "CREATE INDEX idx_customers_name_key_trgm ON customers USING gin (name_key gin_trgm_ops)",
                // Stored, not an index on the expression: PostgreSQL re-checks a GIN index's
                // recent entries (its pending list) and lossy pages row by row, and the function
                // took 70 µs a name: a search for "10" among thousands of new "… Branch 0100…"
                // customers took 300 ms under load.
                "ALTER TABLE customers ADD COLUMN short_name_parts text[] \
                   GENERATED ALWAYS AS (name_short_parts(name_key)) STORED",
                "CREATE INDEX idx_customers_short_name_parts ON customers USING gin (short_name_parts)",
                // Half-full pages: a count's new version fits beside the old one, so an update
                // touches no index.
                "CREATE TABLE customer_name_part_counts (\
                   reseller_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE, \
                   part text NOT NULL, customers bigint NOT NULL, \
                   PRIMARY KEY (reseller_id, part)) WITH (fillfactor = 50)",
                "INSERT INTO customer_name_part_counts (reseller_id, part, customers) \
                   SELECT reseller_id, part, COUNT(*) FROM customers, name_counted_parts(name_key) AS part \
                   GROUP BY reseller_id, part",
                COUNT_NAME_PARTS,
                // The customers per reseller are counted by the same triggers: once per
                // statement, not once per row.
                "DROP TRIGGER customers_counted ON customers",
                "DROP FUNCTION count_customers()",
                "CREATE TRIGGER customers_name_parts_added AFTER INSERT ON customers \
                   REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION count_name_parts()",
                "CREATE TRIGGER customers_name_parts_removed AFTER DELETE ON customers \
                   REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION count_name_parts()",
                "CREATE TRIGGER customers_name_parts_renamed AFTER UPDATE ON customers \
                   REFERENCING OLD TABLE AS removed NEW TABLE AS added \
                   FOR EACH STATEMENT EXECUTE FUNCTION count_name_parts()",
                "ANALYZE customers",
                "ANALYZE customer_name_part_counts",
            ],
            other => return Err(DbErr::Migration(format!("unsupported database {other:?}"))),
        };
        crate::execute_all(manager, statements).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let statements: &[&str] = match manager.get_database_backend() {
            DatabaseBackend::Sqlite => &[],
            // Back to the tables of migrations 9 and 10, filled from the customers.
            DatabaseBackend::Postgres => &[
                "DROP TRIGGER customers_name_parts_added ON customers",
                "DROP TRIGGER customers_name_parts_removed ON customers",
                "DROP TRIGGER customers_name_parts_renamed ON customers",
                "DROP FUNCTION count_name_parts()",
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
                "DROP TABLE customer_name_part_counts",
                "DROP INDEX idx_customers_short_name_parts",
                "ALTER TABLE customers DROP COLUMN short_name_parts",
                "DROP INDEX idx_customers_name_key_trgm",
                "DROP FUNCTION name_counted_parts(text)",
                "DROP FUNCTION name_short_parts(text)",
                "CREATE TABLE customer_name_grams (\
                   reseller_id uuid NOT NULL, gram text NOT NULL, \
                   tenant_id uuid NOT NULL REFERENCES customers(tenant_id) ON DELETE CASCADE, \
                   PRIMARY KEY (reseller_id, gram, tenant_id))",
                "CREATE INDEX idx_customer_name_grams_tenant ON customer_name_grams (tenant_id)",
                "CREATE FUNCTION name_grams(name text) RETURNS SETOF text LANGUAGE sql IMMUTABLE AS $$ \
                   SELECT DISTINCT substr(name, position, size) \
                   FROM generate_series(1, char_length(name)) AS position, (VALUES (1), (2)) AS sizes(size) \
                   WHERE position + size - 1 <= char_length(name) $$",
                "INSERT INTO customer_name_grams (reseller_id, gram, tenant_id) \
                   SELECT reseller_id, name_grams(name_key), tenant_id FROM customers",
                "CREATE FUNCTION index_name_grams() RETURNS trigger LANGUAGE plpgsql AS $$ \
                 BEGIN \
                   IF TG_OP = 'UPDATE' THEN \
                     DELETE FROM customer_name_grams WHERE tenant_id = OLD.tenant_id; \
                   END IF; \
                   INSERT INTO customer_name_grams (reseller_id, gram, tenant_id) \
                     SELECT NEW.reseller_id, gram, NEW.tenant_id FROM name_grams(NEW.name_key) AS gram; \
                   RETURN NULL; \
                 END $$",
                "CREATE TRIGGER customers_name_grams AFTER INSERT OR UPDATE OF name_key ON customers \
                   FOR EACH ROW EXECUTE FUNCTION index_name_grams()",
                "CREATE TABLE customer_name_suffixes (\
                   reseller_id uuid NOT NULL, suffix text COLLATE \"C\" NOT NULL, \
                   tenant_id uuid NOT NULL, \
                   PRIMARY KEY (reseller_id, suffix, tenant_id))",
                "CREATE FUNCTION name_suffixes(name text) RETURNS SETOF text LANGUAGE sql IMMUTABLE AS $$ \
                   SELECT substr(name, position) FROM generate_series(1, char_length(name) - 2) AS position $$",
                "INSERT INTO customer_name_suffixes (reseller_id, suffix, tenant_id) \
                   SELECT reseller_id, name_suffixes(name_key), tenant_id FROM customers",
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
            ],
            other => return Err(DbErr::Migration(format!("unsupported database {other:?}"))),
        };
        crate::execute_all(manager, statements).await
    }
}

/// The name parts a deletion's removed rows take away, one row per name and part.
macro_rules! removed_parts {
    () => {
        "SELECT reseller_id, part, -1 AS change \
         FROM removed, name_counted_parts(removed.name_key) AS part"
    };
}

/// The name parts an update's renamed rows (or rows moved to another reseller) add and take away.
macro_rules! renamed_parts {
    () => {
        "SELECT added.reseller_id, part, 1 AS change \
         FROM removed JOIN added ON added.tenant_id = removed.tenant_id, \
           name_counted_parts(added.name_key) AS part \
         WHERE (removed.reseller_id, removed.name_key) IS DISTINCT FROM (added.reseller_id, added.name_key) \
         UNION ALL \
         SELECT removed.reseller_id, part, -1 AS change \
         FROM removed JOIN added ON added.tenant_id = removed.tenant_id, \
           name_counted_parts(removed.name_key) AS part \
         WHERE (removed.reseller_id, removed.name_key) IS DISTINCT FROM (added.reseller_id, added.name_key)"
    };
}

/// Adds `$changes` to the counts, rows in key order; a part no name holds any more leaves no row
/// behind, and a customer removed with its reseller leaves no count behind (the reseller's
/// counts went with it).
macro_rules! apply_changes {
    ($changes:expr) => {
        concat!(
            "INSERT INTO customer_name_part_counts (reseller_id, part, customers) \
               SELECT reseller_id, part, SUM(change) FROM (",
            $changes,
            ") AS changes \
               WHERE EXISTS (SELECT 1 FROM tenants WHERE tenants.id = changes.reseller_id) \
               GROUP BY reseller_id, part HAVING SUM(change) <> 0 ORDER BY reseller_id, part \
               ON CONFLICT (reseller_id, part) \
               DO UPDATE SET customers = customer_name_part_counts.customers + excluded.customers; \
             DELETE FROM customer_name_part_counts AS counts USING (",
            $changes,
            ") AS changes \
               WHERE changes.change < 0 AND counts.reseller_id = changes.reseller_id \
                 AND counts.part = changes.part AND counts.customers = 0;"
        )
    };
}

/// The trigger function of the three statement-level triggers: the rows an insert added, a
/// deletion removed, or an update changed are in the transition tables `added` and `removed`.
/// The customers per reseller are counted first, as the row-level trigger it replaces did, so
/// that every writer takes the reseller's count before its part counts. An insert's parts are
/// listed with their names and counted once per name in one pass (a third faster than the
/// function, called once per name).
const COUNT_NAME_PARTS: &str = concat!(
    "CREATE FUNCTION count_name_parts() RETURNS trigger LANGUAGE plpgsql AS $$ \
     BEGIN \
       IF TG_OP = 'INSERT' THEN \
         INSERT INTO customer_counts (reseller_id, customers) \
           SELECT reseller_id, COUNT(*) FROM added GROUP BY reseller_id ORDER BY reseller_id \
           ON CONFLICT (reseller_id) DO UPDATE SET customers = customer_counts.customers + excluded.customers; \
         INSERT INTO customer_name_part_counts (reseller_id, part, customers) \
           SELECT reseller_id, substr(name_key, position, size), COUNT(DISTINCT tenant_id) \
           FROM added, generate_series(1, char_length(name_key)) AS position, generate_series(1, 3) AS size \
           WHERE position + size - 1 <= char_length(name_key) \
           GROUP BY 1, 2 ORDER BY 1, 2 \
           ON CONFLICT (reseller_id, part) \
           DO UPDATE SET customers = customer_name_part_counts.customers + excluded.customers; \
       ELSIF TG_OP = 'DELETE' THEN \
         UPDATE customer_counts SET customers = customer_counts.customers - removed_customers.customers \
           FROM (SELECT reseller_id, COUNT(*) AS customers FROM removed GROUP BY reseller_id) AS removed_customers \
           WHERE customer_counts.reseller_id = removed_customers.reseller_id; ",
    apply_changes!(removed_parts!()),
    " ELSE ",
    apply_changes!(renamed_parts!()),
    " END IF; \
       RETURN NULL; \
     END $$"
);
