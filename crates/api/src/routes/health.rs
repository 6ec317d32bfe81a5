use actix_web::{HttpResponse, get, web};

use crate::infra::state::AppState;

/// Liveness: answers as long as the process serves HTTP.
#[utoipa::path(
    tag = "operations",
    responses((status = 200, description = "The server is up", body = serde_json::Value, example = json!({"status": "ok"}))),
    security(())
)]
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({ "status": "ok" }))
}

/// Readiness: the database answers, on the connections that write and those that read. A load balancer sends traffic only while this is 200.
#[utoipa::path(
    tag = "operations",
    responses(
        (status = 200, description = "Ready: the database answers", body = serde_json::Value, example = json!({"status": "ready"})),
        (status = 503, description = "The database does not answer", body = serde_json::Value, example = json!({"status": "database_unavailable"}))
    ),
    security(())
)]
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let pinged = match state.db.ping().await {
        Ok(()) => state.reads.ping().await,
        failed => failed,
    };
    match pinged {
        Ok(()) => HttpResponse::Ok().json(serde_json::json!({ "status": "ready" })),
        Err(error) => {
            tracing::warn!(%error, "readiness: the database does not answer");
            HttpResponse::ServiceUnavailable()
                .json(serde_json::json!({ "status": "database_unavailable" }))
        }
    }
}
