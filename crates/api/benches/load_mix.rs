//! The load figure of issue 6: sign-in, customer search and create mixed, on SQLite and
//! PostgreSQL.
//!
//! `cargo bench -p msp-api --bench load_mix` starts the real server binary with the demo data and
//! drives it from 32 concurrent clients on loopback for 30 s. Each client is its own admin of the
//! demo reseller (a script with its own account) and repeats a cycle of one sign-in, six searches
//! and three creates with the fresh access token, the way a script signs in, looks around and adds
//! customers. (One account shared by all 32 trips the per-account sign-in limit: 429s.) It prints
//! requests/s, p50/p99 per kind, the error count (target: zero; any status other than the documented success is an error) and the
//! server's peak memory. `BENCH_LOAD_SECONDS` and `BENCH_LOAD_CLIENTS` change the duration and the
//! number of clients; `BENCH_SKIP_SQLITE=1` or `BENCH_SKIP_POSTGRES=1` skips a database;
//! `BENCH_LOAD_SIGN_IN_ONCE=1` has each client sign in on its first cycle only.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::{
    collections::BTreeMap,
    time::{Duration, Instant},
};

use chrono::Utc;
use domain::{ClaimSet, Email, NewPassword};
use entity::tenant;
use msp_api::users::{self, NewUser};
use proto::Role;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use self::support::{ServerProcess, names::NameGenerator, on_both_databases, percentile_ms};

const PASSWORD: &str = "load-bench-password-1";
const SIGNING_KEY: &str = "load-benchmark-only-signing-secret-0123456789";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    SignIn,
    Search,
    Create,
}

impl Kind {
    fn label(self) -> &'static str {
        match self {
            Self::SignIn => "sign-in",
            Self::Search => "search",
            Self::Create => "create",
        }
    }
}

/// Sign-ins are an argon2id hash each, about one core of two between them: with each client
/// signing in once, the figures show what the other kinds reach.
fn sign_in_once() -> bool {
    std::env::var("BENCH_LOAD_SIGN_IN_ONCE").is_ok_and(|value| value == "1")
}

/// One client's repeating cycle; the sign-in's token serves the requests after it.
const CYCLE: [Kind; 10] = [
    Kind::SignIn,
    Kind::Search,
    Kind::Create,
    Kind::Search,
    Kind::Search,
    Kind::Create,
    Kind::Search,
    Kind::Search,
    Kind::Create,
    Kind::Search,
];

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .filter(|value| *value > 0)
        .unwrap_or(default)
}

/// What one client saw: latencies of the successful requests and the failures, per kind.
#[derive(Default)]
struct Tally {
    latencies: BTreeMap<Kind, Vec<Duration>>,
    errors: BTreeMap<Kind, u64>,
    first_errors: Vec<String>,
}

impl Tally {
    fn merge(mut self, other: Tally) -> Tally {
        for (kind, samples) in other.latencies {
            self.latencies.entry(kind).or_default().extend(samples);
        }
        for (kind, count) in other.errors {
            *self.errors.entry(kind).or_default() += count;
        }
        self.first_errors.extend(other.first_errors);
        self.first_errors.truncate(5);
        self
    }
}

struct LoadClient {
    http: reqwest::Client,
    base: String,
    worker: usize,
    token: Option<String>,
    sent: u64,
    names: NameGenerator,
}

impl LoadClient {
    async fn send(&mut self, kind: Kind) -> Result<(), String> {
        self.sent += 1;
        if kind == Kind::SignIn {
            let response = self
                .http
                .post(format!("{}/api/v1/auth/login", self.base))
                .json(&json!({ "email": client_email(self.worker), "password": PASSWORD }))
                .send()
                .await
                .map_err(|error| error.to_string())?;
            let body: Value = expect_status(response, 200).await?;
            self.token = body["access_token"].as_str().map(str::to_owned);
            return Ok(());
        }
        let token = self.token.clone().ok_or("no access token yet")?;
        let request = match kind {
            Kind::Search => self.http.get(format!(
                "{}/api/v1/customers?q={}&per_page=25",
                self.base,
                self.search_term()
            )),
            _ => self
                .http
                .post(format!("{}/api/v1/customers", self.base))
                .json(&json!({
                    "name": format!("{} - Branch {:02}{:05}", self.names.name(), self.worker, self.sent),
                    "total_licenses": 10,
                    "email": "it@load.example",
                })),
        };
        let response = request
            .bearer_auth(token)
            .send()
            .await
            .map_err(|error| error.to_string())?;
        let expected = if kind == Kind::Create { 201 } else { 200 };
        expect_status(response, expected).await.map(|_| ())
    }

    /// The `q` value, URL-encoded. Alternates everyday name parts with broad searches that match
    /// every customer created today and a number most of them carry.
    fn search_term(&self) -> String {
        const PARTS: [&str; 6] = ["tech", "sol", "north", "dental", "worth", "ter"];
        match self.sent % 3 {
            0 => PARTS[(self.sent as usize / 3 + self.worker) % PARTS.len()].to_owned(),
            1 => Utc::now().format("%Y-%m-%d").to_string(),
            _ => "10".to_owned(),
        }
    }
}

fn client_email(worker: usize) -> String {
    format!("load-{worker:02}@demo-reseller.test")
}

