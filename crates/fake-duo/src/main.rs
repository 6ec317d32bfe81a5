//! `msp-fake-duo`: the fake Duo as a standalone HTTPS server, for the contract run (Duo's own
//! Python client against it), manual tests and demos.

use std::{path::PathBuf, time::Duration};

use clap::Parser;
use msp_fake_duo::{DuoFixture, FakeDuo};

#[derive(Parser)]
#[command(about = "A fake Duo Universal Prompt (Duo Web SDK v4) over HTTPS on loopback")]
struct Arguments {
    #[arg(long, default_value = "127.0.0.1:0")]
    bind: String,
    /// Added to every Duo answer (the `latency_ms` switch; `/_fake/switches` changes it).
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Where to write the self-signed certificate clients must trust; printed when absent.
    #[arg(long)]
    certificate_out: Option<PathBuf>,
}

#[actix_web::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let arguments = Arguments::parse();
    let fixture = DuoFixture::demo();
    let fake = FakeDuo::start(fixture.clone(), &arguments.bind)?;
    fake.switches()
        .set_latency(Duration::from_millis(arguments.latency_ms));
    match &arguments.certificate_out {
        Some(path) => std::fs::write(path, fake.certificate_pem())?,
        None => print!("{}", fake.certificate_pem()),
    }
    for integration in &fixture.integrations {
        println!("client ID: {}", integration.client_id);
        println!("client secret: {}", integration.client_secret);
    }
    println!("API hostname: {}", fake.api_hostname());
    println!("switches: {}/_fake/switches", fake.base_url());
    // Last, so a script that waits for this line finds everything above it written.
    println!("fake Duo listening on {}", fake.base_url());
    tokio::signal::ctrl_c().await?;
    fake.stop().await;
    Ok(())
}
