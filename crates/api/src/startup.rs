//! Builds the application: database, keys, routes, middleware, and the HTTP server.

use std::{net::TcpListener, path::Path};

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
use msp_fake_graph::{FakeGraph, Fixture};
use msp_graph::{GraphClient, GraphSettings};
use utoipa::OpenApi;
use utoipa_swagger_ui::SwaggerUi;

use crate::{
    auth::{JwtKeys, throttle::ThrottlePolicy},
    config::Settings,
    db, demo,
    error::{self, ApiError},
    openapi::ApiDoc,
    routes,
    secret::Secret,
    state::AppState,
    web::{self as web_app, WebApp},
};

/// Request bodies above this size are refused with 413.
pub const BODY_LIMIT_BYTES: usize = 64 * 1024;

pub struct Application {
    port: u16,
    server: Server,
    /// The demo's stand-in for Microsoft, serving while the application does.
    fake_graph: Option<FakeGraph>,
}

impl Application {
    pub async fn build(settings: &Settings) -> anyhow::Result<Self> {
        // Both ring (via sqlx) and aws-lc-rs (via reqwest/jsonwebtoken) are in the tree; rustls
        // refuses to guess, so pick one before any TLS configuration is built.
        let _already_installed = rustls::crypto::aws_lc_rs::default_provider().install_default();
        let db = db::connect_and_migrate(&settings.database_url()).await?;
        if settings.demo {
            demo::seed(&db).await?;
        }
        let secret = match &settings.jwt_secret {
            Some(secret) => secret.clone(),
            None => load_or_create_signing_secret(&settings.data_dir)?,
        };
        let (graph_settings, fake_graph) = graph_settings(settings)?;
        let state = AppState {
            db,
            jwt: JwtKeys::new(&secret, settings.access_token_ttl())?,
            cookie_secure: settings.cookie_secure,
            throttle: ThrottlePolicy::default(),
            graph: GraphClient::new(graph_settings)?,
        };
        let listener = TcpListener::bind(&settings.bind)
            .map_err(|error| anyhow::anyhow!("cannot listen on {}: {error}", settings.bind))?;
        let port = listener.local_addr()?.port();
        let server = serve(
            listener,
            state,
            WebApp::new(&settings.web_dir),
            settings.cors_allowed_origins.clone(),
        )?;
        Ok(Self {
            port,
            server,
            fake_graph,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The fake Graph `--demo` started, if any.
    pub fn fake_graph(&self) -> Option<&FakeGraph> {
        self.fake_graph.as_ref()
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let outcome = self.server.await;
        if let Some(fake_graph) = self.fake_graph {
            fake_graph.stop().await;
        }
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

/// `--demo` swaps Microsoft for the fake Graph on loopback, trusting its fresh certificate.
fn graph_settings(settings: &Settings) -> anyhow::Result<(GraphSettings, Option<FakeGraph>)> {
    if !settings.demo {
        return Ok((settings.graph.graph_settings()?, None));
    }
    let fake = FakeGraph::start(Fixture::demo()?, "127.0.0.1:0")?;
    let mut graph = settings.graph.graph_settings()?;
    graph.authority_url = msp_graph::Url::parse(fake.authority_url())?;
    graph.graph_url = msp_graph::Url::parse(fake.graph_url())?;
    graph.extra_root_certificate_pem = Some(fake.certificate_pem().to_owned());
    tracing::info!(
        url = fake.graph_url(),
        "demo: the fake Microsoft Graph serves on loopback"
    );
    Ok((graph, Some(fake)))
}

fn serve(
    listener: TcpListener,
    state: AppState,
    web: WebApp,
    cors_origins: Vec<String>,
) -> anyhow::Result<Server> {
    let state = web::Data::new(state);
    let web = web::Data::new(web);
    let openapi = ApiDoc::openapi();
    let server = HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .app_data(web.clone())
            .app_data(
                web::JsonConfig::default()
                    .limit(BODY_LIMIT_BYTES)
                    .error_handler(error::json_error_handler),
            )
            .app_data(web::PayloadConfig::new(BODY_LIMIT_BYTES))
            .app_data(web::PathConfig::default().error_handler(error::path_error_handler))
            .app_data(web::QueryConfig::default().error_handler(error::query_error_handler))
            .wrap(ErrorHandlers::new().default_handler(problem_for_bare_api_errors))
            .wrap(Compress::default())
            // Inside the logger, so the request ID it assigns is there to echo.
            .wrap(actix_web::middleware::from_fn(crate::security::headers))
            // Outside the routes, so a preflight never meets authentication; off unless configured.
            .wrap(Condition::new(
                !cors_origins.is_empty(),
                cross_origin_policy(&cors_origins),
            ))
            .wrap(tracing_actix_web::TracingLogger::default())
            .service(routes::health::healthz)
            .service(
                web::scope("/api/v1")
                    .service(routes::auth::login)
                    .service(routes::auth::logout)
                    .service(routes::me::me)
                    .service(routes::onboarding_wizard::get_wizard)
                    .service(routes::onboarding_wizard::put_wizard)
                    .service(routes::api_tokens::create_api_token)
                    .service(routes::api_tokens::list_api_tokens)
                    .service(routes::api_tokens::revoke_api_token)
                    .service(routes::customers::list_customers)
                    .service(routes::customers::create_customer)
                    .service(routes::customers::get_customer)
                    .service(routes::customers::update_customer)
                    .service(routes::azure_customers::list_azure_customers)
                    .service(routes::licensing::activate)
                    .service(routes::licensing::deactivate)
                    .service(routes::settings::get_azure_login)
                    .service(routes::settings::put_azure_login)
                    .service(routes::settings::get_windows_gp)
                    .service(routes::settings::put_windows_gp)
                    .service(routes::group_policies::list_group_policies)
                    .service(routes::group_policies::create_group_policy)
                    .service(routes::group_policies::update_group_policy)
                    .service(routes::group_policies::delete_group_policy)
                    .service(routes::tenants::list_tenants)
                    .service(routes::tenants::get_tenant)
                    .service(routes::audit_log::list_audit_log),
            )
            .service(
                SwaggerUi::new("/api-docs/{_:.*}").url("/api-docs/openapi.json", openapi.clone()),
            )
            .configure(|config| serve_assets(config, &web))
            .default_service(web::to(web_app::fallback))
    })
    // Without it Nagle's algorithm holds the end of a larger answer until the client's delayed
    // ACK, up to 40 ms later (the search benchmark saw 44 ms for a page of 25 customers).
    .tcp_nodelay(true)
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
        401 => ApiError::Unauthenticated,
        404 => ApiError::NotFound,
        405 => ApiError::MethodNotAllowed,
        413 => ApiError::PayloadTooLarge {
            limit_bytes: BODY_LIMIT_BYTES,
        },
        415 => ApiError::UnsupportedMediaType,
        500..=599 => ApiError::internal(anyhow::anyhow!(
            "unhandled server error {}",
            response.status()
        )),
        _ => ApiError::BadRequest {
            code: "bad_request",
            detail: "the request could not be understood".to_owned(),
        },
    };
    let (request, _) = response.into_parts();
    let problem = actix_web::ResponseError::error_response(&api_error);
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(request, problem).map_into_right_body(),
    ))
}

/// The embedded set-up's signing key: generated on first start, kept (owner-only) in the data
/// directory so that sessions survive a restart.
fn load_or_create_signing_secret(data_dir: &Path) -> anyhow::Result<Secret> {
    let path = data_dir.join("jwt-secret");
    if let Ok(existing) = std::fs::read_to_string(&path) {
        let existing = existing.trim();
        if existing.len() >= JwtKeys::MIN_SECRET_BYTES {
            return Ok(Secret::new(existing));
        }
    }
    std::fs::create_dir_all(data_dir).map_err(|error| {
        anyhow::anyhow!(
            "cannot create the data directory {}: {error}",
            data_dir.display()
        )
    })?;
    let secret =
        hex::encode(crate::auth::random_bytes::<32>().map_err(|error| anyhow::anyhow!("{error}"))?);
    write_owner_only(&path, &secret)?;
    Ok(Secret::new(secret))
}

fn write_owner_only(path: &Path, contents: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .map_err(|error| anyhow::anyhow!("cannot write {}: {error}", path.display()))?;
    file.write_all(contents.as_bytes())?;
    Ok(())
}
