//! The reseller's CSP sub-tenants listed through the real client: paging, every wrong
//! credential, throttling, cut connections, timeouts and refused transports.

use std::time::{Duration, Instant};

use domain::{AzureClientId, AzureTenantId, ClientSecret};
use msp_fake_graph::{FakeGraph, Fixture};
use msp_graph::{AppCredentials, GraphClient, GraphError, GraphSettings, SubTenantSource, Url};

use super::{settings_for, start_fake};

const TENANT: &str = "5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
const CLIENT: &str = "0b6e3c1a-2f4d-4e8a-9c7b-1d2e3f4a5b6c";
const SECRET: &str = "demo-secret";

fn credentials(tenant: &str, client: &str, secret: &str) -> AppCredentials {
    AppCredentials {
        tenant_id: AzureTenantId::parse(tenant).unwrap(),
        client_id: AzureClientId::parse(client).unwrap(),
        client_secret: ClientSecret::parse(secret).unwrap(),
    }
}

fn demo_credentials() -> AppCredentials {
    credentials(TENANT, CLIENT, SECRET)
}

async fn list_with(
    fake: &FakeGraph,
    settings: GraphSettings,
    credentials: &AppCredentials,
) -> Result<Vec<msp_graph::SubTenant>, GraphError> {
    let _ = fake;
    GraphClient::new(settings)
        .unwrap()
        .list_sub_tenants(credentials)
        .await
}

#[tokio::test]
async fn every_sub_tenant_is_listed_across_all_pages() {
    let fake = start_fake();
    let listed = list_with(&fake, settings_for(&fake), &demo_credentials())
        .await
        .unwrap();
    let fixture = Fixture::demo().unwrap();
    let (contracts, gdap) = (&fixture.sub_tenants, &fixture.gdap_customers);
    assert_eq!(listed.len(), contracts.len() + 2);
    for (got, want) in listed.iter().zip(contracts) {
        assert_eq!(got.name, want.display_name);
        assert_eq!(got.tenant_id, want.customer_id);
        let in_gdap = gdap.iter().any(|g| g.customer_id == want.customer_id);
        let expected = if in_gdap {
            SubTenantSource::Both
        } else {
            SubTenantSource::Contract
        };
        assert_eq!(got.source, expected, "{}", got.name);
        assert!(got.default_domain.is_some());
    }
    // The customers of GDAP alone come last, once each, without a default domain.
    let only_gdap: Vec<(&str, SubTenantSource)> = listed[contracts.len()..]
        .iter()
        .map(|sub_tenant| (sub_tenant.name.as_str(), sub_tenant.source))
        .collect();
    assert_eq!(
        only_gdap,
        [
            ("Tailspin Toys", SubTenantSource::Gdap),
            ("Fabrikam Residences", SubTenantSource::Gdap)
        ]
    );
    // 28 contracts in pages of 4: seven pages; the 4 GDAP customers one page; one token.
    assert_eq!(fake.stats().contracts_requests(), 7);
    assert_eq!(fake.stats().gdap_requests(), 1);
    assert_eq!(fake.stats().token_requests(), 1);
}

#[tokio::test]
async fn empty_pages_in_the_middle_are_followed_to_the_end() {
    let fake = start_fake();
    fake.faults().insert_empty_pages(true);
    let listed = list_with(&fake, settings_for(&fake), &demo_credentials())
        .await
        .unwrap();
    assert_eq!(
        listed.len(),
        30,
        "28 contracts and 2 customers of GDAP alone"
    );
    assert_eq!(fake.stats().contracts_requests(), 13);
}

#[tokio::test]
async fn each_wrong_credential_gets_its_own_error() {
    let fake = start_fake();
    let other_guid = "11111111-2222-4333-8444-555555555555";
    let cases = [
        (
            credentials(other_guid, CLIENT, SECRET),
            GraphError::UnknownTenant,
        ),
        (
            credentials(TENANT, other_guid, SECRET),
            GraphError::UnknownClient,
        ),
        (
            credentials(TENANT, CLIENT, "not-the-secret"),
            GraphError::WrongSecret,
        ),
    ];
    for (credentials, expected) in cases {
        let outcome = list_with(&fake, settings_for(&fake), &credentials).await;
        assert_eq!(outcome, Err(expected));
    }
}

#[tokio::test]
async fn an_expired_secret_is_reported_as_expired() {
    let fake = start_fake();
    fake.faults().expire_secret(true);
    let outcome = list_with(&fake, settings_for(&fake), &demo_credentials()).await;
    assert_eq!(outcome, Err(GraphError::ExpiredSecret));
}

#[tokio::test]
async fn a_missing_directory_permission_is_reported_as_such() {
    let fake = start_fake();
    fake.faults().deny_permission(true);
    let outcome = list_with(&fake, settings_for(&fake), &demo_credentials()).await;
    assert_eq!(outcome, Err(GraphError::MissingPermission));
}

#[tokio::test]
async fn throttling_with_retry_after_is_waited_out() {
    let fake = start_fake();
    fake.faults().throttle_next(1, Some(1));
    let started = Instant::now();
    let listed = list_with(&fake, settings_for(&fake), &demo_credentials())
        .await
        .unwrap();
    assert_eq!(
        listed.len(),
        30,
        "28 contracts and 2 customers of GDAP alone"
    );
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After was not honoured"
    );
}

