//! Starts the fake on a loopback port and hands out what a client needs to reach and trust it.

use std::{
    collections::HashMap,
    net::TcpListener,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
};

use actix_web::{App, HttpServer, dev::ServerHandle, web};

use crate::{
    Directory, EntraDirectories, FakeGraphError, Faults, Fixture, contracts, directory, entra,
    keys::SigningKeys, sign_in, tls, token,
};

pub(crate) struct FakeState {
    pub fixture: Fixture,
    /// The sub-tenants listed now: the fixture's, as tests and the demo changed them since.
    pub directory: Directory,
    /// Entra directories for the user source: users, domains, consent, changes.
    pub entra: EntraDirectories,
    /// The origin every URL the fake hands out starts with, issuers included.
    pub base_url: String,
    pub faults: Arc<Faults>,
    pub stats: Arc<Stats>,
    pub tokens: IssuedTokens,
    pub keys: Arc<SigningKeys>,
    pub sign_in: sign_in::SignInGrants,
}

/// Requests the fake has answered, so tests can see retries and paging happen.
#[derive(Debug, Default)]
pub struct Stats {
    token_requests: AtomicU64,
    contracts_requests: AtomicU64,
    gdap_requests: AtomicU64,
    full_delta_rounds: AtomicU64,
}

impl Stats {
    pub fn token_requests(&self) -> u64 {
        self.token_requests.load(Ordering::Relaxed)
    }

    pub fn contracts_requests(&self) -> u64 {
        self.contracts_requests.load(Ordering::Relaxed)
    }

    /// `/v1.0/users/delta` rounds begun without a delta link: a client that lost its link
    /// starts one.
    pub fn full_delta_rounds(&self) -> u64 {
        self.full_delta_rounds.load(Ordering::Relaxed)
    }

