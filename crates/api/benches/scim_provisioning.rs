//! Entra provisioning at 10 000 technicians over SCIM 2.0, on SQLite and PostgreSQL (SPEC §13).
//!
//! `cargo bench -p msp-api --bench scim_provisioning --features demo` starts the real server
//! binary with the demo data, signs the demo admin in, generates the tenant's SCIM secret token,
//! and then, as Entra's provisioning service does, provisions technicians through
//! `/scim/v2/Users` from 8 concurrent clients on loopback: for each user the lookup Entra always
//! makes first (`filter=userName eq "<upn>"`, which finds nobody) and then the create (`POST`,
//! Entra's body). The technicians look like a real directory (`support/people.rs`): skewed given
//! and family names, UPNs `first.last@contoso-it.com` with a digit for a repeated name, random
//! object IDs, one admin in about twenty. It then runs Entra's filter lookups for random existing
//! users, half by `userName` and half by `externalId`, from the same number of clients.
//!
//! It prints, per database: users/s (a lookup and its create count as one user) next to the
//! target of 200 users/s; p50/p99 of the lookups before a create, of the creates and of the
//! filter lookups, the p99 next to the 10 ms target; the filter lookups' requests/s next to the
//! server's own `/healthz` requests/s from as many clients (the ratio travels between machines);
//! the error count (target: zero; any status other than the documented success, or an answer
//! that finds the wrong users, is an error); and the server's peak memory.
//!
//! `BENCH_SCIM_USERS` (default 10 000), `BENCH_SCIM_CLIENTS` (8) and `BENCH_SCIM_LOOKUPS` (2 000)
//! change the sizes; `BENCH_SKIP_SQLITE=1` or `BENCH_SKIP_POSTGRES=1` skips a database;
//! `BENCH_KEEP_SQLITE=1` or `BENCH_KEEP_POSTGRES=1` keeps it for `EXPLAIN`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::{
    collections::BTreeMap,
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use serde_json::Value;
use uuid::Uuid;

use self::support::{
    ServerProcess, on_both_databases,
    people::{self, Person},
    percentile_ms,
};

const SIGNING_KEY: &str = "scim-benchmark-only-signing-secret-0123456789";
const ADMIN_EMAIL: &str = "admin@demo-reseller.test";
const ADMIN_PASSWORD: &str = "demo-password-1";
/// What Entra's provisioning service sends with a body.
const SCIM_CONTENT_TYPE: &str = "application/scim+json; charset=utf-8";
/// The same technicians on every run and database.
const PEOPLE_SEED: u64 = 2026;
const TARGET_USERS_PER_SECOND: f64 = 200.0;
const TARGET_FILTER_P99_MS: f64 = 10.0;

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .filter(|value| *value > 0)
        .unwrap_or(default)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    /// Entra's `userName eq` lookup before a create: finds nobody.
    LookupBeforeCreate,
    Create,
    /// Entra's lookups of existing users.
    ByUserName,
    ByExternalId,
}

impl Kind {
    fn label(self) -> &'static str {
        match self {
            Self::LookupBeforeCreate => "userName eq (absent)",
            Self::Create => "create",
            Self::ByUserName => "userName eq",
            Self::ByExternalId => "externalId eq",
        }
    }
}