#[tokio::test]
async fn throttling_without_retry_after_backs_off_exponentially() {
    let fake = start_fake();
    fake.faults().throttle_next(2, None);
    let started = Instant::now();
    let listed = list_with(&fake, settings_for(&fake), &demo_credentials())
        .await
        .unwrap();
    assert_eq!(
        listed.len(),
        30,
        "28 contracts and 2 customers of GDAP alone"
    );
    // 50 ms, then 100 ms.
    assert!(started.elapsed() >= Duration::from_millis(150));
    assert_eq!(fake.stats().contracts_requests(), 7 + 2);
}

#[tokio::test]
async fn unavailability_is_retried_like_throttling() {
    let fake = start_fake();
    fake.faults().unavailable_next(2);
    let listed = list_with(&fake, settings_for(&fake), &demo_credentials())
        .await
        .unwrap();
    assert_eq!(
        listed.len(),
        30,
        "28 contracts and 2 customers of GDAP alone"
    );
}

#[tokio::test]
async fn throttling_that_outlasts_the_tries_is_reported_with_its_wait() {
    let fake = start_fake();
    fake.faults().throttle_next(100, None);
    let mut settings = settings_for(&fake);
    settings.max_attempts = 3;
    let outcome = list_with(&fake, settings, &demo_credentials()).await;
    assert!(
        matches!(outcome, Err(GraphError::Throttled { .. })),
        "{outcome:?}"
    );
    assert_eq!(fake.stats().contracts_requests(), 3);
}

#[tokio::test]
async fn a_retry_after_beyond_the_total_wait_is_not_waited_for() {
    let fake = start_fake();
    fake.faults().throttle_next(1, Some(120));
    let mut settings = settings_for(&fake);
    settings.max_total_wait = Duration::from_secs(2);
    let started = Instant::now();
    let outcome = list_with(&fake, settings, &demo_credentials()).await;
    assert_eq!(
        outcome,
        Err(GraphError::Throttled {
            retry_after: Duration::from_secs(120)
        })
    );
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn a_dropped_connection_is_retried() {
    let fake = start_fake();
    fake.faults().drop_next(1);
    let listed = list_with(&fake, settings_for(&fake), &demo_credentials())
        .await
        .unwrap();
    assert_eq!(
        listed.len(),
        30,
        "28 contracts and 2 customers of GDAP alone"
    );
}

#[tokio::test]
async fn a_slow_graph_times_out_within_the_request_timeout() {
    let fake = start_fake();
    fake.faults().set_latency(Duration::from_secs(3));
    let mut settings = settings_for(&fake);
    settings.request_timeout = Duration::from_millis(300);
    let started = Instant::now();
    let outcome = list_with(&fake, settings, &demo_credentials()).await;
    assert_eq!(outcome, Err(GraphError::TimedOut));
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn a_graph_nobody_listens_on_is_unreachable() {
    let fake = start_fake();
    let mut settings = settings_for(&fake);
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    settings.authority_url = Url::parse(&format!("https://127.0.0.1:{port}")).unwrap();
    let outcome = list_with(&fake, settings, &demo_credentials()).await;
    assert_eq!(outcome, Err(GraphError::Unreachable));
}

#[tokio::test]
async fn a_server_with_an_untrusted_certificate_is_not_talked_to() {
    let fake = start_fake();
    let mut settings = settings_for(&fake);
    settings.extra_root_certificate_pem = None;
    let outcome = list_with(&fake, settings, &demo_credentials()).await;
    assert_eq!(outcome, Err(GraphError::Unreachable));
    assert_eq!(fake.stats().token_requests(), 0);
}

#[tokio::test]
async fn a_plain_http_graph_is_refused_so_the_token_never_travels_in_clear() {
    let fake = start_fake();
    let mut settings = settings_for(&fake);
    settings.graph_url = Url::parse(&fake.graph_url().replace("https://", "http://")).unwrap();
    let outcome = list_with(&fake, settings, &demo_credentials()).await;
    assert!(outcome.is_err());
    assert_eq!(fake.stats().contracts_requests(), 0);
}

#[tokio::test]
async fn an_app_without_the_gdap_permission_lists_its_contracts_alone() {
    let fake = start_fake();
    fake.faults().deny_gdap(true);
    let listed = list_with(&fake, settings_for(&fake), &demo_credentials())
        .await
        .unwrap();
    assert_eq!(listed.len(), 28);
    assert!(
        listed
            .iter()
            .all(|sub_tenant| sub_tenant.source == SubTenantSource::Contract)
    );
    assert_eq!(fake.stats().gdap_requests(), 1);
}

#[tokio::test]
async fn gdap_customers_are_followed_across_their_pages() {
    let fake = start_fake();
    let settings = GraphSettings {
        page_size: 3,
        ..settings_for(&fake)
    };
    let listed = list_with(&fake, settings, &demo_credentials())
        .await
        .unwrap();
    assert_eq!(listed.len(), 30);
    // 4 GDAP customers in pages of 3.
    assert_eq!(fake.stats().gdap_requests(), 2);
}