    pub(crate) fn count_full_delta_round(&self) {
        self.full_delta_rounds.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn count_token_request(&self) {
        self.token_requests.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn count_contracts_request(&self) {
        self.contracts_requests.fetch_add(1, Ordering::Relaxed);
    }

    /// Requests to `/v1.0/tenantRelationships/delegatedAdminCustomers`.
    pub fn gdap_requests(&self) -> u64 {
        self.gdap_requests.load(Ordering::Relaxed)
    }

    pub(crate) fn count_gdap_request(&self) {
        self.gdap_requests.fetch_add(1, Ordering::Relaxed);
    }
}

/// Access tokens handed out by the token endpoint: the reseller app's open `/v1.0/contracts`;
/// the operator app's, issued for one consented tenant, open that tenant's directory.
#[derive(Default)]
pub(crate) struct IssuedTokens(Mutex<HashMap<String, Option<String>>>);

impl IssuedTokens {
    pub fn issue(&self) -> String {
        self.issue_scoped(None)
    }

    /// An app-only token of the operator's app for `tenant_id`'s directory.
    pub fn issue_for_tenant(&self, tenant_id: &str) -> String {
        self.issue_scoped(Some(tenant_id.to_lowercase()))
    }

    /// The tenant whose directory `token` opens.
    pub fn tenant_of(&self, token: &str) -> Option<String> {
        self.0
            .lock()
            .ok()
            .and_then(|tokens| tokens.get(token).cloned().flatten())
    }

    fn issue_scoped(&self, tenant: Option<String>) -> String {
        let mut bytes = [0u8; 24];
        // Without randomness the fake still works; tokens are then merely guessable.
        let _ = getrandom::fill(&mut bytes);
        let token: String = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
        let token = format!("fake-graph.{token}");
        if let Ok(mut tokens) = self.0.lock() {
            tokens.insert(token.clone(), tenant);
        }
        token
    }

    /// Whether `token` is the reseller app's (the operator app's open no contracts).
    pub fn is_valid(&self, token: &str) -> bool {
        self.0
            .lock()
            .map(|tokens| matches!(tokens.get(token), Some(None)))
            .unwrap_or(false)
    }
}

/// A running fake Graph and Entra token endpoint on one HTTPS origin.
pub struct FakeGraph {
    base_url: String,
    certificate_pem: String,
    state: web::Data<FakeState>,
    handle: ServerHandle,
}

impl std::fmt::Debug for FakeGraph {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("FakeGraph")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl FakeGraph {
    /// Binds `bind` (e.g. `127.0.0.1:0`) and serves in the background of the current Tokio
    /// runtime until [`FakeGraph::stop`] or the runtime ends.
    pub fn start(fixture: Fixture, bind: &str) -> Result<Self, FakeGraphError> {
        let identity = tls::self_signed_identity()?;
        let listener = TcpListener::bind(bind).map_err(|source| FakeGraphError::Bind {
            address: bind.to_owned(),
            source,
        })?;
        let address = listener
            .local_addr()
            .map_err(|source| FakeGraphError::Bind {
                address: bind.to_owned(),
                source,
            })?;
        let host = match address {
            std::net::SocketAddr::V4(v4) => v4.ip().to_string(),
            std::net::SocketAddr::V6(v6) => format!("[{}]", v6.ip()),
        };
        let base_url = format!("https://{host}:{}", address.port());
        let directory = Directory::new(fixture.sub_tenants.clone(), fixture.gdap_customers.clone());
        let entra = EntraDirectories::new(
            &fixture.sign_in.accounts,
            &fixture.sign_in.domains,
            &fixture.sign_in.devices,
        );
        let state = web::Data::new(FakeState {
            fixture,
            directory,
            entra,
            base_url: base_url.clone(),
            faults: Arc::new(Faults::default()),
            stats: Arc::new(Stats::default()),
            tokens: IssuedTokens::default(),
            keys: SigningKeys::shared()?,
            sign_in: sign_in::SignInGrants::default(),
        });
        let served = state.clone();
        let server = HttpServer::new(move || {
            App::new()
                .app_data(served.clone())
                .route(
                    "/{tenant}/oauth2/v2.0/token",
                    web::post().to(token::issue_token),
                )
                .route(
                    "/{tenant}/oauth2/v2.0/authorize",
                    web::get().to(sign_in::authorize),
                )
                .route(
                    "/{tenant}/oauth2/v2.0/logout",
                    web::get().to(sign_in::logout),
                )
                .route(
                    "/{tenant}/v2.0/.well-known/openid-configuration",
                    web::get().to(sign_in::discovery),
                )
                .route("/discovery/v2.0/keys", web::get().to(sign_in::keys))
                .route(
                    "/{tenant}/discovery/v2.0/keys",
                    web::get().to(sign_in::keys),
                )
                .service(
                    web::resource("/oidc/userinfo")
                        .route(web::get().to(sign_in::userinfo))
                        .route(web::post().to(sign_in::userinfo)),
                )
                .route("/v1.0/contracts", web::get().to(contracts::list_contracts))
                .route(
                    "/v1.0/tenantRelationships/delegatedAdminCustomers",
                    web::get().to(contracts::list_delegated_admin_customers),
                )
                .route(
                    "/{tenant}/v2.0/adminconsent",
                    web::get().to(entra::consent::admin_consent),
                )
                .route("/v1.0/domains", web::get().to(entra::users::list_domains))
                .route("/v1.0/users", web::get().to(entra::users::list_users))
                .route(
                    "/v1.0/users/delta",
                    web::get().to(entra::users::users_delta),
                )
                // The function-call form Microsoft's generated SDKs send; Graph serves both.
                .route(
                    "/v1.0/users/delta()",
                    web::get().to(entra::users::users_delta),
                )
                .configure(entra::routes)
                .service(
                    web::resource("/_fake/users/{object_id}")
                        .route(web::patch().to(entra::users::patch_user))
                        .route(web::delete().to(entra::users::delete_user)),
                )
                .service(
                    web::resource("/_fake/sub-tenants/{customer_id}")
                        .route(web::put().to(directory::put_sub_tenant))
                        .route(web::delete().to(directory::delete_sub_tenant)),
                )
        })
        .workers(2)
        // Without it, Nagle's algorithm and the client's delayed ACK add ~40 ms to answers
        // written in more than one TLS record.
        .tcp_nodelay(true)
        .disable_signals()
        .listen_rustls_0_23(listener, identity.config)
        .map_err(|source| FakeGraphError::Bind {
            address: bind.to_owned(),
            source,
        })?
        .run();
        let handle = server.handle();
        tokio::spawn(server);
        Ok(Self {
            base_url,
            certificate_pem: identity.certificate_pem,
            state,
            handle,
        })
    }

    /// The Entra authority host: the token endpoint is `{authority}/{tenant}/oauth2/v2.0/token`,
    /// the sign-in discovery document `{authority}/{tenant}/v2.0/.well-known/openid-configuration`
    /// (`{tenant}`: a tenant GUID, `organizations` or `common`).
    pub fn authority_url(&self) -> &str {
        &self.base_url
    }

    /// The issuer of ID tokens for users of `tenant_id`: `{authority}/{tenant_id}/v2.0`.
    pub fn issuer_url(&self, tenant_id: &str) -> String {
        format!("{}/{}/v2.0", self.base_url, tenant_id.to_ascii_lowercase())
    }

    /// The operator's sign-in app registration (empty when the fixture registers none).
    pub fn sign_in_client_id(&self) -> &str {
        &self.state.fixture.sign_in.client_id
    }

    pub fn sign_in_client_secret(&self) -> &str {
        &self.state.fixture.sign_in.client_secret
    }

    /// The `login_hint` that signs in the first `other_tenant` account at any authorize
    /// endpoint, `organizations` included: its object ID, because its UPN is also its home
    /// account's, which a UPN hint picks. Empty when the fixture has no such account.
    pub fn other_tenant_hint(&self) -> &str {
        self.state
            .fixture
            .sign_in
            .accounts
            .iter()
            .find(|account| account.scenario == crate::SignInScenario::OtherTenant)
            .map(|account| account.object_id.as_str())
            .unwrap_or_default()
    }

    /// The directory the fake serves, sign-in accounts included.
    pub fn fixture(&self) -> &Fixture {
        &self.state.fixture
    }

    /// The Graph base: contracts are at `{graph}/v1.0/contracts`.
    pub fn graph_url(&self) -> &str {
        &self.base_url
    }

    /// The self-signed certificate a client must trust to reach the fake.
    pub fn certificate_pem(&self) -> &str {
        &self.certificate_pem
    }

    /// The Entra directories a user source reads, to change while it runs.
    pub fn entra(&self) -> &EntraDirectories {
        &self.state.entra
    }

    /// The sub-tenants it lists, to change while it runs.
    pub fn directory(&self) -> &Directory {
        &self.state.directory
    }

    pub fn faults(&self) -> &Faults {
        &self.state.faults
    }

    pub fn stats(&self) -> &Stats {
        &self.state.stats
    }

    pub async fn stop(self) {
        self.handle.stop(false).await;
    }
}