/// What the clients saw: latencies of the successful requests and the failures, per kind, and
/// the people created.
#[derive(Default)]
struct Tally {
    latencies: BTreeMap<Kind, Vec<Duration>>,
    errors: BTreeMap<Kind, u64>,
    first_errors: Vec<String>,
    created: Vec<usize>,
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
        self.created.extend(other.created);
        self
    }

    /// Times `request` as `kind`: its answer when it succeeded, `None` (counted) when not.
    async fn time<T>(
        &mut self,
        kind: Kind,
        request: impl Future<Output = Result<T, String>>,
    ) -> Option<T> {
        let sent_at = Instant::now();
        match request.await {
            Ok(answer) => {
                self.latencies
                    .entry(kind)
                    .or_default()
                    .push(sent_at.elapsed());
                Some(answer)
            }
            Err(error) => {
                *self.errors.entry(kind).or_default() += 1;
                if self.first_errors.len() < 5 {
                    self.first_errors.push(format!("{}: {error}", kind.label()));
                }
                None
            }
        }
    }

    fn errors(&self) -> u64 {
        self.errors.values().sum()
    }

    fn sorted(&self, kinds: &[Kind]) -> Vec<Duration> {
        let mut samples: Vec<Duration> = kinds
            .iter()
            .filter_map(|kind| self.latencies.get(kind))
            .flatten()
            .copied()
            .collect();
        samples.sort();
        samples
    }
}

/// A query-string value as `application/x-www-form-urlencoded` writes it (space as `+`), the way
/// Entra sends its filters.
fn form_encode(value: &str) -> String {
    let mut encoded = String::with_capacity(value.len() * 3);
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                encoded.push(byte as char);
            }
            b' ' => encoded.push('+'),
            _ => encoded.push_str(&format!("%{byte:02X}")),
        }
    }
    encoded
}

/// One of Entra's provisioning clients: the tenant's SCIM base URL and secret token.
#[derive(Clone)]
struct Scim {
    http: reqwest::Client,
    users: String,
    token: String,
}

