//! `msp-fake-graph`: the fake Graph as a standalone HTTPS server for manual tests and demos.

use std::{path::PathBuf, time::Duration};

use clap::Parser;
use msp_fake_graph::{FakeGraph, Fixture};

#[derive(Parser)]
#[command(about = "A fake Microsoft Graph and Entra token endpoint over HTTPS on loopback")]
struct Arguments {
    /// Fixture JSON (tenant_id, client_id, client_secret, page_size, sub_tenants, and optionally
    /// sign_in: client_id, client_secret, redirect_uris, accounts, domains, devices); the demo
    /// directory of SPEC §11 when absent.
    #[arg(long)]
    fixture: Option<PathBuf>,
    #[arg(long, default_value = "127.0.0.1:0")]
    bind: String,
    /// Added to every answer.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Where to write the self-signed certificate clients must trust.
    #[arg(long)]
    certificate_out: Option<PathBuf>,
}

#[actix_web::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let arguments = Arguments::parse();
    let fixture = match &arguments.fixture {
        Some(path) => Fixture::from_json(&std::fs::read_to_string(path)?)?,
        None => Fixture::demo()?,
    };
    let fake = FakeGraph::start(fixture, &arguments.bind)?;
    fake.faults()
        .set_latency(Duration::from_millis(arguments.latency_ms));
    match &arguments.certificate_out {
        Some(path) => std::fs::write(path, fake.certificate_pem())?,
        None => print!("{}", fake.certificate_pem()),
    }
    println!("fake Graph listening on {}", fake.graph_url());
    if !fake.sign_in_client_id().is_empty() {
        println!(
            "Sign in with Microsoft: authority {}, client ID {}",
            fake.authority_url(),
            fake.sign_in_client_id()
        );
    }
    tokio::signal::ctrl_c().await?;
    fake.stop().await;
    Ok(())
}
