//! What the benches share: the release server binary on a free loopback port with its memory
//! figures, a scratch PostgreSQL database, percentiles and switches from the environment.
// Each bench uses its own part of this module.
#![allow(dead_code)]

pub mod names;
pub mod people;

use std::{
    process::{Child, Command, Stdio},
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use uuid::Uuid;

/// The server binary, killed when dropped.
pub struct ServerProcess {
    child: Child,
    pub base: String,
    private_peak: PrivateMemoryPeak,
}

/// The peak of the server's private memory (`RssAnon`), sampled every few milliseconds: `VmHWM`
/// also counts the pages of files the server maps, and SQLite's read connections each map the
/// database file, so each of its pages the OS caches once counts once per connection there.
struct PrivateMemoryPeak {
    peak_kib: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
}

impl PrivateMemoryPeak {
    fn sample(pid: u32) -> Self {
        let (peak_kib, stop) = (
            Arc::new(AtomicU64::new(0)),
            Arc::new(AtomicBool::new(false)),
        );
        let (peak, stopped) = (Arc::clone(&peak_kib), Arc::clone(&stop));
        std::thread::spawn(move || {
            while !stopped.load(Ordering::Relaxed) {
                if let Some(kib) = status_kib(pid, "RssAnon") {
                    peak.fetch_max(kib as u64, Ordering::Relaxed);
                }
                std::thread::sleep(Duration::from_millis(5));
            }
        });
        Self { peak_kib, stop }
    }
}

impl Drop for PrivateMemoryPeak {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// A figure of `/proc/<pid>/status` in KiB.
fn status_kib(pid: u32, figure: &str) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix(figure)?.strip_prefix(':'))
        .and_then(|value| {
            value
                .trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<f64>()
                .ok()
        })
}

impl ServerProcess {
    /// The server binary, with no `APP_*` or `DATABASE_URL` from the caller's environment, so
    /// that a bench measures what it configures.
    pub fn command() -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_msp-onboarding"));
        for (name, _) in std::env::vars() {
            if name.starts_with("APP_") || name == "DATABASE_URL" {
                command.env_remove(name);
            }
        }
        command
    }

    /// `serve` on a free loopback port, configured by `configure`, once `/healthz` answers.
    pub async fn serve(configure: impl FnOnce(&mut Command)) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .unwrap()
            .port();
        let mut command = Self::command();
        command
            .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
            .stdout(Stdio::null())
            .stderr(Stdio::inherit());
        configure(&mut command);
        let child = command.spawn().expect("cannot start the server binary");
        let server = Self {
            private_peak: PrivateMemoryPeak::sample(child.id()),
            child,
            base: format!("http://127.0.0.1:{port}"),
        };
        let probe = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(120);
        while probe
            .get(format!("{}/healthz", server.base))
            .send()
            .await
            .is_err()
        {
            assert!(Instant::now() < deadline, "the server did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        server
    }

    /// A memory figure of the server process from `/proc` (`VmHWM` is the peak, `VmRSS` now),
    /// in MiB.
    pub fn memory_mib(&self, figure: &str) -> f64 {
        status_kib(self.child.id(), figure).map_or(f64::NAN, |kib| kib / 1024.0)
    }

    /// The peak of the server's private memory (`RssAnon`) so far, in MiB.
    pub fn private_peak_mib(&self) -> f64 {
        self.private_peak.peak_kib.load(Ordering::Relaxed) as f64 / 1024.0
    }

    pub fn peak_memory_mib(&self) -> f64 {
        self.memory_mib("VmHWM")
    }

    /// Prints the server's peak memory, the last line of every bench's report.
    pub fn report_peak_memory(&self) {
        println!(
            "  server peak memory (VmHWM): {:.1} MiB; private (RssAnon) {:.1} MiB at peak, the files it maps (RssFile) {:.1} MiB now",
            self.peak_memory_mib(),
            self.private_peak_mib(),
            self.memory_mib("RssFile"),
        );
    }

    /// Signs `email` in and returns the access token.
    pub async fn sign_in(&self, client: &reqwest::Client, email: &str, password: &str) -> String {
        let login: serde_json::Value = client
            .post(format!("{}/api/v1/auth/login", self.base))
            .json(&serde_json::json!({ "email": email, "password": password }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        login["access_token"].as_str().unwrap().to_owned()
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether the environment variable `name` is set to `1`.
pub fn switched_on(name: &str) -> bool {
    std::env::var(name).is_ok_and(|value| value == "1")
}

/// The value at `fraction` (0.5 for the median) of sorted latencies, in milliseconds.
pub fn percentile_ms(sorted: &[Duration], fraction: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let index = ((sorted.len() as f64 - 1.0) * fraction).round() as usize;
    sorted[index].as_secs_f64() * 1000.0
}

/// A database of its own on the PostgreSQL server of `TEST_POSTGRES_URL` (default: the local
/// one), dropped by `drop_database`.
pub struct ScratchPostgres {
    admin: DatabaseConnection,
    name: String,
    pub url: String,
}

impl ScratchPostgres {
    pub async fn create(prefix: &str) -> Self {
        let admin_url = std::env::var("TEST_POSTGRES_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
        let name = format!("{prefix}_{}", Uuid::new_v4().simple());
        let admin = Database::connect(&admin_url)
            .await
            .expect("PostgreSQL is unreachable (BENCH_SKIP_POSTGRES=1 skips it)");
        admin
            .execute_unprepared(&format!(r#"CREATE DATABASE "{name}""#))
            .await
            .unwrap();
        let (server, _) = admin_url
            .rsplit_once('/')
            .expect("TEST_POSTGRES_URL has no database part");
        let url = format!("{server}/{name}");
        Self { admin, name, url }
    }

    pub async fn drop_database(self) {
        self.admin
            .execute_unprepared(&format!(
                r#"DROP DATABASE IF EXISTS "{}" WITH (FORCE)"#,
                self.name
            ))
            .await
            .unwrap();
    }
}

/// Runs `bench` on a fresh SQLite file and then on a scratch PostgreSQL database named after
/// `prefix`. `BENCH_SKIP_SQLITE=1` or `BENCH_SKIP_POSTGRES=1` skips one; `BENCH_KEEP_SQLITE=1` and
/// `BENCH_KEEP_POSTGRES=1` keep a database for `EXPLAIN` and print where it is.
pub async fn on_both_databases(prefix: &str, bench: impl AsyncFn(&str, &str)) {
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    let dir = tempfile::tempdir().unwrap();
    let sqlite = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("bench.db").display()
    );
    if switched_on("BENCH_SKIP_SQLITE") {
        println!("\nSQLite skipped (BENCH_SKIP_SQLITE=1)");
    } else {
        bench("SQLite", &sqlite).await;
    }
    if switched_on("BENCH_KEEP_SQLITE") {
        let kept = dir.keep();
        println!(
            "\nkept for inspection (BENCH_KEEP_SQLITE=1): {}",
            kept.join("bench.db").display()
        );
    }
    if switched_on("BENCH_SKIP_POSTGRES") {
        println!("\nPostgreSQL skipped (BENCH_SKIP_POSTGRES=1)");
        return;
    }
    let postgres = ScratchPostgres::create(prefix).await;
    bench("PostgreSQL", &postgres.url).await;
    if switched_on("BENCH_KEEP_POSTGRES") {
        println!(
            "\nkept for inspection (BENCH_KEEP_POSTGRES=1): {}",
            postgres.url
        );
        return;
    }
    postgres.drop_database().await;
}
