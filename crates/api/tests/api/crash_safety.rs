//! Crash safety: the real server binary is killed with SIGKILL in the middle of a burst of
//! customer creates, restarted on the same database, and every customer is found whole — tenant,
//! customer row, licence key and audit entry — or not at all.

use std::{
    collections::{BTreeMap, BTreeSet},
    io::{BufRead, BufReader},
    path::Path,
    process::{Child, Command, Stdio},
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use entity::{audit_log, customer, licence_key, tenant};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, Database, DatabaseConnection, EntityTrait, QueryFilter};
use serde_json::Value;
use tempfile::TempDir;
use uuid::Uuid;

use crate::{
    business::customer as customer_body,
    helpers::{Backend, PASSWORD, run_with_database},
};

const ADMIN_EMAIL: &str = "admin@crash-reseller.test";
const CONCURRENT_CLIENTS: usize = 16;
/// Creates the burst may attempt at most; the kill comes long before.
const MOST_CREATES: usize = 2_000;
/// Acknowledged creates before the kill, so that the database holds committed customers and
/// the kill lands while other creates are in flight.
const ACKNOWLEDGED_BEFORE_KILL: usize = 25;

/// The `msp-onboarding serve` child process; killed when dropped, so a failing test leaves no
/// server behind.
struct ServerProcess {
    child: Child,
    address: String,
}

impl ServerProcess {
    /// Starts the binary on a free loopback port and waits until it says where it listens.
    async fn start(database_url: &str, data_dir: &Path) -> Self {
        let web_dir = data_dir.join("web");
        std::fs::create_dir_all(&web_dir).unwrap();
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(data_dir.join("server.log"))
            .unwrap();
        let mut command = Command::new(env!("CARGO_BIN_EXE_msp-onboarding"));
        command
            .args([
                "serve",
                "--bind",
                "127.0.0.1:0",
                "--database-url",
                database_url,
            ])
            .arg("--data-dir")
            .arg(data_dir)
            .arg("--web-dir")
            .arg(&web_dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log);
        for (name, _) in std::env::vars() {
            if name.starts_with("APP_") || name == "DATABASE_URL" {
                command.env_remove(name);
            }
        }
        let mut child = command.spawn().expect("the server binary starts");
        let stdout = child.stdout.take().expect("the server's standard output");
        let (port_sender, port_receiver) = std::sync::mpsc::channel();
        // Reads the banner for the port, then keeps draining so the child never blocks on a full
        // pipe.
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(rest) = line.strip_prefix("MSP Onboarding is running at ") {
                    let _sent = port_sender.send(rest.trim_end_matches('/').to_owned());
                }
            }
        });
        let address = tokio::task::spawn_blocking(move || {
            port_receiver.recv_timeout(Duration::from_secs(120))
        })
        .await
        .unwrap();
        match address {
            Ok(address) => Self { child, address },
            Err(_) => {
                let _killed = child.kill();
                let log = std::fs::read_to_string(data_dir.join("server.log")).unwrap_or_default();
                panic!("the server did not report its address; its log:\n{log}");
            }
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// SIGKILL: no shutdown hook, no flush, no transaction rollback by the process itself.
    fn kill(&mut self) {
        self.child.kill().expect("SIGKILL reaches the server");
        self.child.wait().expect("the killed server is reaped");
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _killed = self.child.kill();
        let _reaped = self.child.wait();
    }
}

