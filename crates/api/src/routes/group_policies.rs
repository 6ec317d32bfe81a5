use actix_web::{HttpResponse, delete, get, patch, post, web};
use chrono::Utc;
use domain::GroupPolicyName;
use entity::group_policy;
use proto::{Claim, CreateGroupPolicy, GroupPolicy, Page, UpdateGroupPolicy};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, TransactionTrait,
};
use uuid::Uuid;

use super::paging::{PageQuery, PageRequest, fetch_page};
use crate::json_object::JsonObject;
use crate::{
    audit::{self, AuditRecord},
    auth::Caller,
    error::{ApiError, is_unique_violation},
    state::AppState,
    tenancy,
};

fn listed(policy: group_policy::Model) -> GroupPolicy {
    GroupPolicy {
        id: policy.id,
        name: policy.name,
        enabled: policy.enabled,
        created_at: policy.created_at,
        updated_at: policy.updated_at,
    }
}

fn parse_name(raw: &str) -> Result<GroupPolicyName, ApiError> {
    GroupPolicyName::parse(raw)
        .map_err(|error| ApiError::field("name", "invalid_name", error.to_string()))
}

fn name_taken(name: &GroupPolicyName) -> ApiError {
    ApiError::Conflict {
        code: "name_taken",
        detail: format!(
            "a group policy named “{}” already exists (names ignore case)",
            name.as_str()
        ),
    }
}

/// The caller's own policy, or 404: another tenant's policy is never revealed.
async fn find_own(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<group_policy::Model, ApiError> {
    group_policy::Entity::find_by_id(id)
        .filter(group_policy::Column::TenantId.eq(caller.tenant_id))
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)
}

/// The caller's Windows group policies, by name.
#[utoipa::path(
    tag = "endpoint-settings",
    params(PageQuery),
    responses(
        (status = 200, description = "A page of group policies", body = Page<GroupPolicy>),
        (status = 401, description = "Not signed in", body = proto::Problem, content_type = "application/problem+json"),
        (status = 403, description = "Needs `view_endpoint_settings` on a reseller or distributor", body = proto::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Paging out of range", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[get("/group-policies")]
pub async fn list_group_policies(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<PageQuery>,
) -> Result<web::Json<Page<GroupPolicy>>, ApiError> {
    caller.require(Claim::ViewEndpointSettings)?;
    let page = PageRequest::try_from(&*query)?;
    tenancy::find_partner_tenant(&state.db, &caller).await?;
    let select = group_policy::Entity::find()
        .filter(group_policy::Column::TenantId.eq(caller.tenant_id))
        .order_by_asc(group_policy::Column::NameKey)
        .order_by_asc(group_policy::Column::Id);
    let (rows, total) = fetch_page(&state.db, select, page).await?;
    let items = rows.into_iter().map(listed).collect();
    Ok(web::Json(Page { items, total }))
}

/// Creates a Windows group policy (off unless `enabled` is given).
#[utoipa::path(
    tag = "endpoint-settings",
    request_body = CreateGroupPolicy,
    responses(
        (status = 201, description = "Created", body = GroupPolicy),
        (status = 400, description = "Malformed body", body = proto::Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = proto::Problem, content_type = "application/problem+json"),
        (status = 403, description = "Needs `edit_endpoint_settings` on a reseller or distributor", body = proto::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The name is taken", body = proto::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid name", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[post("/group-policies")]
pub async fn create_group_policy(
    state: web::Data<AppState>,
    caller: Caller,
    body: JsonObject<CreateGroupPolicy>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Claim::EditEndpointSettings)?;
    let name = parse_name(&body.name)?;
    tenancy::find_partner_tenant(&state.db, &caller).await?;
    let now = Utc::now();
    let transaction = state.db.begin().await?;
    let created = group_policy::ActiveModel {
        id: Set(Uuid::new_v4()),
        tenant_id: Set(caller.tenant_id),
        name: Set(name.as_str().to_owned()),
        name_key: Set(name.key()),
        enabled: Set(body.enabled),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&transaction)
    .await
    .map_err(|error| {
        if is_unique_violation(&error) {
            name_taken(&name)
        } else {
            error.into()
        }
    })?;
    audit::record(
        &transaction,
        AuditRecord::by(
            &caller,
            "group_policy.create",
            format!("group_policy:{}", created.id),
        )
        .with_details(serde_json::json!({ "name": created.name, "enabled": created.enabled })),
    )
    .await?;
    transaction.commit().await?;
    Ok(HttpResponse::Created().json(listed(created)))
}

/// Renames a group policy and/or turns it on or off.
#[utoipa::path(
    tag = "endpoint-settings",
    params(("id" = Uuid, Path, description = "Group policy ID")),
    request_body = UpdateGroupPolicy,
    responses(
        (status = 200, description = "Updated", body = GroupPolicy),
        (status = 400, description = "Malformed body", body = proto::Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = proto::Problem, content_type = "application/problem+json"),
        (status = 403, description = "Needs `edit_endpoint_settings`", body = proto::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such policy in your tenant", body = proto::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The name is taken", body = proto::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid name", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[patch("/group-policies/{id}")]
pub async fn update_group_policy(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: JsonObject<UpdateGroupPolicy>,
) -> Result<web::Json<GroupPolicy>, ApiError> {
    caller.require(Claim::EditEndpointSettings)?;
    let name = body.name.as_deref().map(parse_name).transpose()?;
    let transaction = state.db.begin().await?;
    let existing = find_own(&transaction, &caller, id.into_inner()).await?;
    let before = serde_json::json!({ "name": existing.name, "enabled": existing.enabled });
    let mut changed: group_policy::ActiveModel = existing.into();
    if let Some(name) = &name {
        changed.name = Set(name.as_str().to_owned());
        changed.name_key = Set(name.key());
    }
    if let Some(enabled) = body.enabled {
        changed.enabled = Set(enabled);
    }
    changed.updated_at = Set(Utc::now());
    let updated = changed
        .update(&transaction)
        .await
        .map_err(|error| match &name {
            Some(name) if is_unique_violation(&error) => name_taken(name),
            _ => error.into(),
        })?;
    audit::record(
        &transaction,
        AuditRecord::by(&caller, "group_policy.update", format!("group_policy:{}", updated.id)).with_details(
            serde_json::json!({ "before": before, "after": { "name": updated.name, "enabled": updated.enabled } }),
        ),
    )
    .await?;
    transaction.commit().await?;
    Ok(web::Json(listed(updated)))
}

/// Deletes a group policy (customers that received it keep nothing of it).
#[utoipa::path(
    tag = "endpoint-settings",
    params(("id" = Uuid, Path, description = "Group policy ID")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Not signed in", body = proto::Problem, content_type = "application/problem+json"),
        (status = 403, description = "Needs `edit_endpoint_settings`", body = proto::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such policy in your tenant", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[delete("/group-policies/{id}")]
pub async fn delete_group_policy(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Claim::EditEndpointSettings)?;
    let transaction = state.db.begin().await?;
    let existing = find_own(&transaction, &caller, id.into_inner()).await?;
    let target = format!("group_policy:{}", existing.id);
    let name = existing.name.clone();
    group_policy::Entity::delete_by_id(existing.id)
        .exec(&transaction)
        .await?;
    audit::record(
        &transaction,
        AuditRecord::by(&caller, "group_policy.delete", target)
            .with_details(serde_json::json!({ "name": name })),
    )
    .await?;
    transaction.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}
