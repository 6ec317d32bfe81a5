use actix_web::{get, web};
use proto::{AuditEntry, Page};

use crate::{
    error::ApiError,
    infra::{auth::Caller, state::AppState},
    routes::paging::PageQuery,
    services::audit,
    services::paging::PageRequest,
};

/// The audit log of the caller's tenant and every tenant below it, newest first. Admins only.
#[utoipa::path(
    tag = "audit",
    params(PageQuery),
    responses(
        (status = 200, description = "A page of audit entries", body = Page<AuditEntry>),
        (status = 403, description = "Not an admin", body = proto::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Paging out of range", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[get("/audit-log")]
pub async fn list_audit_log(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<PageQuery>,
) -> Result<web::Json<Page<AuditEntry>>, ApiError> {
    caller.require_admin()?;
    let page = PageRequest::try_from(&*query)?;
    Ok(web::Json(audit::list(&state.reads, &caller, page).await?))
}
