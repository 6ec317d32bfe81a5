//! SPEC §16: a just-in-time account's password is answered once and a device's LAPS password
//! only to the technician who reveals it; neither is ever stored or logged. The real binary runs
//! with trace-level logs against the fake Entra: after a customer's directory is authorised, an
//! account is requested and ended and a LAPS password revealed, neither password is in the log,
//! in any file of the data directory (the database included) or in the audit log.

use std::time::Duration;

use msp_fake_graph::{FakeGraph, Fixture};
use serde_json::{Value, json};

use crate::{
    customer_entra::{USER_ADMINISTRATOR, WOODGROVE_ADMIN},
    secret_never_kept::{
        admin_token, bootstrap, contains, files_under, free_port, graph_flags, serve,
        wait_until_healthy,
    },
};

const LAPTOP_PASSWORD: &str = "Tq7#mR2v!Lx9Kd4p";

#[tokio::test]
async fn a_jit_account_password_and_a_laps_password_are_in_no_log_or_stored_file() {
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    let fake = FakeGraph::start(Fixture::demo().unwrap(), "127.0.0.1:0").unwrap();
    let data_dir = tempfile::tempdir().unwrap();
    let log_dir = tempfile::tempdir().unwrap();
    let log = log_dir.path().join("server.log");
    bootstrap(data_dir.path());
    let port = free_port();
    let mut flags = graph_flags(data_dir.path(), &fake);
    flags.extend(
        [
            "--microsoft-client-id",
            fake.sign_in_client_id(),
            "--microsoft-client-secret",
            fake.sign_in_client_secret(),
        ]
        .map(str::to_owned),
    );
    let server = serve(data_dir.path(), port, &flags, &log);
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    wait_until_healthy(&client, &base).await;
    let token = admin_token(&client, &base).await;
    let send = async |request: reqwest::RequestBuilder| -> (u16, Value) {
        let response = request.bearer_auth(&token).send().await.unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    };

    let (status, created) = send(
        client
            .post(format!("{base}/api/v1/customers"))
            .json(&crate::business::customer("Woodgrove Bank")),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let customer = format!(
        "{base}/api/v1/customers/{}",
        created["id"].as_str().unwrap()
    );
    let (status, begun) = send(
        client
            .post(format!("{customer}/entra-connection/authorize"))
            .json(&json!({})),
    )
    .await;
    assert_eq!(status, 200, "{begun}");
    let browser = crate::helpers::browser_trusting(fake.certificate_pem());
    let consent = format!(
        "{}&login_hint={WOODGROVE_ADMIN}",
        begun["redirect_url"].as_str().unwrap()
    );
    let answered = browser.get(&consent).send().await.unwrap();
    let callback = crate::microsoft_sign_in::location(&answered);
    let back = browser.get(&callback).send().await.unwrap();
    assert_eq!(back.status().as_u16(), 302);
    let (status, saved) = send(
        client
            .put(format!("{customer}/entra-connection"))
            .json(&json!({
                "app_name": "Entra ID - Woodgrove",
                "account_domain": "woodgrovebank.test",
                "role_mapping": { "mode": "all_admins", "all_admins": [USER_ADMINISTRATOR] },
            })),
    )
    .await;
    assert_eq!(status, 200, "{saved}");

    let (status, granted) = send(
        client
            .post(format!("{customer}/jit-accounts"))
            .json(&json!({})),
    )
    .await;
    assert_eq!(status, 201, "{granted}");
    let password = granted["password"].as_str().unwrap().to_owned();
    let (status, devices) = send(client.get(format!("{customer}/laps-devices"))).await;
    assert_eq!(status, 200, "{devices}");
    let laptop = devices["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|device| device["device_name"] == "WGB-LT-0142")
        .unwrap()
        .clone();
    let (status, revealed) = send(client.post(format!(
        "{customer}/laps-devices/{}/reveal",
        laptop["device_id"].as_str().unwrap()
    )))
    .await;
    assert_eq!(status, 200, "{revealed}");
    assert_eq!(revealed["password"], LAPTOP_PASSWORD);
    let account = granted["account"]["id"].as_str().unwrap();
    let (status, _) = send(client.delete(format!("{customer}/jit-accounts/{account}"))).await;
    assert_eq!(status, 200);
    for _ in 0..200 {
        let (_, access) = send(client.get(format!("{customer}/jit-accounts"))).await;
        if access["accounts"].as_array().is_some_and(Vec::is_empty) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (_, audit) = send(client.get(format!("{base}/api/v1/audit-log?per_page=100"))).await;
    let audit = audit.to_string();
    assert!(audit.contains("laps.reveal") && audit.contains("jit_account.expire"));
    drop(server);

    let log_bytes = std::fs::read(&log).unwrap();
    assert!(
        contains(&log_bytes, "jit-accounts") && contains(&log_bytes, "TRACE"),
        "the server's trace-level log was not captured"
    );
    for secret in [password.as_str(), LAPTOP_PASSWORD] {
        assert!(!audit.contains(secret), "the audit log holds a password");
        assert!(
            !contains(&log_bytes, secret),
            "the server's log holds a password"
        );
        for file in files_under(data_dir.path()) {
            let bytes = std::fs::read(&file).unwrap();
            assert!(
                !contains(&bytes, secret),
                "{} holds a password",
                file.display()
            );
        }
    }
}
