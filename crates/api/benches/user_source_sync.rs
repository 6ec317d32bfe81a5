//! `cargo bench -p msp-api --bench user_source_sync --features demo`: the offboarding sync of a
//! Microsoft Entra directory of 50 000 users (SPEC §16), on SQLite and PostgreSQL.
//!
//! The fake Entra serves the directory over HTTPS in pages of 999 with 20 ms added to every
//! answer; the people look like a real directory (`support/people.rs`: skewed names, UPNs with a
//! digit for a repeated name, random object IDs). The real server binary is started with the
//! fake as its Microsoft Entra; the bench authorises the directory by admin consent, makes
//! Entra the user source, invites 200 of the directory's people as technicians, and times:
//! the first sync (a full round of every page), an increment with no change, and an increment
//! of 100 changes (technicians disabled and removed, and other users disabled). It prints each
//! time next to its floor (pages × latency), checks every expected technician was deactivated
//! and no other, and prints the server's memory growth during the full round (target < 50 MiB).
//!
//! `BENCH_DIRECTORY_USERS` (default 50 000) changes the directory's size;
//! `BENCH_SKIP_SQLITE=1` or `BENCH_SKIP_POSTGRES=1` skips a database.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::time::{Duration, Instant};

use msp_fake_graph::{DirectoryAccount, DirectoryDomain, FakeGraph, Fixture, SignInScenario};
use serde_json::{Value, json};

use self::support::{
    ServerProcess, on_both_databases,
    people::{self, Person},
};

const TENANT: &str = "7b3e9c1d-4f2a-4b8e-9d6c-2a1f0e3b5c7d";
const SIGNING_KEY: &str = "user-source-benchmark-only-signing-secret-0123";
const ADMIN: &str = "admin@sync-bench.test";
const PASSWORD: &str = "sync-bench-password-1";
const SETTINGS: &str = "/api/v1/settings/user-source";
const PAGE_SIZE: usize = 999;
const LATENCY: Duration = Duration::from_millis(20);
const TECHNICIANS: usize = 200;
const PEOPLE_SEED: u64 = 2027;

fn directory_size() -> usize {
    std::env::var("BENCH_DIRECTORY_USERS")
        .ok()
        .and_then(|value| value.parse().ok())
        .filter(|value| *value >= 1_000)
        .unwrap_or(50_000)
}

fn fixture(people: &[Person]) -> Fixture {
    let demo = Fixture::demo().unwrap();
    let mut fixture = Fixture::generated(TENANT, "unused", "unused", 0, PAGE_SIZE);
    fixture.sign_in.client_id = demo.sign_in.client_id;
    fixture.sign_in.client_secret = demo.sign_in.client_secret;
    fixture.sign_in.accounts = people
        .iter()
        .map(|person| DirectoryAccount {
            user_principal_name: person.user_principal_name.clone(),
            display_name: person.display_name.clone(),
            object_id: person.object_id.clone(),
            tenant_id: TENANT.to_owned(),
            scenario: SignInScenario::Normal,
            account_enabled: true,
        })
        .collect();
    fixture.sign_in.domains = vec![DirectoryDomain {
        tenant_id: TENANT.to_owned(),
        id: people::DOMAIN.to_owned(),
        is_verified: true,
        authentication_type: "Managed".to_owned(),
        is_default: true,
    }];
    fixture
}

