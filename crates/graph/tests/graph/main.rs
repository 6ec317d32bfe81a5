//! The real client (azure_identity + reqwest) against the fake Graph over HTTPS on loopback: the
//! reseller's listing, and a customer's consented directory for just-in-time admin accounts,
//! their roles and LAPS. One test binary, one module per area.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod customer_tenant;
mod jit_accounts;
mod jit_roles;
mod laps;
mod listing;

use std::time::Duration;

use msp_fake_graph::{FakeGraph, Fixture};
use msp_graph::{GraphSettings, Url};

fn start_fake() -> FakeGraph {
    start_fake_with(Fixture::demo().unwrap())
}

fn start_fake_with(fixture: Fixture) -> FakeGraph {
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    FakeGraph::start(fixture, "127.0.0.1:0").unwrap()
}

fn settings_for(fake: &FakeGraph) -> GraphSettings {
    let mut settings = GraphSettings::public_cloud().unwrap();
    settings.authority_url = Url::parse(fake.authority_url()).unwrap();
    settings.graph_url = Url::parse(fake.graph_url()).unwrap();
    settings.extra_root_certificate_pem = Some(fake.certificate_pem().to_owned());
    settings.request_timeout = Duration::from_secs(5);
    settings.initial_backoff = Duration::from_millis(50);
    settings.page_size = 4;
    settings.replication_wait = Duration::from_secs(2);
    settings
}
