//! Two real server processes on one PostgreSQL database, with the same signing and MFA keys,
//! serve one scripted session alternately, as replicas behind a load balancer do: whatever one
//! replica writes or remembers, the other honours.

use std::{
    path::Path,
    process::{Child, Command, Stdio},
    time::Duration,
};

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Backend, PASSWORD, run_with_database};

const ADMIN: &str = "admin@replica-reseller.test";
const SIGNING_KEY: &str = "replicas-share-this-signing-key-0123456789";
const MFA_KEY: &str = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";

/// A server process, killed when the test ends however it ends.
pub struct Replica {
    pub child: Child,
    pub base: String,
}

impl Drop for Replica {
    fn drop(&mut self) {
        let _killed = self.child.kill();
        let _reaped = self.child.wait();
    }
}

fn server_command() -> Command {
    let mut command = crate::helpers::server_binary();
    command
        .env("APP_LOG", "error")
        .stdin(Stdio::null())
        .stdout(Stdio::null());
    command
}

pub fn bootstrap(database_url: &str, data_dir: &Path) {
    let output = server_command()
        .args([
            "bootstrap",
            "--tenant-type",
            "reseller",
            "--tenant-name",
            "Replica Reseller",
        ])
        .args(["--admin-email", ADMIN, "--database-url", database_url])
        .arg("--data-dir")
        .arg(data_dir)
        .env("APP_ADMIN_PASSWORD", PASSWORD)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

async fn start_replica(database_url: &str, data_dir: &Path, name: &str) -> Replica {
    start_replica_with(database_url, data_dir, name, &[]).await
}

/// A replica started with `extra` arguments after the shared ones.
pub async fn start_replica_with(
    database_url: &str,
    data_dir: &Path,
    name: &str,
    extra: &[&str],
) -> Replica {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    // Each replica has its own data directory: nothing is shared but the database and the keys.
    let own_dir = data_dir.join(name);
    std::fs::create_dir_all(own_dir.join("web")).unwrap();
    let child = server_command()
        .args([
            "serve",
            "--bind",
            &format!("127.0.0.1:{port}"),
            "--database-url",
            database_url,
        ])
        .args(["--jwt-secret", SIGNING_KEY, "--mfa-key", MFA_KEY])
        .arg("--data-dir")
        .arg(&own_dir)
        .arg("--web-dir")
        .arg(own_dir.join("web"))
        .args(extra)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let replica = Replica {
        child,
        base: format!("http://127.0.0.1:{port}"),
    };
    let client = reqwest::Client::new();
    for _ in 0..300 {
        if let Ok(response) = client.get(format!("{}/healthz", replica.base)).send().await
            && response.status().is_success()
        {
            return replica;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("replica {name} did not become healthy");
}

async fn send(
    client: &reqwest::Client,
    replica: &Replica,
    method: reqwest::Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
    idempotency_key: Option<&str>,
) -> (StatusCode, Value) {
    let mut request = client.request(method, format!("{}{path}", replica.base));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(key) = idempotency_key {
        request = request.header("Idempotency-Key", key);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

#[tokio::test]
async fn two_server_processes_on_one_postgresql_database_serve_one_session_interchangeably() {
    use reqwest::Method;
    run_with_database(Backend::Postgres, "replicas", |url, data_dir| async move {
        bootstrap(&url, data_dir.path());
        let a = start_replica(&url, data_dir.path(), "a").await;
        let b = start_replica(&url, data_dir.path(), "b").await;
        let client = reqwest::Client::new();

        // Signed in on A, the session continues on B.
        let login = json!({ "email": ADMIN, "password": PASSWORD });
        let (status, signed_in) = send(&client, &a, Method::POST, "/api/v1/auth/login", None, Some(login), None).await;
        assert_eq!(status, StatusCode::OK, "{signed_in}");
        let token = signed_in["access_token"].as_str().unwrap().to_owned();
        let (status, me) = send(&client, &b, Method::GET, "/api/v1/me", Some(&token), None, None).await;
        assert_eq!(status, StatusCode::OK, "{me}");
        assert_eq!(me["user"]["email"], ADMIN);

        // Created on A with an Idempotency-Key, replayed on B: one customer.
        let customer = json!({ "name": "Northern Dental Ltd", "total_licenses": 12, "email": "it@northern-dental.example" });
        let (status, created) = send(&client, &a, Method::POST, "/api/v1/customers", Some(&token), Some(customer.clone()), Some("order-7")).await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        let (status, replayed) = send(&client, &b, Method::POST, "/api/v1/customers", Some(&token), Some(customer), Some("order-7")).await;
        assert_eq!(status, StatusCode::CREATED, "{replayed}");
        assert_eq!(replayed["id"], created["id"]);
        let (_, listed) = send(&client, &b, Method::GET, "/api/v1/customers?q=northern", Some(&token), None, None).await;
        assert_eq!(listed["total"], 1, "{listed}");

        // A wizard step saved on A is read on B.
        let step = json!({ "status": "in_progress", "step": 2, "history": [1] });
        let (status, saved) = send(&client, &a, Method::PUT, "/api/v1/onboarding-wizard", Some(&token), Some(step.clone()), None).await;
        assert_eq!(status, StatusCode::OK, "{saved}");
        let (_, read) = send(&client, &b, Method::GET, "/api/v1/onboarding-wizard", Some(&token), None, None).await;
        assert_eq!(read, step);

        // Failed sign-ins count across both replicas: five, alternating, lock the account.
        let wrong = json!({ "email": "ghost@replica-reseller.test", "password": "a-wrong-guess" });
        for attempt in 0..5 {
            let replica = if attempt % 2 == 0 { &a } else { &b };
            let (status, _) = send(&client, replica, Method::POST, "/api/v1/auth/login", None, Some(wrong.clone()), None).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "attempt {attempt}");
        }
        let (status, locked) = send(&client, &b, Method::POST, "/api/v1/auth/login", None, Some(wrong), None).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{locked}");

        // Signing out on B ends the session on A.
        let (status, _) = send(&client, &b, Method::POST, "/api/v1/auth/logout", Some(&token), None, None).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let (status, _) = send(&client, &a, Method::GET, "/api/v1/me", Some(&token), None, None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    })
    .await;
}
