//! `GET /api/v1/customers/export`: the customer grid's current search as a CSV download.

use actix_web::{HttpResponse, get, http::header, web, web::Bytes};
use proto::Claim;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::{
    error::ApiError,
    infra::{auth::Caller, state::AppState},
    routes::paging::check_search_length,
    services::{customers, tenancy},
};

/// `GET /api/v1/customers/export?q=`.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ExportQuery {
    /// The Customers page's search box, as `GET /api/v1/customers` reads it; every customer you
    /// see without it. At most 200 characters.
    #[param(max_length = 200)]
    pub q: Option<String>,
}

/// Every customer you see that matches the search (not a page), by name, as CSV: UTF-8, a header
/// row (`id,name,display_name,tenant_name,email,total_licenses,active_licenses,azure_tenant_id,created_at`),
/// streamed as it is read. A text cell that a spreadsheet would run as a formula (starting with
/// `=`, `+`, `-`, `@`, a tab or a carriage return) starts with an apostrophe.
#[utoipa::path(
    tag = "customers",
    params(ExportQuery),
    responses(
        (status = 200, description = "The customers as CSV", body = String, content_type = "text/csv"),
        (status = 400, description = "Malformed query", body = proto::Problem, content_type = "application/problem+json"),
        (status = 403, description = "Needs `view_customers`", body = proto::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Search too long", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[get("/customers/export")]
pub async fn export_customers(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<ExportQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Claim::ViewCustomers)?;
    let ExportQuery { q } = query.into_inner();
    check_search_length(q.as_deref())?;
    let own = tenancy::find_tenant(&state.reads, caller.tenant_id).await?;
    let chunks = customers::export_customers(state.reads.clone(), own, q);
    let body = futures_util::stream::unfold(chunks, |mut chunks| async move {
        let chunk = chunks.recv().await?;
        Some((chunk.map(Bytes::from), chunks))
    });
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"customers.csv\"",
        ))
        .streaming(body))
}
