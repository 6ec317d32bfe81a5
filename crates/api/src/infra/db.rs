use std::{path::Path, time::Duration};

use migration::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, Database, DatabaseConnection,
    sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous},
};

/// How many read-only SQLite connections serve reads beside the one writer by default: enough to
/// keep two cores busy while other requests wait on the network. The pool pings a connection as
/// it takes it back after each statement, a round trip to its thread before another request may
/// use it: with four, 32 clients left the CPU idle a tenth of the time ('tech' 800-826 req/s
/// against 903-933 with eight; private memory 1-2 MiB a connection).
pub const SQLITE_READERS: u32 = 8;

/// How long a SQLite statement waits for another connection's lock before it fails.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Each SQLite connection's page cache, in KiB (SQLite's default is 2 000). A search sorts its
/// matches in `customer_name_order` and the trigram index: at 100 000 customers their hot pages
/// take a few MiB, and with the default cache every search read them again from the OS, which
/// more than doubled its time.
const SQLITE_CACHE_KIB: i64 = 8192;

/// How much of the database file each read connection maps into memory, in bytes. A read of a
/// page its own cache lacks is then a memory access, not a `pread` copying the page from the
/// OS's cache into the connection's: at 100 000 customers that copy and the cache's upkeep took
/// a third of a broad search's CPU ('north' 8.4 -> 5.1 ms a request, 'tech' 2.6 -> 2.2). The OS
/// caches the file's pages once; `VmHWM` counts each mapped page once per connection.
const SQLITE_MMAP_BYTES: i64 = 1 << 30;

/// A pooled connection idle for this long is pinged before it is handed out, in case the server
/// or a proxy dropped it. A busy one is not: every statement takes a connection from the pool,
/// and pinging each (the pool's default) added a round trip per statement, about a dozen per
/// request of the Customers page.
const PING_AFTER_IDLE: Duration = Duration::from_secs(30);

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
    options.test_before_acquire_if_idle_for(PING_AFTER_IDLE);
    // SQLite allows one writer at a time: writes and transactions share one connection, so they
    // queue in the pool instead of failing with `SQLITE_BUSY` mid-transaction. WAL lets the
    // readers (`connect_readers`) read beside it; `synchronous=NORMAL` in WAL mode loses no
    // committed transaction when the process dies, only possibly the last ones on a power cut.
    if database_url.starts_with("sqlite:") {
        options.max_connections(1);
    }
    options.map_sqlx_sqlite_opts(|sqlite| {
        sqlite
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(SQLITE_BUSY_TIMEOUT)
            .pragma("cache_size", (-SQLITE_CACHE_KIB).to_string())
    });
    let db = Database::connect(options)
        .await
        .map_err(|error| anyhow::anyhow!("cannot connect to the database: {error}"))?;
    Migrator::up(&db, None)
        .await
        .map_err(|error| anyhow::anyhow!("migrations failed: {error}"))?;
    Ok(db)
}

/// The connections for reads that need no transaction. On SQLite, `readers` connections that
/// refuse to write (`query_only`), reading the writer's committed state through WAL; on
/// PostgreSQL, for an in-memory SQLite database only the writer can see, and when `readers` is
/// 0, the writer's pool.
pub async fn connect_readers(
    database_url: &str,
    writer: &DatabaseConnection,
    readers: u32,
) -> anyhow::Result<DatabaseConnection> {
    if sqlite_file(database_url).is_none() || readers == 0 {
        return Ok(writer.clone());
    }
    let mut options = ConnectOptions::new(database_url.to_owned());
    options.sqlx_logging(false);
    options.test_before_acquire_if_idle_for(PING_AFTER_IDLE);
    options.max_connections(readers);
    options.min_connections(1);
    options.map_sqlx_sqlite_opts(|sqlite| {
        sqlite
            .create_if_missing(false)
            .busy_timeout(SQLITE_BUSY_TIMEOUT)
            .pragma("cache_size", (-SQLITE_CACHE_KIB).to_string())
            .pragma("mmap_size", SQLITE_MMAP_BYTES.to_string())
            .pragma("query_only", "ON")
    });
    Database::connect(options)
        .await
        .map_err(|error| anyhow::anyhow!("cannot open the database's read connections: {error}"))
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

    #[tokio::test]
    async fn sqlite_is_built_to_keep_its_plans_and_no_memory_statistics() {
        use sea_orm::{ConnectionTrait, Statement};

        let db = connect_and_migrate("sqlite::memory:").await.unwrap();
        let options: Vec<String> = db
            .query_all_raw(Statement::from_string(
                db.get_database_backend(),
                "PRAGMA compile_options",
            ))
            .await
            .unwrap()
            .iter()
            .map(|row| row.try_get_by_index::<String>(0).unwrap())
            .collect();
        // Set in .cargo/config.toml: without them a cached statement with `LIMIT ?` is compiled
        // again on every run, and every allocation takes one global mutex.
        assert!(
            options.iter().any(|option| option == "ENABLE_QPSG"),
            "{options:?}"
        );
        assert!(
            options.iter().any(|option| option == "DEFAULT_MEMSTATUS=0"),
            "{options:?}"
        );
    }

    #[tokio::test]
    async fn sqlite_keeps_one_writer_in_wal_mode_and_readers_that_cannot_write() {
        use sea_orm::{ConnectionTrait, Statement};

        let folder = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}?mode=rwc", folder.path().join("x.db").display());
        let writer = connect_and_migrate(&url).await.unwrap();
        let readers = connect_readers(&url, &writer, SQLITE_READERS)
            .await
            .unwrap();
        let pragma = |name: &str| {
            Statement::from_string(writer.get_database_backend(), format!("PRAGMA {name}"))
        };
        let mode = writer
            .query_one_raw(pragma("journal_mode"))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(mode.try_get_by_index::<String>(0).unwrap(), "wal");
        // NORMAL is 1: in WAL mode no committed transaction is lost when the process dies.
        let synchronous = writer
            .query_one_raw(pragma("synchronous"))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(synchronous.try_get_by_index::<i32>(0).unwrap(), 1);
        assert_eq!(
            writer
                .get_sqlite_connection_pool()
                .options()
                .get_max_connections(),
            1
        );
        assert_eq!(
            readers
                .get_sqlite_connection_pool()
                .options()
                .get_max_connections(),
            SQLITE_READERS
        );
        let mapped = readers
            .query_one_raw(pragma("mmap_size"))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            mapped.try_get_by_index::<i64>(0).unwrap(),
            SQLITE_MMAP_BYTES
        );

        writer
            .execute_unprepared("INSERT INTO login_throttle (key, failures, window_started_at) VALUES ('k', 1, '2026-11-30T00:00:00Z')")
            .await
            .unwrap();
        let seen = readers
            .query_one_raw(Statement::from_string(
                readers.get_database_backend(),
                "SELECT COUNT(*) FROM login_throttle",
            ))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            seen.try_get_by_index::<i64>(0).unwrap(),
            1,
            "a committed write is visible to the readers"
        );
        let refused = readers
            .execute_unprepared("DELETE FROM login_throttle")
            .await;
        assert!(refused.is_err(), "a read connection wrote");
    }
}