fn bootstrap_reseller(database_url: &str, data_dir: &Path) {
    let output = Command::new(env!("CARGO_BIN_EXE_msp-onboarding"))
        .args([
            "bootstrap",
            "--tenant-type",
            "reseller",
            "--tenant-name",
            "Crash Reseller",
            "--admin-email",
            ADMIN_EMAIL,
            "--database-url",
            database_url,
        ])
        .arg("--data-dir")
        .arg(data_dir)
        .env("APP_ADMIN_PASSWORD", PASSWORD)
        .output()
        .expect("the bootstrap command runs");
    assert!(
        output.status.success(),
        "bootstrap failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

async fn sign_in(client: &reqwest::Client, server: &ServerProcess) -> String {
    let response = client
        .post(server.url("/api/v1/auth/login"))
        .json(&serde_json::json!({ "email": ADMIN_EMAIL, "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    body["access_token"].as_str().unwrap().to_owned()
}

/// The create request number `n`: its own name and its own `Idempotency-Key`, so that it can be
/// sent again after the crash.
fn create_request(
    client: &reqwest::Client,
    server_url: &str,
    token: &str,
    n: usize,
) -> reqwest::RequestBuilder {
    client
        .post(format!("{server_url}/api/v1/customers"))
        .bearer_auth(token)
        .header("Idempotency-Key", format!("crash-test-{n}"))
        .json(&customer_body(&format!("Crash Customer {n}")))
}

/// What the burst saw before the server died: the requests sent and the customers acknowledged.
#[derive(Default)]
struct Burst {
    attempted: BTreeSet<usize>,
    acknowledged: BTreeMap<usize, Uuid>,
}

/// Fires creates from `CONCURRENT_CLIENTS` clients and kills the server once
/// `ACKNOWLEDGED_BEFORE_KILL` of them were answered with 201.
async fn burst_killed_midway(
    client: &reqwest::Client,
    server: &mut ServerProcess,
    token: &str,
) -> Burst {
    let next = Arc::new(AtomicUsize::new(0));
    let burst = Arc::new(Mutex::new(Burst::default()));
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..CONCURRENT_CLIENTS {
        let (next, burst, client) = (Arc::clone(&next), Arc::clone(&burst), client.clone());
        let (server_url, token) = (server.address.clone(), token.to_owned());
        workers.spawn(async move {
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= MOST_CREATES {
                    return;
                }
                burst.lock().unwrap().attempted.insert(n);
                let Ok(response) = create_request(&client, &server_url, &token, n).send().await
                else {
                    return; // the server is gone
                };
                let status = response.status();
                let Ok(body) = response.json::<Value>().await else {
                    return;
                };
                assert_eq!(status, StatusCode::CREATED, "create {n}: {body}");
                let id = body["id"].as_str().unwrap().parse().unwrap();
                burst.lock().unwrap().acknowledged.insert(n, id);
            }
        });
    }
    while burst.lock().unwrap().acknowledged.len() < ACKNOWLEDGED_BEFORE_KILL {
        assert!(
            next.load(Ordering::Relaxed) < MOST_CREATES,
            "the burst ended before the kill"
        );
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    server.kill();
    while let Some(finished) = workers.join_next().await {
        finished.unwrap();
    }
    Arc::into_inner(burst).unwrap().into_inner().unwrap()
}

/// Asserts that every customer of `reseller` is whole and nothing else exists half-written;
/// returns the customers' IDs.
async fn assert_every_customer_whole(db: &DatabaseConnection, reseller: Uuid) -> BTreeSet<Uuid> {
    let customers: BTreeSet<Uuid> = customer::Entity::find()
        .filter(customer::Column::ResellerId.eq(reseller))
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|row| row.tenant_id)
        .collect();
    let tenants: BTreeSet<Uuid> = tenant::Entity::find()
        .filter(tenant::Column::ParentId.eq(reseller))
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|row| row.id)
        .collect();
    assert_eq!(
        tenants, customers,
        "every customer tenant has its customer row and back"
    );

    let mut keys_per_customer = BTreeMap::<Uuid, usize>::new();
    for key in licence_key::Entity::find().all(db).await.unwrap() {
        *keys_per_customer.entry(key.customer_id).or_default() += 1;
    }
    let expected_keys: BTreeMap<Uuid, usize> = customers.iter().map(|id| (*id, 1)).collect();
    assert_eq!(
        keys_per_customer, expected_keys,
        "one licence key per customer, none without a customer"
    );

    let mut audits_per_target = BTreeMap::<String, usize>::new();
    for entry in audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("customer.create"))
        .all(db)
        .await
        .unwrap()
    {
        *audits_per_target.entry(entry.target).or_default() += 1;
    }
    let expected_audits: BTreeMap<String, usize> = customers
        .iter()
        .map(|id| (format!("customer:{id}"), 1))
        .collect();
    assert_eq!(
        audits_per_target, expected_audits,
        "one audit entry per created customer, none for a customer that is not there"
    );
    customers
}

async fn connect(database_url: &str) -> DatabaseConnection {
    let mut options = sea_orm::ConnectOptions::new(database_url.to_owned());
    options.sqlx_logging(false);
    Database::connect(options).await.unwrap()
}

async fn a_sigkill_during_creates_leaves_every_customer_whole(database_url: String, data: TempDir) {
    bootstrap_reseller(&database_url, data.path());
    let client = reqwest::Client::new();
    let mut server = ServerProcess::start(&database_url, data.path()).await;
    let token = sign_in(&client, &server).await;

    let burst = burst_killed_midway(&client, &mut server, &token).await;
    drop(server);

    let db = connect(&database_url).await;
    let reseller = tenant::Entity::find()
        .filter(tenant::Column::Name.eq("Crash Reseller"))
        .one(&db)
        .await
        .unwrap()
        .expect("the bootstrapped reseller");
    let survived = assert_every_customer_whole(&db, reseller.id).await;
    let acknowledged: BTreeSet<Uuid> = burst.acknowledged.values().copied().collect();
    assert!(
        acknowledged.is_subset(&survived),
        "every acknowledged create survives the crash"
    );
    assert!(
        burst.attempted.len() > burst.acknowledged.len(),
        "requests were in flight when the server died"
    );
    eprintln!(
        "killed after {} acknowledged of {} sent creates; {} committed",
        burst.acknowledged.len(),
        burst.attempted.len(),
        survived.len()
    );

    let server = ServerProcess::start(&database_url, data.path()).await;
    let token = sign_in(&client, &server).await;
    // Every request of the burst again, with its key: the committed ones are replayed, the lost
    // ones created now, and none is answered with an error left by the crash.
    for n in &burst.attempted {
        let response = create_request(&client, &server.address, &token, *n)
            .send()
            .await
            .unwrap();
        let status = response.status();
        let body: Value = response.json().await.unwrap();
        assert_eq!(status, StatusCode::CREATED, "create {n} again: {body}");
        if let Some(first) = burst.acknowledged.get(n) {
            assert_eq!(body["id"], first.to_string(), "create {n} is replayed");
        }
    }
    let after = assert_every_customer_whole(&db, reseller.id).await;
    assert_eq!(
        after.len(),
        burst.attempted.len(),
        "one customer per request"
    );
    let listing: Value = client
        .get(server.url("/api/v1/customers"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listing["total"], after.len());
    let _closed = db.close().await;
}

mod a_server_killed_with_sigkill_during_a_burst_of_creates_keeps_every_customer_whole {
    use super::*;

    #[tokio::test]
    async fn on_sqlite() {
        run_with_database(
            Backend::Sqlite,
            concat!(module_path!(), "::on_sqlite"),
            a_sigkill_during_creates_leaves_every_customer_whole,
        )
        .await;
    }

    #[tokio::test]
    async fn on_postgres() {
        run_with_database(
            Backend::Postgres,
            concat!(module_path!(), "::on_postgres"),
            a_sigkill_during_creates_leaves_every_customer_whole,
        )
        .await;
    }
}
