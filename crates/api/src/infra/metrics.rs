//! Prometheus metrics, served off the public API on their own address (`APP_METRICS_BIND`):
//! requests per route and status with their latency, the database pool, Graph calls, sign-in
//! failures.

use std::{sync::OnceLock, time::Instant};

use actix_web::{
    Error, HttpResponse,
    body::MessageBody,
    dev::{ServiceRequest, ServiceResponse},
    http::header::ContentType,
    middleware::Next,
    web,
};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use sea_orm::DatabaseConnection;

/// Latency buckets in seconds: a search answers in milliseconds, a Graph listing in seconds.
const LATENCY_BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// The process-wide recorder: the `metrics` macros write to one global, so every application
/// in a process (tests boot many) shares it.
pub fn handle() -> Result<PrometheusHandle, anyhow::Error> {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    if let Some(handle) = HANDLE.get() {
        return Ok(handle.clone());
    }
    let handle = PrometheusBuilder::new()
        .set_buckets(LATENCY_BUCKETS)?
        .install_recorder()?;
    Ok(HANDLE.get_or_init(|| handle).clone())
}

/// Counts each request and times it, labelled with the route pattern (never the raw path, so
/// IDs do not make a series each) and the status.
pub async fn record(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let started = Instant::now();
    let method = request.method().to_string();
    let response = next.call(request).await?;
    let route = response
        .request()
        .match_pattern()
        .unwrap_or_else(|| "unmatched".to_owned());
    let status = response.status().as_u16().to_string();
    let labels = [("method", method), ("route", route), ("status", status)];
    metrics::counter!("http_requests_total", &labels).increment(1);
    metrics::histogram!("http_request_duration_seconds", &labels)
        .record(started.elapsed().as_secs_f64());
    Ok(response)
}

/// The database pools: the connections that write and those that read.
#[derive(Clone)]
pub struct Pools {
    pub writes: DatabaseConnection,
    pub reads: DatabaseConnection,
}

/// A database pool's connections in use and idle, read at scrape time.
fn record_pool(db: &DatabaseConnection, pool_name: &'static str) {
    // Each getter is called only for its own backend, the one case where it does not panic.
    let (size, idle) = match db.get_database_backend() {
        sea_orm::DatabaseBackend::Postgres => {
            let pool = db.get_postgres_connection_pool();
            (pool.size(), pool.num_idle())
        }
        sea_orm::DatabaseBackend::Sqlite => {
            let pool = db.get_sqlite_connection_pool();
            (pool.size(), pool.num_idle())
        }
        _ => (0, 0),
    };
    let idle = u32::try_from(idle).unwrap_or(u32::MAX);
    metrics::gauge!("db_pool_connections", "pool" => pool_name, "state" => "idle")
        .set(f64::from(idle));
    metrics::gauge!("db_pool_connections", "pool" => pool_name, "state" => "in_use")
        .set(f64::from(size.saturating_sub(idle)));
}

/// `GET /metrics` in Prometheus's text format.
async fn metrics_page(
    handle: web::Data<PrometheusHandle>,
    pools: web::Data<Pools>,
) -> HttpResponse {
    record_pool(&pools.writes, "write");
    record_pool(&pools.reads, "read");
    HttpResponse::Ok()
        .content_type(ContentType(
            "text/plain; version=0.0.4; charset=utf-8"
                .parse()
                .unwrap_or(actix_web::mime::TEXT_PLAIN_UTF_8),
        ))
        .body(handle.render())
}

/// The metrics server on its own listener, apart from the API and its authentication.
pub fn serve(
    listener: std::net::TcpListener,
    handle: PrometheusHandle,
    pools: Pools,
) -> std::io::Result<actix_web::dev::Server> {
    let handle = web::Data::new(handle);
    let pools = web::Data::new(pools);
    Ok(actix_web::HttpServer::new(move || {
        actix_web::App::new()
            .app_data(handle.clone())
            .app_data(pools.clone())
            .route("/metrics", web::get().to(metrics_page))
    })
    .workers(1)
    .disable_signals()
    .listen(listener)?
    .run())
}
