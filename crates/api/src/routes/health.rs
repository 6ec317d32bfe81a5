use actix_web::{HttpResponse, get};

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
