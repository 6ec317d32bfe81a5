use actix_web::{HttpResponse, delete, get, patch, post, web};
use domain::GroupPolicyName;
use proto::{Claim, CreateGroupPolicy, GroupPolicy, Page, UpdateGroupPolicy};
use sea_orm::TransactionTrait;
use uuid::Uuid;

use crate::{
    error::ApiError,
    infra::{auth::Caller, state::AppState},
    routes::{json_object::JsonObject, paging::PageQuery},
    services::group_policies::{self, GroupPolicyChanges},
    services::paging::PageRequest,
};

fn parse_name(raw: &str) -> Result<GroupPolicyName, ApiError> {
    GroupPolicyName::parse(raw)
        .map_err(|error| ApiError::field("name", "invalid_name", error.to_string()))
}

/// The caller's Windows group policies, by name.
#[utoipa::path(
    tag = "endpoint-settings",
    params(PageQuery),
    responses(
        (status = 200, description = "A page of group policies", body = Page<GroupPolicy>),
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
    Ok(web::Json(
        group_policies::list(&state.reads, &caller, page).await?,
    ))
}

/// Creates a Windows group policy (off unless `enabled` is given).
#[utoipa::path(
    tag = "endpoint-settings",
    request_body = CreateGroupPolicy,
    responses(
        (status = 201, description = "Created", body = GroupPolicy),
        (status = 400, description = "Malformed body", body = proto::Problem, content_type = "application/problem+json"),
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
    let transaction = state.db.begin().await?;
    let created = group_policies::create(&transaction, &caller, name, body.enabled).await?;
    transaction.commit().await?;
    Ok(HttpResponse::Created().json(created))
}

/// Renames a group policy and/or turns it on or off.
#[utoipa::path(
    tag = "endpoint-settings",
    params(("id" = Uuid, Path, description = "Group policy ID")),
    request_body = UpdateGroupPolicy,
    responses(
        (status = 200, description = "Updated", body = GroupPolicy),
        (status = 400, description = "Malformed body", body = proto::Problem, content_type = "application/problem+json"),
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
    let changes = GroupPolicyChanges {
        name: body.name.as_deref().map(parse_name).transpose()?,
        enabled: body.enabled,
    };
    let transaction = state.db.begin().await?;
    let updated = group_policies::update(&transaction, &caller, id.into_inner(), changes).await?;
    transaction.commit().await?;
    Ok(web::Json(updated))
}

/// Deletes a group policy (customers that received it keep nothing of it).
#[utoipa::path(
    tag = "endpoint-settings",
    params(("id" = Uuid, Path, description = "Group policy ID")),
    responses(
        (status = 204, description = "Deleted"),
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
    group_policies::delete(&transaction, &caller, id.into_inner()).await?;
    transaction.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}
