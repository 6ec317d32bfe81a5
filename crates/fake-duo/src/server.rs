//! Starts the fake on a loopback port and hands out what a client needs to reach and trust it.

use std::net::TcpListener;

use actix_web::{App, HttpServer, dev::ServerHandle, web};

use crate::assertion::SeenAssertions;
use crate::calls::CallLog;
use crate::grants::Pending;
use crate::{
    DuoCall, DuoFixture, FakeDuoError, Switches, authorize, control, health, network, pages, token,
};

pub(crate) struct FakeState {
    pub fixture: DuoFixture,
    /// `127.0.0.1:<port>`: the host Duo's clients are configured with.
    pub api_hostname: String,
    pub switches: Switches,
    pub calls: CallLog,
    pub pending: Pending,
    pub seen_assertions: SeenAssertions,
}

/// A running fake Duo on one HTTPS origin.
pub struct FakeDuo {
    api_hostname: String,
    base_url: String,
    certificate_pem: String,
    state: web::Data<FakeState>,
    handle: ServerHandle,
}

impl std::fmt::Debug for FakeDuo {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("FakeDuo")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl FakeDuo {
    /// Binds `bind` (e.g. `127.0.0.1:0`) and serves in the background of the current Tokio
    /// runtime until [`FakeDuo::stop`] or the runtime ends.
    pub fn start(fixture: DuoFixture, bind: &str) -> Result<Self, FakeDuoError> {
        let identity = msp_fake_graph::self_signed_identity()?;
        let bind_error = |source| FakeDuoError::Bind {
            address: bind.to_owned(),
            source,
        };
        let listener = TcpListener::bind(bind).map_err(bind_error)?;
        let address = listener.local_addr().map_err(bind_error)?;
        let host = match address {
            std::net::SocketAddr::V4(v4) => v4.ip().to_string(),
            std::net::SocketAddr::V6(v6) => format!("[{}]", v6.ip()),
        };
        let api_hostname = format!("{host}:{}", address.port());
        let base_url = format!("https://{api_hostname}");
        let state = web::Data::new(FakeState {
            fixture,
            api_hostname: api_hostname.clone(),
            switches: Switches::default(),
            calls: CallLog::default(),
            pending: Pending::default(),
            seen_assertions: SeenAssertions::default(),
        });
        let served = state.clone();
        let server = HttpServer::new(move || {
            App::new()
                .app_data(served.clone())
                .service(
                    web::scope("/oauth/v1")
                        .wrap_fn(network::slow_or_cut)
                        .route("/health_check", web::post().to(health::health_check))
                        .route("/authorize", web::get().to(authorize::authorize))
                        .route("/authorize/decision", web::post().to(authorize::decide))
                        .route("/token", web::post().to(token::token)),
                )
                .route(pages::STYLE_PATH, web::get().to(pages::style))
                .service(
                    web::resource("/_fake/switches")
                        .route(web::get().to(control::read_switches))
                        .route(web::post().to(control::change_switches)),
                )
                .route("/_fake/calls", web::get().to(control::calls))
        })
        .workers(2)
        // Without it, Nagle's algorithm and the client's delayed ACK add ~40 ms to answers
        // written in more than one TLS record.
        .tcp_nodelay(true)
        .disable_signals()
        .on_connect(network::remember_socket)
        .listen_rustls_0_23(listener, identity.config)
        .map_err(bind_error)?
        .run();
        let handle = server.handle();
        tokio::spawn(server);
        Ok(Self {
            api_hostname,
            base_url,
            certificate_pem: identity.certificate_pem,
            state,
            handle,
        })
    }

    /// `127.0.0.1:<port>`: what an admin types as the Duo application's API hostname.
    pub fn api_hostname(&self) -> &str {
        &self.api_hostname
    }

    /// `https://127.0.0.1:<port>`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The self-signed certificate a client must trust (as Duo's clients' `duo_certs`).
    pub fn certificate_pem(&self) -> &str {
        &self.certificate_pem
    }

    pub fn switches(&self) -> &Switches {
        &self.state.switches
    }

    /// Every request to a Duo endpoint so far, in arrival order.
    pub fn calls(&self) -> Vec<DuoCall> {
        self.state.calls.all()
    }

    /// The applications the fake answers for.
    pub fn fixture(&self) -> &DuoFixture {
        &self.state.fixture
    }

    pub async fn stop(self) {
        self.handle.stop(false).await;
    }
}
