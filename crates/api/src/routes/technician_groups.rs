//! `/api/v1/technician-groups` (SPEC §15, §17, admins): a tenant's technician groups and their
//! members.

use actix_web::{HttpResponse, delete, get, patch, post, put, web};
use domain::TechnicianGroupName;
use proto::{NewTechnicianGroup, TechnicianGroup, TechnicianGroupChanges};
use sea_orm::TransactionTrait;
use uuid::Uuid;

use crate::{
    error::ApiError,
    infra::{auth::Caller, state::AppState},
    routes::json_object::JsonObject,
    services::technician_groups::{self, GroupChanges},
};

fn group_name(raw: &str) -> Result<TechnicianGroupName, ApiError> {
    TechnicianGroupName::parse(raw)
        .map_err(|error| ApiError::field("name", "invalid", error.to_string()))
}

/// The tenant's technician groups by name, each with its members' IDs.
#[utoipa::path(
    tag = "technician-groups",
    responses(
        (status = 200, description = "The groups", body = Vec<TechnicianGroup>),
        (status = 403, description = "Admins only", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[get("/technician-groups")]
pub async fn list_technician_groups(
    state: web::Data<AppState>,
    caller: Caller,
) -> Result<web::Json<Vec<TechnicianGroup>>, ApiError> {
    Ok(web::Json(
        technician_groups::list(&state.reads, &caller).await?,
    ))
}

/// Creates a group (e.g. "Level 1 techs"), optionally with its first members (users of your
/// tenant).
#[utoipa::path(
    tag = "technician-groups",
    request_body = NewTechnicianGroup,
    responses(
        (status = 201, description = "Created", body = TechnicianGroup),
        (status = 400, description = "Malformed body", body = proto::Problem, content_type = "application/problem+json"),
        (status = 403, description = "Admins only", body = proto::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The name is taken in your tenant", body = proto::Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = proto::Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not JSON", body = proto::Problem, content_type = "application/problem+json"),
        (status = 422, description = "A name out of bounds, or a member who is no user of your tenant (`unknown_user`)", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[post("/technician-groups")]
pub async fn create_technician_group(
    state: web::Data<AppState>,
    caller: Caller,
    body: JsonObject<NewTechnicianGroup>,
) -> Result<HttpResponse, ApiError> {
    caller.require_admin()?;
    let NewTechnicianGroup { name, member_ids } = body.into_inner();
    let name = group_name(&name)?;
    let transaction = state.db.begin().await?;
    let created = technician_groups::create(&transaction, &caller, name, &member_ids).await?;
    transaction.commit().await?;
    Ok(HttpResponse::Created().json(created))
}

/// One group of the tenant.
#[utoipa::path(
    tag = "technician-groups",
    params(("id" = Uuid, Path, description = "The group")),
    responses(
        (status = 200, description = "The group", body = TechnicianGroup),
        (status = 403, description = "Admins only", body = proto::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such group in your tenant", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[get("/technician-groups/{id}")]
pub async fn get_technician_group(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<web::Json<TechnicianGroup>, ApiError> {
    Ok(web::Json(
        technician_groups::get(&state.reads, &caller, id.into_inner()).await?,
    ))
}

/// Renames the group and/or replaces its members; a member who stays keeps when it was added.
#[utoipa::path(
    tag = "technician-groups",
    params(("id" = Uuid, Path, description = "The group")),
    request_body = TechnicianGroupChanges,
    responses(
        (status = 200, description = "Changed", body = TechnicianGroup),
        (status = 400, description = "Malformed body", body = proto::Problem, content_type = "application/problem+json"),
        (status = 403, description = "Admins only", body = proto::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such group in your tenant", body = proto::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The name is taken in your tenant", body = proto::Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = proto::Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not JSON", body = proto::Problem, content_type = "application/problem+json"),
        (status = 422, description = "A name out of bounds, or a member who is no user of your tenant", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[patch("/technician-groups/{id}")]
pub async fn update_technician_group(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: JsonObject<TechnicianGroupChanges>,
) -> Result<web::Json<TechnicianGroup>, ApiError> {
    caller.require_admin()?;
    let TechnicianGroupChanges { name, member_ids } = body.into_inner();
    let changes = GroupChanges {
        name: name.as_deref().map(group_name).transpose()?,
        member_ids,
    };
    let transaction = state.db.begin().await?;
    let updated =
        technician_groups::update(&transaction, &caller, id.into_inner(), changes).await?;
    transaction.commit().await?;
    Ok(web::Json(updated))
}

/// Deletes the group; its members stay users of the tenant.
#[utoipa::path(
    tag = "technician-groups",
    params(("id" = Uuid, Path, description = "The group")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Admins only", body = proto::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such group in your tenant", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[delete("/technician-groups/{id}")]
pub async fn delete_technician_group(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let transaction = state.db.begin().await?;
    technician_groups::delete(&transaction, &caller, id.into_inner()).await?;
    transaction.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Adds a user of the tenant to the group (no change when it is in already).
#[utoipa::path(
    tag = "technician-groups",
    params(
        ("id" = Uuid, Path, description = "The group"),
        ("user_id" = Uuid, Path, description = "The user")
    ),
    responses(
        (status = 204, description = "A member"),
        (status = 403, description = "Admins only", body = proto::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such group in your tenant", body = proto::Problem, content_type = "application/problem+json"),
        (status = 422, description = "No such user in your tenant (`unknown_user`)", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[put("/technician-groups/{id}/members/{user_id}")]
pub async fn add_technician_group_member(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (id, user_id) = path.into_inner();
    let transaction = state.db.begin().await?;
    technician_groups::add_member(&transaction, &caller, id, user_id).await?;
    transaction.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Takes a user out of the group (no change when it was not in).
#[utoipa::path(
    tag = "technician-groups",
    params(
        ("id" = Uuid, Path, description = "The group"),
        ("user_id" = Uuid, Path, description = "The user")
    ),
    responses(
        (status = 204, description = "Not a member"),
        (status = 403, description = "Admins only", body = proto::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such group in your tenant", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[delete("/technician-groups/{id}/members/{user_id}")]
pub async fn remove_technician_group_member(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (id, user_id) = path.into_inner();
    let transaction = state.db.begin().await?;
    technician_groups::remove_member(&transaction, &caller, id, user_id).await?;
    transaction.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}
