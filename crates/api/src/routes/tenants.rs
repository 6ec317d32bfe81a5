use actix_web::{get, web};
use proto::{Page, TenantSummary};
use uuid::Uuid;

use crate::{
    error::ApiError,
    infra::{auth::Caller, state::AppState},
    routes::paging::PageQuery,
    services::paging::PageRequest,
    services::tenancy,
};

/// The caller's tenant and every tenant below it, by name. Customers' tenants are listed only to
/// users with `view_customers`.
#[utoipa::path(
    tag = "tenants",
    params(PageQuery),
    responses(
        (status = 200, description = "A page of tenants", body = Page<TenantSummary>),
        (status = 422, description = "Paging out of range", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[get("/tenants")]
pub async fn list_tenants(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<PageQuery>,
) -> Result<web::Json<Page<TenantSummary>>, ApiError> {
    let page = PageRequest::try_from(&*query)?;
    Ok(web::Json(
        tenancy::list_subtree(&state.reads, &caller, page).await?,
    ))
}

/// One tenant of the caller's subtree; any other ID is a 404, and so is a customer's tenant without
/// `view_customers`.
#[utoipa::path(
    tag = "tenants",
    params(("id" = Uuid, Path, description = "Tenant ID")),
    responses(
        (status = 200, description = "The tenant", body = TenantSummary),
        (status = 404, description = "No such tenant in your tree", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[get("/tenants/{id}")]
pub async fn get_tenant(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<web::Json<TenantSummary>, ApiError> {
    Ok(web::Json(
        tenancy::visible_tenant(&state.reads, &caller, id.into_inner()).await?,
    ))
}
