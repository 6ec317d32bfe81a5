use sea_orm_migration::{prelude::*, sea_orm::DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The columns that hold a set (a tenant's licensing options, a user's claims, the wizard's
/// step history) or a JSON object (audit details) become JSON columns, so that the entities read
/// them typed instead of parsing text.
///
/// PostgreSQL converts them to `jsonb`: a stored value that is not JSON stops the migration
/// rather than surfacing later. SQLite has no JSON column type (its JSON functions work on
/// text), so there each value is rewritten in `json()`'s canonical form, which equally refuses
/// a value that is not JSON.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let statements: Vec<String> = match manager.get_database_backend() {
            DatabaseBackend::Postgres => COLUMNS
                .iter()
                .map(|(table, column)| {
                    format!(
                        "ALTER TABLE {table} ALTER COLUMN {column} TYPE jsonb USING {column}::jsonb"
                    )
                })
                .collect(),
            _ => COLUMNS
                .iter()
                .map(|(table, column)| {
                    format!(
                        "UPDATE {table} SET {column} = json({column}) WHERE {column} IS NOT NULL"
                    )
                })
                .collect(),
        };
        run(manager, &statements).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let statements: Vec<String> = match manager.get_database_backend() {
            DatabaseBackend::Postgres => COLUMNS
                .iter()
                .map(|(table, column)| {
                    format!(
                        "ALTER TABLE {table} ALTER COLUMN {column} TYPE text USING {column}::text"
                    )
                })
                .collect(),
            // The text SQLite holds is what the earlier schema expects.
            _ => Vec::new(),
        };
        run(manager, &statements).await
    }
}

const COLUMNS: [(&str, &str); 4] = [
    ("tenants", "licensing_options"),
    ("users", "claims"),
    ("wizard_progress", "history"),
    ("audit_log", "details"),
];

async fn run(manager: &SchemaManager<'_>, statements: &[String]) -> Result<(), DbErr> {
    let statements: Vec<&str> = statements.iter().map(String::as_str).collect();
    crate::execute_all(manager, &statements).await
}
