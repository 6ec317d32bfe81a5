//! Builds the application: database, keys, routes, middleware, and the HTTP server.

use std::net::TcpListener;

use actix_cors::Cors;
use actix_files::Files;
use actix_web::{
    App, HttpServer,
    body::MessageBody,
    dev::{Server, ServiceResponse},
    http::header,
    middleware::{Compress, Condition, DefaultHeaders, ErrorHandlerResponse, ErrorHandlers},
    web,
};
use msp_duo::DuoClient;
use msp_graph::{GraphClient, MicrosoftSignIn};
use proto::JobKind;
use utoipa::OpenApi;
use utoipa_swagger_ui::SwaggerUi;

use crate::{
    error::{self, ApiError, RequestError},
    infra::config::{JobOptions, OutsideServices, Settings},
    infra::db,
    infra::keys,
    infra::state::AppState,
    infra::web_app::{self, WebApp},
    infra::{
        auth::{JwtKeys, MfaKey},
        client_address::TrustedProxies,
    },
    routes::openapi::ApiDoc,
    routes::{self, method_not_allowed::AllowedMethods},
    services::{
        jobs::{self, runner::JobRunner},
        security_integrations::DuoGateway,
        sign_in::throttle::ThrottlePolicy,
    },
};

use super::demo_mode;

pub struct Application {
    port: u16,
    server: Server,
    /// `GET /metrics` on its own address, when configured: its port and its running server.
    metrics: Option<(u16, actix_web::dev::ServerHandle)>,
    db: sea_orm::DatabaseConnection,
    reads: sea_orm::DatabaseConnection,
    /// What `--demo` started (the fake Graph and the fake Duo), serving while the application does.
    demo: Option<demo_mode::Running>,
    /// Writes the provisioning log; ends once the server (which holds its senders) has stopped.
    call_log_writer: tokio::task::JoinHandle<()>,
}

impl Application {
    pub async fn build(settings: &Settings) -> anyhow::Result<Self> {
        // Both ring (via sqlx) and aws-lc-rs (via reqwest/jsonwebtoken) are in the tree; rustls
        // refuses to guess, so pick one before any TLS configuration is built.
        let _already_installed = rustls::crypto::aws_lc_rs::default_provider().install_default();
        let db = db::connect_and_migrate(&settings.database_url()).await?;
        let reads =
            db::connect_readers(&settings.database_url(), &db, settings.sqlite_readers).await?;
        let secret = match &settings.jwt_secret {
            Some(secret) => secret.clone(),
            None => keys::load_or_create_signing_secret(&settings.data_dir)?,
        };
        let mfa_key = match &settings.mfa_key {
            Some(key) => MfaKey::parse(key)?,
            None => keys::load_or_create_mfa_key(&settings.data_dir)?,
        };
        let (outside, demo) = if settings.demo {
            let (outside, running) = demo_mode::start(settings, &db, &mfa_key).await?;
            (outside, Some(running))
        } else {
            (OutsideServices::from_settings(settings)?, None)
        };
        let graph_settings = outside.graph;
        let microsoft_app = settings
            .microsoft_sign_in_app()
            .or_else(|| demo.as_ref().map(demo_mode::sign_in_app));
        let microsoft = match microsoft_app {
            Some(app) => Some(MicrosoftSignIn::new(graph_settings.clone(), app)?),
            None => None,
        };
        let (provisioning_calls, call_log_writer) =
            crate::services::provisioning::calls::CallLog::start(db.clone());
        let state = AppState {
            provisioning_calls,
            db,
            reads,
            jwt: JwtKeys::new(&secret, settings.access_token_ttl())?,
            mfa_key,
            cookie_secure: settings.cookie_secure,
            throttle: ThrottlePolicy::default(),
            graph: GraphClient::new(graph_settings)?,
            microsoft,
            duo: DuoGateway {
                client: DuoClient::new(&outside.duo)?,
                extra_hosts: outside.duo_extra_hosts,
            },
            trusted_proxies: TrustedProxies::new(settings.trusted_proxies.clone()),
            addresses: crate::services::customer_tenants::Addresses {
                public_domain: settings.public_domain.clone(),
            },
            user_source_sync_interval: domain::JobInterval::parse(
                settings.jobs.user_source_sync_interval_secs,
            )?,
            jobs_due: std::sync::Arc::new(tokio::sync::Notify::new()),
        };
        start_jobs(&state, &settings.jobs).await?;
        let listener = TcpListener::bind(&settings.bind)
            .map_err(|error| anyhow::anyhow!("cannot listen on {}: {error}", settings.bind))?;
        let port = listener.local_addr()?.port();
        let db = state.db.clone();
        let reads = state.reads.clone();
        let metrics = match &settings.metrics_bind {
            None => None,
            Some(bind) => {
                let listener = TcpListener::bind(bind).map_err(|error| {
                    anyhow::anyhow!("cannot listen for metrics on {bind}: {error}")
                })?;
                let port = listener.local_addr()?.port();
                let handle = crate::infra::metrics::handle()?;
                let server = crate::infra::metrics::serve(
                    listener,
                    handle,
                    crate::infra::metrics::Pools {
                        writes: db.clone(),
                        reads: reads.clone(),
                    },
                )?;
                let running = server.handle();
                // A server serves only while polled: it runs beside the API from now on.
                tokio::spawn(server);
                Some((port, running))
            }
        };
        let server = serve(
            listener,
            state,
            WebApp::new(&settings.web_dir),
            settings.cors_allowed_origins.clone(),
            settings.shutdown_timeout_secs,
        )?;
        Ok(Self {
            port,
            server,
            metrics,
            db,
            reads,
            demo,
            call_log_writer,
        })
    }

