use actix_web::{get, web};
use entity::audit_log;
use proto::{AuditEntry, Page};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::paging::{PageQuery, PageRequest, fetch_page};
use crate::{auth::Caller, error::ApiError, state::AppState, tenancy};

/// The audit log of the caller's tenant and every tenant below it, newest first. Admins only.
#[utoipa::path(
    tag = "audit",
    params(PageQuery),
    responses(
        (status = 200, description = "A page of audit entries", body = Page<AuditEntry>),
        (status = 401, description = "Not signed in", body = proto::Problem, content_type = "application/problem+json"),
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
    let own = tenancy::find_tenant(&state.db, caller.tenant_id).await?;
    let select = audit_log::Entity::find()
        .filter(audit_log::Column::TenantId.in_subquery(tenancy::subtree_ids(&own)))
        .order_by_desc(audit_log::Column::CreatedAt)
        .order_by_desc(audit_log::Column::Id);
    let (rows, total) = fetch_page(&state.db, select, page).await?;
    let items = rows
        .into_iter()
        .map(|entry| AuditEntry {
            id: entry.id,
            tenant_id: entry.tenant_id,
            actor_user_id: entry.actor_user_id,
            source: entry.source,
            action: entry.action,
            target: entry.target,
            details: entry
                .details
                .and_then(|details| serde_json::from_str(&details).ok()),
            source_ip: entry.source_ip,
            created_at: entry.created_at,
        })
        .collect();
    Ok(web::Json(Page { items, total }))
}
