//! SPEC §6: the client secret is used for one Graph call and dropped. The real binary runs
//! with trace-level logs against the fake Graph; after listings that succeed and fail in every
//! way, the secret is in no response, no log line and no file of the data directory.
//! SPEC §14: a Duo Client Secret is kept, but only encrypted: after adding, testing, changing
//! and using a Duo integration it is in no response, no log line and no file in clear.

use std::{
    path::Path,
    process::{Child, Stdio},
    time::Duration,
};

use msp_fake_duo::{DEMO_CLIENT_SECRET, DuoFixture, FakeDuo};
use msp_fake_graph::{FakeGraph, Fixture};
use serde_json::json;

use crate::helpers::PASSWORD;

const TENANT: &str = "5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
const CLIENT: &str = "0b6e3c1a-2f4d-4e8a-9c7b-1d2e3f4a5b6c";
/// The right secret and a wrong one, each spelled so that no other text can contain them.
const RIGHT_SECRET: &str = "Qv7~rightSecretNeverKept.e91d";
const WRONG_SECRET: &str = "Jx2~wrongSecretNeverKept.4ab0";
const ADMIN: &str = "admin@secret-reseller.test";

/// The server binary, killed when the test ends however it ends.
pub(crate) struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _killed = self.0.kill();
        let _reaped = self.0.wait();
    }
}

pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub(crate) fn bootstrap(data_dir: &Path) {
    let output = crate::helpers::server_binary()
        .args([
            "bootstrap",
            "--tenant-type",
            "reseller",
            "--tenant-name",
            "Secret Reseller",
        ])
        .args(["--azure-tenant-id", TENANT, "--admin-email", ADMIN])
        .arg("--data-dir")
        .arg(data_dir)
        .env("APP_ADMIN_PASSWORD", PASSWORD)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The fake Graph's flags, its certificate written into `data_dir`.
pub(crate) fn graph_flags(data_dir: &Path, fake: &FakeGraph) -> Vec<String> {
    let certificate = data_dir.join("fake-graph.pem");
    std::fs::write(&certificate, fake.certificate_pem()).unwrap();
    [
        "--graph-authority-url",
        fake.authority_url(),
        "--graph-url",
        fake.graph_url(),
        "--graph-timeout-secs",
        "1",
        "--graph-root-certificate",
        &certificate.display().to_string(),
    ]
    .map(str::to_owned)
    .to_vec()
}

/// The fake Duo's flags, its certificate written into `data_dir`.
fn duo_flags(data_dir: &Path, fake: &FakeDuo) -> Vec<String> {
    let certificate = data_dir.join("fake-duo.pem");
    std::fs::write(&certificate, fake.certificate_pem()).unwrap();
    [
        "--duo-extra-host",
        fake.api_hostname(),
        "--duo-timeout-secs",
        "1",
        "--duo-root-certificate",
        &certificate.display().to_string(),
    ]
    .map(str::to_owned)
    .to_vec()
}

/// The real binary with trace-level logs into `log`, reaching the outside through `flags`.
pub(crate) fn serve(data_dir: &Path, port: u16, flags: &[String], log: &Path) -> Server {
    let web_dir = data_dir.join("web");
    std::fs::create_dir_all(&web_dir).unwrap();
    let log_file = std::fs::File::create(log).unwrap();
    let child = crate::helpers::server_binary()
        .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .args(flags)
        .arg("--data-dir")
        .arg(data_dir)
        .arg("--web-dir")
        .arg(&web_dir)
        .env("APP_LOG", "trace")
        .stdin(Stdio::null())
        .stdout(log_file.try_clone().unwrap())
        .stderr(log_file)
        .spawn()
        .unwrap();
    Server(child)
}

pub(crate) async fn wait_until_healthy(client: &reqwest::Client, base: &str) {
    for _ in 0..300 {
        if let Ok(response) = client.get(format!("{base}/healthz")).send().await
            && response.status().is_success()
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the server did not become healthy");
}

/// The bootstrapped admin's access token.
pub(crate) async fn admin_token(client: &reqwest::Client, base: &str) -> String {
    let login = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({ "email": ADMIN, "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    login.json::<serde_json::Value>().await.unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Every file under `dir`, the database and its journal files included.
pub(crate) fn files_under(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(files_under(&path));
        } else {
            files.push(path);
        }
    }
    files
}

pub(crate) fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle.as_bytes())
}

#[tokio::test]
async fn the_client_secret_is_in_no_response_log_or_stored_file_after_every_kind_of_listing() {
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    let mut fixture = Fixture::demo().unwrap();
    fixture.client_secret = RIGHT_SECRET.to_owned();
    fixture.page_size = 5;
    let fake = FakeGraph::start(fixture, "127.0.0.1:0").unwrap();
    let data_dir = tempfile::tempdir().unwrap();
    let log_dir = tempfile::tempdir().unwrap();
    let log = log_dir.path().join("server.log");
    bootstrap(data_dir.path());
    let port = free_port();
    let flags = graph_flags(data_dir.path(), &fake);
    let server = serve(data_dir.path(), port, &flags, &log);
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    wait_until_healthy(&client, &base).await;
    let token = admin_token(&client, &base).await;

    let mut answers: Vec<(u16, String)> = Vec::new();
    let mut list = async |client_id: &str, secret: &str| {
        let response = client
            .post(format!("{base}/api/v1/msp-onboarding/azure-customers"))
            .bearer_auth(&token)
            .json(&json!({ "client_id": client_id, "client_secret": secret }))
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let headers = format!("{:?}", response.headers());
        let body = response.text().await.unwrap();
        answers.push((status, format!("{headers}\n{body}")));
        status
    };

    assert_eq!(list(CLIENT, RIGHT_SECRET).await, 200);
    assert_eq!(list(CLIENT, WRONG_SECRET).await, 422);
    assert_eq!(
        list("11111111-2222-4333-8444-555555555555", RIGHT_SECRET).await,
        422
    );
    fake.faults().expire_secret(true);
    assert_eq!(list(CLIENT, RIGHT_SECRET).await, 422);
    fake.faults().expire_secret(false);
    fake.faults().deny_permission(true);
    assert_eq!(list(CLIENT, RIGHT_SECRET).await, 422);
    fake.faults().deny_permission(false);
    fake.faults().throttle_next(1_000, Some(120));
    assert_eq!(list(CLIENT, RIGHT_SECRET).await, 503);
    fake.faults().throttle_next(0, None);
    fake.faults().drop_next(1_000);
    // Every answer cut off, through all retries: Graph is unreachable.
    assert_eq!(list(CLIENT, RIGHT_SECRET).await, 502);
    fake.faults().drop_next(0);
    fake.faults().set_latency(Duration::from_secs(3));
    assert_eq!(list(CLIENT, RIGHT_SECRET).await, 504);
    fake.faults().set_latency(Duration::ZERO);
    fake.stop().await;
    assert_eq!(list(CLIENT, RIGHT_SECRET).await, 502);
    drop(server);

    for (status, answer) in &answers {
        for secret in [RIGHT_SECRET, WRONG_SECRET] {
            assert!(
                !answer.contains(secret),
                "a {status} answer holds the secret:\n{answer}"
            );
        }
    }
    let log_bytes = std::fs::read(&log).unwrap();
    assert!(
        contains(&log_bytes, "msp-onboarding/azure-customers") && contains(&log_bytes, "TRACE"),
        "the server's trace-level log was not captured"
    );
    for secret in [RIGHT_SECRET, WRONG_SECRET] {
        assert!(
            !contains(&log_bytes, secret),
            "the server's log holds the secret"
        );
        for file in files_under(data_dir.path()) {
            let bytes = std::fs::read(&file).unwrap();
            assert!(
                !contains(&bytes, secret),
                "{} holds the secret",
                file.display()
            );
        }
    }
    assert!(
        files_under(data_dir.path())
            .iter()
            .any(|file| file.to_string_lossy().ends_with("msp-onboarding.db")),
        "the SQLite database was searched"
    );
}

#[tokio::test]
async fn a_duo_client_secret_is_in_no_response_log_or_file_in_clear() {
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    let fake = FakeDuo::start(DuoFixture::demo(), "127.0.0.1:0").unwrap();
    let data_dir = tempfile::tempdir().unwrap();
    let log_dir = tempfile::tempdir().unwrap();
    let log = log_dir.path().join("server.log");
    bootstrap(data_dir.path());
    let port = free_port();
    let flags = duo_flags(data_dir.path(), &fake);
    let server = serve(data_dir.path(), port, &flags, &log);
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    wait_until_healthy(&client, &base).await;
    let token = admin_token(&client, &base).await;
    let wrong_secret = "WrongDuoSecretNeverKeptAnywhere000000042";
    let integrations = format!("{base}/api/v1/settings/security-integrations");
    let mut answers = Vec::new();
    let mut send = async |request: reqwest::RequestBuilder| {
        let response = request.bearer_auth(&token).send().await.unwrap();
        let status = response.status().as_u16();
        let headers = format!("{:?}", response.headers());
        let body = format!("{headers}\n{}", response.text().await.unwrap());
        answers.push(body.clone());
        (status, body)
    };
    let form = |secret: &str| {
        json!({
            "kind": "duo_web_sdk",
            "name": "Duo",
            "client_id": msp_fake_duo::DEMO_CLIENT_ID,
            "client_secret": secret,
            "api_hostname": fake.api_hostname(),
        })
    };
    let (status, _) = send(client.post(&integrations).json(&form(wrong_secret))).await;
    assert_eq!(status, 422);
    let (status, created) = send(client.post(&integrations).json(&form(DEMO_CLIENT_SECRET))).await;
    assert_eq!(status, 201, "{created}");
    let id = created
        .split("\"id\":\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    let one = format!("{integrations}/{id}");
    assert_eq!(send(client.get(&one)).await.0, 200);
    assert_eq!(send(client.post(format!("{one}/check"))).await.0, 200);
    let wrong = json!({ "client_secret": wrong_secret });
    assert_eq!(send(client.patch(&one).json(&wrong)).await.0, 422);
    assert_eq!(
        send(client.post(format!("{base}/api/v1/me/duo"))).await.0,
        200
    );
    fake.switches().set_unreachable(true);
    assert_eq!(send(client.post(format!("{one}/check"))).await.0, 502);
    drop(server);

    let log_bytes = std::fs::read(&log).unwrap();
    assert!(
        contains(&log_bytes, "security-integrations") && contains(&log_bytes, "TRACE"),
        "the server's trace-level log was not captured"
    );
    for secret in [DEMO_CLIENT_SECRET, wrong_secret] {
        for answer in &answers {
            assert!(
                !answer.contains(secret),
                "an answer holds the secret:\n{answer}"
            );
        }
        assert!(
            !contains(&log_bytes, secret),
            "the server's log holds the secret"
        );
        for file in files_under(data_dir.path()) {
            let bytes = std::fs::read(&file).unwrap();
            assert!(
                !contains(&bytes, secret),
                "{} holds the secret",
                file.display()
            );
        }
    }
}
