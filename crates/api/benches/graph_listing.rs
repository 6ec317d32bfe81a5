//! `cargo bench -p msp-api --bench graph_listing`: the Azure customers listing of 10 000
//! sub-tenants, served by the fake Graph in pages of 100 with 20 ms added to every answer.
//! Prints the listing time next to its floor (pages × latency) and the server's memory.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::time::{Duration, Instant};

use msp_fake_graph::{FakeGraph, Fixture};
use serde_json::json;

use self::support::ServerProcess;

const TENANT: &str = "5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
const CLIENT: &str = "0b6e3c1a-2f4d-4e8a-9c7b-1d2e3f4a5b6c";
const SECRET: &str = "bench-secret-value";
const ADMIN: &str = "admin@graph-bench.test";
const PASSWORD: &str = "graph-bench-password-1";
const SUB_TENANTS: usize = 10_000;
const PAGE_SIZE: usize = 100;
const LATENCY: Duration = Duration::from_millis(20);
const RUNS: usize = 5;

#[tokio::main]
async fn main() {
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    let fixture = Fixture::generated(TENANT, CLIENT, SECRET, SUB_TENANTS, PAGE_SIZE);
    let fake = FakeGraph::start(fixture, "127.0.0.1:0").unwrap();
    fake.faults().set_latency(LATENCY);
    let dir = tempfile::tempdir().unwrap();
    let certificate = dir.path().join("fake-graph.pem");
    std::fs::write(&certificate, fake.certificate_pem()).unwrap();
    let bootstrap = ServerProcess::command()
        .args([
            "bootstrap",
            "--tenant-type",
            "reseller",
            "--tenant-name",
            "Graph Bench",
        ])
        .args(["--azure-tenant-id", TENANT, "--admin-email", ADMIN])
        .arg("--data-dir")
        .arg(dir.path())
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
            .args([
                "--graph-authority-url",
                fake.authority_url(),
                "--graph-url",
                fake.graph_url(),
            ])
            .arg("--graph-root-certificate")
            .arg(&certificate)
            .arg("--data-dir")
            .arg(dir.path())
            .env("APP_LOG", "warn");
    })
    .await;
    let base = server.base.clone();
    let client = reqwest::Client::new();
    let token = server.sign_in(&client, ADMIN, PASSWORD).await;
    let (before_peak, before_rss) = (server.memory_mib("VmHWM"), server.memory_mib("VmRSS"));

    let pages = SUB_TENANTS.div_ceil(PAGE_SIZE);
    let floor = LATENCY * u32::try_from(pages).unwrap();
    println!(
        "Azure customers listing: {SUB_TENANTS} sub-tenants, pages of {PAGE_SIZE}, {} ms per answer",
        LATENCY.as_millis()
    );
    println!(
        "  floor (pages x latency): {pages} x {} ms = {:.2} s",
        LATENCY.as_millis(),
        floor.as_secs_f64()
    );
    let mut times = Vec::new();
    for run in 1..=RUNS {
        let started = Instant::now();
        let response = client
            .post(format!("{base}/api/v1/msp-onboarding/azure-customers"))
            .bearer_auth(&token)
            .json(&json!({ "client_id": CLIENT, "client_secret": SECRET }))
            .send()
            .await
            .unwrap();
        assert!(
            response.status().is_success(),
            "listing failed: {}",
            response.status()
        );
        let page: serde_json::Value = response.json().await.unwrap();
        let elapsed = started.elapsed();
        assert_eq!(page["total"], json!(SUB_TENANTS));
        println!(
            "  run {run}: {:.2} s = {:.2}x the floor",
            elapsed.as_secs_f64(),
            elapsed.as_secs_f64() / floor.as_secs_f64()
        );
        times.push(elapsed);
    }
    times.sort();
    let median = times[times.len() / 2];
    let (after_peak, after_rss) = (server.memory_mib("VmHWM"), server.memory_mib("VmRSS"));
    println!(
        "  median {:.2} s = {:.2}x the floor (target <= 1.3x)",
        median.as_secs_f64(),
        median.as_secs_f64() / floor.as_secs_f64()
    );
    println!(
        "  server memory: peak {after_peak:.1} MiB (before the listings {before_peak:.1} MiB, growth {:.1} MiB; target < 50 MiB); resident now {after_rss:.1} MiB (before {before_rss:.1} MiB)",
        after_peak - before_peak
    );
}