impl Scim {
    async fn answer(response: reqwest::Response, expected: u16) -> Result<Value, String> {
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

    /// `GET /Users?filter=<attribute> eq "<value>"`: the users found.
    async fn lookup(&self, attribute: &str, value: &str) -> Result<Vec<Value>, String> {
        let filter = form_encode(&format!("{attribute} eq \"{value}\""));
        let response = self
            .http
            .get(format!("{}?filter={filter}", self.users))
            .bearer_auth(&self.token)
            .send()
            .await
            .map_err(|error| error.to_string())?;
        let list = Self::answer(response, 200).await?;
        let found = list["Resources"].as_array().cloned().unwrap_or_default();
        if list["totalResults"].as_u64() != Some(found.len() as u64) {
            return Err(format!(
                "totalResults {} but {} resources",
                list["totalResults"],
                found.len()
            ));
        }
        Ok(found)
    }

    /// `POST /Users` with Entra's body for `person`.
    async fn create(&self, person: &Person) -> Result<(), String> {
        let response = self
            .http
            .post(&self.users)
            .bearer_auth(&self.token)
            .header(reqwest::header::CONTENT_TYPE, SCIM_CONTENT_TYPE)
            .body(person.entra_create_body().to_string())
            .send()
            .await
            .map_err(|error| error.to_string())?;
        let created = Self::answer(response, 201).await?;
        if created["userName"].as_str() != Some(person.user_principal_name.as_str())
            || created["externalId"].as_str() != Some(person.object_id.as_str())
        {
            return Err(format!(
                "created {} / {}, asked for {} / {}",
                created["userName"],
                created["externalId"],
                person.user_principal_name,
                person.object_id
            ));
        }
        Ok(())
    }

    /// Entra's lookup of an existing `person`, by UPN or by object ID: exactly that user.
    async fn find(&self, person: &Person, by_user_name: bool) -> Result<(), String> {
        let found = if by_user_name {
            self.lookup("userName", &person.user_principal_name).await?
        } else {
            self.lookup("externalId", &person.object_id).await?
        };
        match found.as_slice() {
            [user]
                if user["userName"].as_str() == Some(person.user_principal_name.as_str())
                    && user["externalId"].as_str() == Some(person.object_id.as_str()) =>
            {
                Ok(())
            }
            _ => Err(format!(
                "expected {} alone, found {} users",
                person.user_principal_name,
                found.len()
            )),
        }
    }
}

/// Signs the demo admin in and generates the tenant's SCIM secret token.
async fn scim_client(server: &ServerProcess, http: &reqwest::Client) -> Scim {
    let access = server.sign_in(http, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let response = http
        .post(format!("{}/api/v1/settings/scim-token", server.base))
        .bearer_auth(access)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 201, "cannot make a SCIM token");
    let created: Value = response.json().await.unwrap();
    Scim {
        http: http.clone(),
        users: format!("{}/scim/v2/Users", server.base),
        token: created["secret_token"].as_str().unwrap().to_owned(),
    }
}

/// Provisions `people` from `clients` concurrent clients, each taking the next person: Entra's
/// lookup by `userName`, then the create when nobody was found.
async fn provision(scim: &Scim, people: &Arc<Vec<Person>>, clients: usize) -> (Tally, Duration) {
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..clients {
        let (scim, people, next) = (scim.clone(), Arc::clone(people), Arc::clone(&next));
        workers.spawn(async move {
            let mut tally = Tally::default();
            loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(person) = people.get(index) else {
                    break;
                };
                let absent = async {
                    match scim
                        .lookup("userName", &person.user_principal_name)
                        .await?
                        .len()
                    {
                        0 => Ok(()),
                        found => Err(format!(
                            "{} already exists ({found} found)",
                            person.user_principal_name
                        )),
                    }
                };
                if tally.time(Kind::LookupBeforeCreate, absent).await.is_none() {
                    continue;
                }
                if tally
                    .time(Kind::Create, scim.create(person))
                    .await
                    .is_some()
                {
                    tally.created.push(index);
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

/// `lookups` of random created people from `clients` clients, alternately by `userName` and by
/// `externalId`.
async fn look_up(
    scim: &Scim,
    people: &Arc<Vec<Person>>,
    created: &[usize],
    lookups: usize,
    clients: usize,
) -> (Tally, Duration) {
    let picks: Arc<Vec<usize>> = Arc::new(
        (0..lookups)
            .map(|_| created[(Uuid::new_v4().as_u128() % created.len() as u128) as usize])
            .collect(),
    );
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..clients {
        let (scim, people, picks, next) = (
            scim.clone(),
            Arc::clone(people),
            Arc::clone(&picks),
            Arc::clone(&next),
        );
        workers.spawn(async move {
            let mut tally = Tally::default();
            loop {
                let turn = next.fetch_add(1, Ordering::Relaxed);
                let Some(&index) = picks.get(turn) else {
                    break;
                };
                let by_user_name = turn % 2 == 0;
                let kind = if by_user_name {
                    Kind::ByUserName
                } else {
                    Kind::ByExternalId
                };
                tally
                    .time(kind, scim.find(&people[index], by_user_name))
                    .await;
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

/// `/healthz` requests/s with `clients` clients sending `requests` in all: the server's own pace
/// on this machine, the yardstick for the filter lookups'.
async fn healthz_rate(http: &reqwest::Client, base: &str, requests: usize, clients: usize) -> f64 {
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..clients {
        let (http, url, next) = (http.clone(), format!("{base}/healthz"), Arc::clone(&next));
        workers.spawn(async move {
            let mut done = 0u64;
            while next.fetch_add(1, Ordering::Relaxed) < requests {
                if let Ok(response) = http.get(&url).send().await
                    && response.status().is_success()
                    && response.bytes().await.is_ok()
                {
                    done += 1;
                }
            }
            done
        });
    }
    let done: u64 = workers.join_all().await.into_iter().sum();
    done as f64 / started.elapsed().as_secs_f64()
}

fn header() {
    println!(
        "    {:<22} {:>8} {:>8} {:>8} {:>8} {:>7}",
        "kind", "requests", "req/s", "p50 ms", "p99 ms", "errors"
    );
}

fn row(tally: &Tally, label: &str, kinds: &[Kind], elapsed: Duration) -> f64 {
    let samples = tally.sorted(kinds);
    let errors: u64 = kinds.iter().filter_map(|kind| tally.errors.get(kind)).sum();
    let p99 = percentile_ms(&samples, 0.99);
    println!(
        "    {label:<22} {:>8} {:>8.0} {:>8.2} {:>8.2} {:>7}",
        samples.len() as u64 + errors,
        samples.len() as f64 / elapsed.as_secs_f64(),
        percentile_ms(&samples, 0.5),
        p99,
        errors
    );
    p99
}

fn print_errors(tally: &Tally) {
    for error in &tally.first_errors {
        println!("    error: {error}");
    }
}

async fn run(label: &str, database_url: &str) {
    let count = env_number("BENCH_SCIM_USERS", 10_000) as usize;
    let clients = env_number("BENCH_SCIM_CLIENTS", 8) as usize;
    let lookups = env_number("BENCH_SCIM_LOOKUPS", 2_000) as usize;
    println!(
        "\n== {label}: {count} users provisioned from {clients} clients, then {lookups} filter lookups"
    );
    let people = Arc::new(people::technicians(PEOPLE_SEED, count));
    println!("  technicians: {}", people::describe(&people));
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
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(clients * 2)
        .build()
        .unwrap();
    let scim = scim_client(&server, &http).await;
    let peak_before = server.peak_memory_mib();

    println!("  provisioning (per user: Entra's lookup by userName, then the create):");
    let (provisioned, elapsed) = provision(&scim, &people, clients).await;
    header();
    row(
        &provisioned,
        Kind::LookupBeforeCreate.label(),
        &[Kind::LookupBeforeCreate],
        elapsed,
    );
    row(&provisioned, Kind::Create.label(), &[Kind::Create], elapsed);
    let users_per_second = provisioned.created.len() as f64 / elapsed.as_secs_f64();
    println!(
        "    {} users in {:.1} s: {users_per_second:.0} users/s = {:.2}x the target of {TARGET_USERS_PER_SECOND:.0} users/s",
        provisioned.created.len(),
        elapsed.as_secs_f64(),
        users_per_second / TARGET_USERS_PER_SECOND
    );
    print_errors(&provisioned);
    if provisioned.created.is_empty() {
        println!("  no user was created: no filter lookups");
        server.report_peak_memory();
        return;
    }

    println!(
        "  filter lookups of random existing users (of {} in the tenant):",
        provisioned.created.len()
    );
    let (found, elapsed) = look_up(&scim, &people, &provisioned.created, lookups, clients).await;
    header();
    for kind in [Kind::ByUserName, Kind::ByExternalId] {
        row(&found, kind.label(), &[kind], elapsed);
    }
    let p99 = row(
        &found,
        "all filter lookups",
        &[Kind::ByUserName, Kind::ByExternalId],
        elapsed,
    );
    println!(
        "    filter p99 {p99:.2} ms = {:.2}x the target of {TARGET_FILTER_P99_MS:.0} ms",
        p99 / TARGET_FILTER_P99_MS
    );
    print_errors(&found);
    let lookup_rate =
        found.sorted(&[Kind::ByUserName, Kind::ByExternalId]).len() as f64 / elapsed.as_secs_f64();
    let health_rate = healthz_rate(&http, &server.base, lookups, clients).await;
    println!(
        "    {clients} clients: filter lookups {lookup_rate:.0} req/s, /healthz {health_rate:.0} req/s, ratio {:.3}",
        lookup_rate / health_rate
    );
    println!(
        "  errors: {} (target: zero)",
        provisioned.errors() + found.errors()
    );
    println!(
        "  server peak memory (VmHWM): {:.1} MiB (after sign-in {peak_before:.1} MiB, growth {:.1} MiB)",
        server.peak_memory_mib(),
        server.peak_memory_mib() - peak_before
    );
}

#[tokio::main]
async fn main() {
    on_both_databases("msp_scim", run).await;
}