/// The demo data and one admin of the demo reseller per client, before the server starts.
async fn seed(database_url: &str, clients: usize) {
    let db = msp_api::db::connect_and_migrate(database_url)
        .await
        .unwrap();
    msp_api::demo::seed(&db, &msp_api::infra::auth::MfaKey::generate().unwrap())
        .await
        .unwrap();
    let reseller = tenant::Entity::find()
        .filter(tenant::Column::Name.eq(msp_api::demo::RESELLER_NAME))
        .one(&db)
        .await
        .unwrap()
        .expect("the demo reseller");
    for worker in 0..clients {
        users::create_user(
            &db,
            NewUser {
                tenant_id: reseller.id,
                email: Email::parse(&client_email(worker)).unwrap(),
                password: NewPassword::parse(PASSWORD).unwrap(),
                role: Role::Admin,
                claims: ClaimSet::all(),
            },
        )
        .await
        .unwrap();
    }
    db.close().await.unwrap();
}

async fn expect_status(response: reqwest::Response, expected: u16) -> Result<Value, String> {
    let status = response.status().as_u16();
    let body = response.text().await.map_err(|error| error.to_string())?;
    if status != expected {
        return Err(format!(
            "HTTP {status}: {}",
            body.chars().take(200).collect::<String>()
        ));
    }
    serde_json::from_str(&body).map_err(|error| format!("unreadable body: {error}"))
}

async fn drive(base: &str, clients: usize, duration: Duration) -> (Tally, Duration) {
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(clients * 2)
        .build()
        .unwrap();
    let sign_in_once = sign_in_once();
    let started = Instant::now();
    let deadline = started + duration;
    let mut workers = tokio::task::JoinSet::new();
    for worker in 0..clients {
        let mut client = LoadClient {
            http: http.clone(),
            base: base.to_owned(),
            worker,
            token: None,
            sent: 0,
            names: NameGenerator::new(worker as u64),
        };
        workers.spawn(async move {
            let mut tally = Tally::default();
            for (step, kind) in CYCLE.iter().cycle().enumerate() {
                if Instant::now() >= deadline {
                    break;
                }
                if sign_in_once && step >= CYCLE.len() && *kind == Kind::SignIn {
                    continue;
                }
                let sent_at = Instant::now();
                match client.send(*kind).await {
                    Ok(()) => tally
                        .latencies
                        .entry(*kind)
                        .or_default()
                        .push(sent_at.elapsed()),
                    Err(error) => {
                        *tally.errors.entry(*kind).or_default() += 1;
                        if tally.first_errors.len() < 5 {
                            tally
                                .first_errors
                                .push(format!("{}: {error}", kind.label()));
                        }
                    }
                }
            }
            tally
        });
    }
    let tally = workers
        .join_all()
        .await
        .into_iter()
        .fold(Tally::default(), Tally::merge);
    (tally, started.elapsed())
}

fn report(tally: &Tally, elapsed: Duration) {
    let seconds = elapsed.as_secs_f64();
    println!(
        "  {:<8} {:>9} {:>8} {:>9} {:>9} {:>7}",
        "kind", "requests", "req/s", "p50 ms", "p99 ms", "errors"
    );
    let (mut all_done, mut all_errors) = (0, 0);
    for kind in [Kind::SignIn, Kind::Search, Kind::Create] {
        let mut samples = tally.latencies.get(&kind).cloned().unwrap_or_default();
        samples.sort();
        let errors = tally.errors.get(&kind).copied().unwrap_or(0);
        let done = samples.len() as u64;
        all_done += done;
        all_errors += errors;
        println!(
            "  {:<8} {:>9} {:>8.0} {:>9.1} {:>9.1} {:>7}",
            kind.label(),
            done + errors,
            done as f64 / seconds,
            percentile_ms(&samples, 0.5),
            percentile_ms(&samples, 0.99),
            errors
        );
    }
    println!(
        "  all      {:>9} {:>8.0} {:>29}",
        all_done + all_errors,
        all_done as f64 / seconds,
        all_errors
    );
    for error in &tally.first_errors {
        println!("  error: {error}");
    }
}

async fn run(label: &str, database_url: &str) {
    let clients = env_number("BENCH_LOAD_CLIENTS", 32) as usize;
    let duration = Duration::from_secs(env_number("BENCH_LOAD_SECONDS", 30));
    let sign_ins = if sign_in_once() {
        "a sign-in on the first only"
    } else {
        "1 sign-in"
    };
    println!(
        "\n== {label}: {clients} clients for {} s (cycle: {sign_ins}, 6 searches, 3 creates)",
        duration.as_secs()
    );
    seed(database_url, clients).await;
    let data_dir = tempfile::tempdir().unwrap();
    let server = ServerProcess::serve(|command| {
        command
            .arg("--demo")
            .args(["--database-url", database_url])
            .arg("--data-dir")
            .arg(data_dir.path())
            .env("APP_JWT_SECRET", SIGNING_KEY)
            .env("APP_LOG", "error");
    })
    .await;
    let (tally, elapsed) = drive(&server.base, clients, duration).await;
    report(&tally, elapsed);
    server.report_peak_memory();
}

#[tokio::main]
async fn main() {
    on_both_databases("msp_load", run).await;
}
