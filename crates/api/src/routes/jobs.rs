//! The durable scheduled jobs and how their last runs went (admins).

use actix_web::{get, web};
use proto::{Job, Page};

use crate::{
    error::ApiError,
    infra::{auth::Caller, state::AppState},
    services::jobs,
};

/// The platform's jobs and your tenant's own, by name: interval, next run, whether a server
/// process runs it now, attempts since its last success, and its last run's times, outcome and
/// error. Each runs once at each due time however many server processes share the database.
#[utoipa::path(
    tag = "jobs",
    responses(
        (status = 200, description = "Every job you may see, by name", body = Page<Job>),
        (status = 403, description = "Admins only", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[get("/jobs")]
pub async fn list_jobs(
    state: web::Data<AppState>,
    caller: Caller,
) -> Result<web::Json<Page<Job>>, ApiError> {
    let items = jobs::list(&state.reads, &caller).await?;
    Ok(web::Json(Page::whole(items)))
}
