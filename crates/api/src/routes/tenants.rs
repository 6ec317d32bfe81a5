use actix_web::{get, web};
use proto::{Page, TenantSummary};
use uuid::Uuid;

use super::paging::{PageQuery, PageRequest, fetch_page};
use crate::{auth::Caller, error::ApiError, state::AppState, storage, tenancy};

/// The caller's tenant and every tenant below it, by name.
#[utoipa::path(
    tag = "tenants",
    params(PageQuery),
    responses(
        (status = 200, description = "A page of tenants", body = Page<TenantSummary>),
        (status = 401, description = "Not signed in", body = proto::Problem, content_type = "application/problem+json"),
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
    let own = tenancy::find_tenant(&state.db, caller.tenant_id).await?;
    let select = tenancy::ordered_by_name(tenancy::subtree_of(&own));
    let (rows, total) = fetch_page(&state.db, select, page).await?;
    let items = rows
        .iter()
        .map(storage::tenant_summary)
        .collect::<Result<_, _>>()?;
    Ok(web::Json(Page { items, total }))
}

/// One tenant of the caller's subtree; any other ID is a 404.
#[utoipa::path(
    tag = "tenants",
    params(("id" = Uuid, Path, description = "Tenant ID")),
    responses(
        (status = 200, description = "The tenant", body = TenantSummary),
        (status = 401, description = "Not signed in", body = proto::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such tenant in your tree", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[get("/tenants/{id}")]
pub async fn get_tenant(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<web::Json<TenantSummary>, ApiError> {
    let own = tenancy::find_tenant(&state.db, caller.tenant_id).await?;
    let tenant = tenancy::find_visible_tenant(&state.db, &own, id.into_inner()).await?;
    Ok(web::Json(storage::tenant_summary(&tenant)?))
}
