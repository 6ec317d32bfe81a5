use sea_orm_migration::{prelude::*, sea_orm::DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// PostgreSQL only: inserting customers computes their short name parts and counts their name
/// parts for less (migration 28 made both).
///
/// - `name_short_parts` becomes one expression instead of a query. As a query, PostgreSQL ran it
///   through its SQL-function executor for every inserted name, about 50 µs each; as an
///   expression, about 10 µs. It splits the name into characters, and into pairs of characters
///   twice, from the first and from the second character, at a `/` it inserts after each pair:
///   names cannot hold `/` (SPEC §7). Its array may repeat a part: the GIN index keeps each part
///   once, and the search asks only whether a part is in it (`@>`). Names stored before keep
///   the array the query made, which holds the same parts.
/// - The statement-level trigger that counts name parts sorts one row per name and part (about
///   60 000 for a batch of 1 000 names). In the default 4 MB of `work_mem` that sort spilled to
///   disk; the trigger's function now runs with 16 MB, for the length of the trigger only.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let statements: &[&str] = match manager.get_database_backend() {
            DatabaseBackend::Sqlite => &[],
            DatabaseBackend::Postgres => &[
                "CREATE OR REPLACE FUNCTION name_short_parts(name text) RETURNS text[] \
                   LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ \
                   SELECT array_remove(string_to_array(name, NULL) \
                     || string_to_array(regexp_replace(name, '(..)', '\\1/', 'g'), '/') \
                     || string_to_array(regexp_replace(substr(name, 2), '(..)', '\\1/', 'g'), '/'), '') $$",
                "ALTER FUNCTION count_name_parts() SET work_mem = '16MB'",
            ],
            other => return Err(DbErr::Migration(format!("unsupported database {other:?}"))),
        };
        crate::execute_all(manager, statements).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let statements: &[&str] = match manager.get_database_backend() {
            DatabaseBackend::Sqlite => &[],
            DatabaseBackend::Postgres => &[
                "ALTER FUNCTION count_name_parts() RESET work_mem",
                "CREATE OR REPLACE FUNCTION name_short_parts(name text) RETURNS text[] \
                   LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ \
                   SELECT COALESCE(array_agg(DISTINCT substr(name, position, size)), '{}') \
                   FROM generate_series(1, char_length(name)) AS position, (VALUES (1), (2)) AS sizes(size) \
                   WHERE position + size - 1 <= char_length(name) $$",
            ],
            other => return Err(DbErr::Migration(format!("unsupported database {other:?}"))),
        };
        crate::execute_all(manager, statements).await
    }
}