/// Sync now (unless `ask` is false: the switch already made it due), then waits for the
/// settings to show a sync newer than `before`; answers them and the time taken.
async fn sync(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    before: &Value,
    ask: bool,
) -> (Value, Duration) {
    let started = Instant::now();
    if ask {
        let asked = client
            .post(format!("{base}{SETTINGS}/sync"))
            .bearer_auth(token)
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(asked.status(), reqwest::StatusCode::ACCEPTED);
    }
    let deadline = started + Duration::from_secs(600);
    loop {
        let settings: Value = client
            .get(format!("{base}{SETTINGS}"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if settings["last_sync"]["at"] != before["last_sync"]["at"] {
            assert_eq!(settings["last_sync"]["error"], Value::Null, "{settings}");
            return (settings, started.elapsed());
        }
        assert!(Instant::now() < deadline, "the sync never ended");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

fn report(what: &str, elapsed: Duration, pages: usize) {
    let floor = LATENCY * u32::try_from(pages).unwrap();
    println!(
        "  {what}: {:.2} s; floor {pages} page(s) x {} ms = {:.2} s ({:.2}x)",
        elapsed.as_secs_f64(),
        LATENCY.as_millis(),
        floor.as_secs_f64(),
        elapsed.as_secs_f64() / floor.as_secs_f64()
    );
}

async fn run(label: &str, database_url: &str) {
    let people = people::technicians(PEOPLE_SEED, directory_size());
    let fake = FakeGraph::start(fixture(&people), "127.0.0.1:0").unwrap();
    fake.faults().set_latency(LATENCY);
    let dir = tempfile::tempdir().unwrap();
    let certificate = dir.path().join("fake-entra.pem");
    std::fs::write(&certificate, fake.certificate_pem()).unwrap();
    let bootstrap = ServerProcess::command()
        .args(["bootstrap", "--tenant-type", "reseller"])
        .args(["--tenant-name", "Sync Bench", "--admin-email", ADMIN])
        .args(["--database-url", database_url])
        .env("APP_ADMIN_PASSWORD", PASSWORD)
        .output()
        .unwrap();
    assert!(
        bootstrap.status.success(),
        "{}",
        String::from_utf8_lossy(&bootstrap.stderr)
    );
    let server = ServerProcess::serve(|command| {
        command
            .args(["--database-url", database_url])
            .args(["--graph-authority-url", fake.authority_url()])
            .args(["--graph-url", fake.graph_url()])
            .arg("--graph-root-certificate")
            .arg(&certificate)
            .env("APP_JWT_SECRET", SIGNING_KEY)
            .env("APP_MICROSOFT_CLIENT_ID", fake.sign_in_client_id())
            .env("APP_MICROSOFT_CLIENT_SECRET", fake.sign_in_client_secret())
            .env("APP_LOG", "warn");
    })
    .await;
    let base = server.base.clone();
    let client = reqwest::Client::new();
    let browser = reqwest::Client::builder()
        .add_root_certificate(
            reqwest::Certificate::from_pem(fake.certificate_pem().as_bytes()).unwrap(),
        )
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let token = server.sign_in(&client, ADMIN, PASSWORD).await;

    // Authorize: the admin consent round trip, as a browser makes it.
    let begun: Value = client
        .post(format!("{base}{SETTINGS}/authorize"))
        .bearer_auth(&token)
        .json(&json!({}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let consent_url = format!(
        "{}&login_hint={}",
        begun["redirect_url"].as_str().unwrap(),
        people[0].user_principal_name
    );
    let at_entra = browser.get(consent_url).send().await.unwrap();
    let callback = at_entra.headers()["location"].to_str().unwrap().to_owned();
    let landed = browser.get(callback).send().await.unwrap();
    let landed = landed.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(landed, "/user-source?consent=granted");

    let before = server.memory_mib("VmRSS");
    let switched = client
        .put(format!("{base}{SETTINGS}"))
        .bearer_auth(&token)
        .json(&json!({ "source": "azuread", "onboarding_domain": people::DOMAIN }))
        .send()
        .await
        .unwrap();
    assert_eq!(switched.status(), reqwest::StatusCode::OK);
    let switched: Value = switched.json().await.unwrap();
    let pages = people.len().div_ceil(PAGE_SIZE);
    println!(
        "\n{label}: a directory of {} users, pages of {PAGE_SIZE}, {} ms per answer",
        people.len(),
        LATENCY.as_millis()
    );
    let (full, full_time) = sync(&client, &base, &token, &switched, false).await;
    report("first sync (full round)", full_time, pages);
    let peak = server.memory_mib("VmHWM");
    println!(
        "  server memory: resident before {before:.1} MiB, peak after the full round {peak:.1} MiB (growth {:.1} MiB; target < 50 MiB)",
        peak - before
    );

    // Technicians, a spread of the directory, each checked against it on invitation.
    let step = people.len() / TECHNICIANS;
    let technicians: Vec<&Person> = people.iter().step_by(step).take(TECHNICIANS).collect();
    let started = Instant::now();
    for person in &technicians {
        let invited = client
            .post(format!("{base}/api/v1/users"))
            .bearer_auth(&token)
            .json(&json!({ "email": person.user_principal_name, "display_name": person.display_name }))
            .send()
            .await
            .unwrap();
        assert_eq!(invited.status(), reqwest::StatusCode::CREATED);
    }
    println!(
        "  {TECHNICIANS} invitations, each checked in the directory: {:.2} s",
        started.elapsed().as_secs_f64()
    );

    let (quiet, quiet_time) = sync(&client, &base, &token, &full, true).await;
    assert_eq!(quiet["last_sync"]["deactivated"], 0, "{quiet}");
    report("increment with no change", quiet_time, 1);

    // 100 changes: 40 technicians disabled, 20 removed, 40 other users disabled.
    let entra = fake.entra();
    for person in &technicians[..40] {
        assert!(entra.set_account_enabled(&person.object_id, false));
    }
    for person in &technicians[40..60] {
        assert!(entra.remove_user(&person.object_id));
    }
    for person in people
        .iter()
        .skip(1)
        .filter(|p| !technicians.iter().any(|t| t.object_id == p.object_id))
        .take(40)
    {
        assert!(entra.set_account_enabled(&person.object_id, false));
    }
    let (changed, changed_time) = sync(&client, &base, &token, &quiet, true).await;
    assert_eq!(changed["last_sync"]["deactivated"], 60, "{changed}");
    report(
        "increment of 100 changes (60 technicians offboarded)",
        changed_time,
        1,
    );
    server.report_peak_memory();
}

#[tokio::main]
async fn main() {
    on_both_databases("msp_user_source_sync", run).await;
}
