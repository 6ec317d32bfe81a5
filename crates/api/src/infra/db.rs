use std::path::Path;

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, Database, DatabaseConnection};

/// Connects (creating the SQLite file's folder when needed) and applies every pending migration.
pub async fn connect_and_migrate(database_url: &str) -> anyhow::Result<DatabaseConnection> {
    let sqlite_folder = sqlite_file(database_url)
        .and_then(|file| Path::new(file).parent())
        .filter(|folder| !folder.as_os_str().is_empty());
    if let Some(folder) = sqlite_folder {
        std::fs::create_dir_all(folder).map_err(|error| {
            anyhow::anyhow!(
                "cannot create the database folder {}: {error}",
                folder.display()
            )
        })?;
    }
    let mut options = ConnectOptions::new(database_url.to_owned());
    options.sqlx_logging(false);
    // A search is one prepared statement whatever its text; after five runs PostgreSQL would plan
    // it once for any needle, and a generic plan cannot turn `starts_with(suffix, $1)` into a
    // range of the suffix index: it would read every suffix of the reseller's names.
    options.map_sqlx_postgres_opts(|postgres| {
        postgres.options([("plan_cache_mode", "force_custom_plan")])
    });
    let db = Database::connect(options)
        .await
        .map_err(|error| anyhow::anyhow!("cannot connect to the database: {error}"))?;
    Migrator::up(&db, None)
        .await
        .map_err(|error| anyhow::anyhow!("migrations failed: {error}"))?;
    Ok(db)
}

fn sqlite_file(database_url: &str) -> Option<&str> {
    let rest = database_url
        .strip_prefix("sqlite://")
        .or_else(|| database_url.strip_prefix("sqlite:"))?;
    let file = rest.split('?').next().unwrap_or(rest);
    (!file.is_empty() && file != ":memory:").then_some(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sqlite_file_is_found_in_the_url() {
        assert_eq!(
            sqlite_file("sqlite://./data/x.db?mode=rwc"),
            Some("./data/x.db")
        );
        assert_eq!(sqlite_file("sqlite:x.db"), Some("x.db"));
        assert_eq!(sqlite_file("sqlite::memory:"), None);
        assert_eq!(sqlite_file("postgres://localhost/db"), None);
    }
}