    /// The port of `GET /metrics`, when it is served.
    pub fn metrics_port(&self) -> Option<u16> {
        self.metrics.as_ref().map(|(port, _)| *port)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until SIGTERM or SIGINT: then stops accepting, lets in-flight requests finish
    /// (up to the shutdown timeout), and closes the database pools.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let outcome = self.server.await;
        if let Some((_, metrics)) = self.metrics {
            metrics.stop(true).await;
        }
        if let Some(running) = self.demo {
            demo_mode::stop(running).await;
        }
        // The calls noted during the last requests, before the pools close.
        if tokio::time::timeout(CALL_LOG_DRAIN, self.call_log_writer)
            .await
            .is_err()
        {
            tracing::warn!("the provisioning log's last calls were not all written");
        }
        // Readers first: on SQLite the last connection to close (the writer) checkpoints the WAL.
        for (pool, connections) in [(self.reads, "read"), (self.db, "write")] {
            if let Err(error) = pool.close().await {
                tracing::warn!(%error, connections, "closing a database pool failed");
            }
        }
        tracing::info!("stopped");
        outcome
    }
}

/// Browsers on `origins` may call the API with a bearer token (never with the session cookie:
/// credentials are not allowed cross-origin). Other origins get no CORS headers at all.
fn cross_origin_policy(origins: &[String]) -> Cors {
    origins
        .iter()
        .fold(Cors::default(), |cors, origin| cors.allowed_origin(origin))
        .allowed_methods(["GET", "POST", "PUT", "PATCH", "DELETE"])
        .allowed_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            header::HeaderName::from_static("idempotency-key"),
        ])
        .expose_headers([
            header::RETRY_AFTER,
            header::LOCATION,
            header::HeaderName::from_static("x-request-id"),
        ])
        .max_age(600)
        .block_on_origin_mismatch(false)
}

fn serve(
    listener: TcpListener,
    state: AppState,
    web: WebApp,
    cors_origins: Vec<String>,
    shutdown_timeout_secs: u64,
) -> anyhow::Result<Server> {
    // Installed before the first request, so every request is counted even without a scrape.
    crate::infra::metrics::handle()?;
    let state = web::Data::new(state);
    let web = web::Data::new(web);
    let openapi = ApiDoc::openapi();
    let allowed_methods = web::Data::new(AllowedMethods::of(&openapi));
    let server = HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .app_data(web.clone())
            .app_data(allowed_methods.clone())
            .app_data(
                web::JsonConfig::default()
                    .limit(crate::infra::BODY_LIMIT_BYTES)
                    .error_handler(error::json_error_handler),
            )
            .app_data(web::PayloadConfig::new(crate::infra::BODY_LIMIT_BYTES))
            .app_data(web::PathConfig::default().error_handler(error::path_error_handler))
            .app_data(web::QueryConfig::default().error_handler(error::query_error_handler))
            .wrap(actix_web::middleware::from_fn(
                routes::method_not_allowed::refuse_on_literal_paths,
            ))
            .wrap(ErrorHandlers::new().default_handler(problem_for_bare_api_errors))
            .wrap(Compress::default())
            // Inside the logger, so the request ID it assigns is there to echo.
            .wrap(actix_web::middleware::from_fn(
                crate::infra::security_headers::headers,
            ))
            // Outside the routes, so a preflight never meets authentication; off unless configured.
            .wrap(Condition::new(
                !cors_origins.is_empty(),
                cross_origin_policy(&cors_origins),
            ))
            .wrap(tracing_actix_web::TracingLogger::default())
            .wrap(actix_web::middleware::from_fn(
                crate::infra::metrics::record,
            ))
            .service(routes::health::healthz)
            .service(routes::health::readyz)
            .service(web::scope("/api/v1").configure(routes::configure_api_v1))
            .configure(routes::scim::configure)
            .service(
                SwaggerUi::new("/api-docs/{_:.*}").url("/api-docs/openapi.json", openapi.clone()),
            )
            .configure(|config| serve_assets(config, &web))
            .default_service(web::to(web_app::fallback))
    })
    // Without it Nagle's algorithm holds the end of a larger answer until the client's delayed
    // ACK, up to 40 ms later (the search benchmark saw 44 ms for a page of 25 customers).
    .tcp_nodelay(true)
    .shutdown_timeout(shutdown_timeout_secs)
    .listen(listener)?
    .run();
    Ok(server)
}

fn serve_assets(config: &mut web::ServiceConfig, web: &WebApp) {
    let assets = web.assets_dir();
    // Without a built app there is nothing to serve; the fallback page says how to build it.
    if assets.is_dir() {
        config.service(
            web::scope("/assets")
                .wrap(
                    DefaultHeaders::new()
                        .add((header::CACHE_CONTROL, "public, max-age=31536000, immutable")),
                )
                .service(Files::new("", assets)),
        );
    }
}

/// Errors that actix answers by itself (no route for the method, a failed guard, …) carry an
/// empty body; under `/api` they become problem documents like every other error.
fn problem_for_bare_api_errors<B: MessageBody + 'static>(
    response: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| {
            value
                .as_bytes()
                .starts_with(proto::PROBLEM_CONTENT_TYPE.as_bytes())
        });
    let is_api = response.request().path().starts_with("/api");
    if is_problem || !is_api {
        return Ok(ErrorHandlerResponse::Response(
            response.map_into_left_body(),
        ));
    }
    let api_error = match response.status().as_u16() {
        401 => RequestError::Unauthenticated.into(),
        404 => RequestError::NotFound.into(),
        405 => RequestError::MethodNotAllowed.into(),
        413 => RequestError::PayloadTooLarge {
            limit_bytes: crate::infra::BODY_LIMIT_BYTES,
        }
        .into(),
        415 => RequestError::UnsupportedMediaType.into(),
        500..=599 => ApiError::internal(anyhow::anyhow!(
            "unhandled server error {}",
            response.status()
        )),
        _ => RequestError::BadRequest.into(),
    };
    let (request, _) = response.into_parts();
    let problem = actix_web::ResponseError::error_response(&api_error);
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(request, problem).map_into_right_body(),
    ))
}

/// How long shutting down waits for the provisioning log's last calls.
const CALL_LOG_DRAIN: std::time::Duration = std::time::Duration::from_secs(5);

/// Registers the platform's jobs and starts this process's job runner.
async fn start_jobs(state: &AppState, options: &JobOptions) -> anyhow::Result<()> {
    let interval = domain::JobInterval::parse(options.housekeeping_interval_secs)?;
    jobs::store::ensure_platform_job(&state.db, JobKind::Housekeeping, interval).await?;
    let lease_secs = i64::try_from(options.job_lease_secs)?;
    let runner = JobRunner {
        db: state.db.clone(),
        throttle: state.throttle.clone(),
        graph: state.graph.clone(),
        operator_app: state
            .microsoft
            .as_ref()
            .map(|microsoft| microsoft.app().clone()),
        runner_id: format!("{}:{}", std::process::id(), uuid::Uuid::new_v4()),
        lease: chrono::Duration::seconds(lease_secs),
        due_now: state.jobs_due.clone(),
    };
    // On the shared runtime, not the worker's local set: `build` runs before the workers exist.
    tokio::spawn(runner.run_forever());
    Ok(())
}

#[cfg(all(test, not(feature = "demo")))]
mod without_the_demo_feature {
    use super::Application;
    use crate::infra::{
        config::{GraphOptions, Settings},
        secret::Secret,
    };

    #[tokio::test]
    async fn serve_demo_says_that_demo_mode_is_not_built_in() {
        let data_dir = tempfile::tempdir().unwrap();
        let settings = Settings {
            bind: "127.0.0.1:0".to_owned(),
            database_url: Some("sqlite::memory:".to_owned()),
            data_dir: data_dir.path().to_path_buf(),
            jwt_secret: Some(Secret::new("a-signing-key-of-at-least-32-bytes!!")),
            mfa_key: None,
            access_token_ttl_secs: 900,
            web_dir: data_dir.path().join("web"),
            cookie_secure: false,
            demo: true,
            cors_allowed_origins: Vec::new(),
            trusted_proxies: Vec::new(),
            metrics_bind: None,
            shutdown_timeout_secs: 5,
            sqlite_readers: crate::infra::db::SQLITE_READERS,
            graph: GraphOptions::public_cloud().unwrap(),
            duo: crate::infra::config::DuoOptions::default(),
            public_domain: None,
            jobs: crate::infra::config::JobOptions::default(),
            microsoft_client_id: None,
            microsoft_client_secret: None,
        };
        let Err(error) = Application::build(&settings).await else {
            panic!("a server without the demo feature started in demo mode");
        };
        assert!(
            error
                .to_string()
                .contains("demo mode is not built into this server"),
            "{error:#}"
        );
    }
}
