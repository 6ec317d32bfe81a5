//! `/users`: the Users page (SPEC §12, §17). Admins manage the users of their tenant; a
//! technician sees and edits only itself (its display name).

use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use domain::{ClaimSet, DisplayName, Email, UserRights};
use proto::{
    CreateApiTokenRequest, CreatedApiToken, InviteUserRequest, InvitedUser, Page, Role,
    UpdateUserRequest, User,
};
use sea_orm::TransactionTrait;
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::{
    error::ApiError,
    infra::{auth::Caller, state::AppState},
    routes::json_object::JsonObject,
    services::{
        api_tokens,
        paging::PageRequest,
        users::management::{self, Invitation, UserChanges},
    },
};

/// `GET /api/v1/users?q=&page=&per_page=`.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct UserQuery {
    /// A case-insensitive part of the e-mail or display name; at most 200 characters.
    #[param(max_length = 200)]
    pub q: Option<String>,
    /// 1-based page number (default 1), at most 1 000 000.
    #[param(minimum = 1, maximum = 1_000_000)]
    pub page: Option<u64>,
    /// Items per page, 1–100 (default 25).
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<u64>,
}

fn display_name(raw: Option<&str>) -> Result<Option<DisplayName>, ApiError> {
    raw.map(|raw| {
        DisplayName::parse(raw)
            .map_err(|error| ApiError::field("display_name", "too_long", error.to_string()))
    })
    .transpose()
}

impl TryFrom<&InviteUserRequest> for Invitation {
    type Error = ApiError;

    fn try_from(body: &InviteUserRequest) -> Result<Self, ApiError> {
        let email = Email::parse(&body.email)
            .map_err(|error| ApiError::field("email", "invalid_email", error.to_string()))?;
        Ok(Self {
            email,
            display_name: display_name(body.display_name.as_deref())?.unwrap_or_default(),
            rights: UserRights {
                role: body.role.unwrap_or(Role::Technician),
                claims: body.claims.iter().flatten().copied().collect(),
                use_mfa: body.use_mfa.unwrap_or(false),
                allow_ui_access: body.allow_ui_access.unwrap_or(true),
                active: true,
            },
            entra_object_id: None,
        })
    }
}

impl TryFrom<&UpdateUserRequest> for UserChanges {
    type Error = ApiError;

    fn try_from(body: &UpdateUserRequest) -> Result<Self, ApiError> {
        Ok(Self {
            display_name: display_name(body.display_name.as_deref())?,
            role: body.role,
            claims: body
                .claims
                .as_ref()
                .map(|claims| claims.iter().copied().collect::<ClaimSet>()),
            use_mfa: body.use_mfa,
            allow_ui_access: body.allow_ui_access,
            active: body.active,
        })
    }
}

/// The users of the caller's tenant (admins), or only the caller (technicians), by e-mail.
#[utoipa::path(
    tag = "users",
    params(UserQuery),
    responses(
        (status = 200, description = "A page of users", body = Page<User>),
        (status = 422, description = "Search or paging out of range", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[get("/users")]
pub async fn list_users(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<UserQuery>,
) -> Result<web::Json<Page<User>>, ApiError> {
    crate::routes::paging::check_search_length(query.q.as_deref())?;
    let page = PageRequest::try_from(&crate::routes::paging::PageQuery {
        page: query.page,
        per_page: query.per_page,
    })?;
    Ok(web::Json(
        management::list(&state.reads, &caller, query.q.as_deref(), page).await?,
    ))
}

/// Invites a user into the caller's tenant (admins). The answer holds the invitation link
/// (single use, valid 7 days), shown this once; the invitee sets a password with it.
#[utoipa::path(
    tag = "users",
    request_body = InviteUserRequest,
    responses(
        (status = 201, description = "Invited", body = InvitedUser),
        (status = 400, description = "Malformed body", body = proto::Problem, content_type = "application/problem+json"),
        (status = 403, description = "Admins only", body = proto::Problem, content_type = "application/problem+json"),
        (status = 409, description = "E-mail taken", body = proto::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid e-mail or display name", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[post("/users")]
pub async fn invite_user(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    body: JsonObject<InviteUserRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require_admin()?;
    let mut invitation = Invitation::try_from(&*body)?;
    // With Entra as the user source, only an enabled account of the directory is onboarded;
    // asked before the transaction, so that no write waits on Microsoft Graph.
    invitation.entra_object_id = crate::services::user_source::check_onboarding(
        &state.reads,
        &state.graph,
        state.operator_app(),
        caller.tenant_id,
        &invitation.email,
    )
    .await?;
    let transaction = state.db.begin().await?;
    let invited = management::invite(&transaction, &caller, invitation).await?;
    transaction.commit().await?;
    let connection = request.connection_info();
    let invitation_url = format!(
        "{}://{}/accept-invitation#token={}",
        connection.scheme(),
        connection.host(),
        invited.token
    );
    Ok(HttpResponse::Created().json(InvitedUser {
        user: invited.user,
        invitation_url,
        invitation_expires_at: invited.expires_at,
    }))
}

/// One user: any of the caller's tenant for an admin, only itself for a technician.
#[utoipa::path(
    tag = "users",
    params(("id" = Uuid, Path, description = "User ID")),
    responses(
        (status = 200, description = "The user", body = User),
        (status = 404, description = "No such user you may see", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[get("/users/{id}")]
pub async fn get_user(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<web::Json<User>, ApiError> {
    let found = management::find_visible(&state.reads, &caller, id.into_inner()).await?;
    Ok(web::Json(management::listed(&state.reads, found).await?))
}

/// Changes a user; only the fields given change. `active: false` deactivates (its sessions and
/// API tokens stop at once), `true` reactivates. Nobody raises their own rights; the last
/// active admin is never demoted or deactivated.
#[utoipa::path(
    tag = "users",
    params(("id" = Uuid, Path, description = "User ID")),
    request_body = UpdateUserRequest,
    responses(
        (status = 200, description = "Updated", body = User),
        (status = 400, description = "Malformed body", body = proto::Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin, or raising one's own rights", body = proto::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such user you may see", body = proto::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The tenant's last active admin, or Entra is the user source and its connection is missing", body = proto::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid display name; or, reactivating with Entra as the user source, the user is no longer in the directory or disabled there", body = proto::Problem, content_type = "application/problem+json"),
        (status = 502, description = "Microsoft Graph is unreachable or answered unexpectedly", body = proto::Problem, content_type = "application/problem+json"),
        (status = 503, description = "Microsoft Graph is throttling", body = proto::Problem, content_type = "application/problem+json"),
        (status = 504, description = "Microsoft Graph did not answer in time", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[patch("/users/{id}")]
pub async fn update_user(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: JsonObject<UpdateUserRequest>,
) -> Result<web::Json<User>, ApiError> {
    let changes = UserChanges::try_from(&*body)?;
    let id = id.into_inner();
    if changes.active == Some(true) && caller.role == Role::Admin {
        // Asked before the transaction, so that no write waits on Microsoft Graph.
        crate::services::user_source::check_reactivation(
            &state.reads,
            &state.graph,
            state.operator_app(),
            caller.tenant_id,
            id,
        )
        .await?;
    }
    let transaction = state.db.begin().await?;
    let updated = management::update(&transaction, &caller, id, changes).await?;
    transaction.commit().await?;
    Ok(web::Json(updated))
}

/// Deletes a user (admins) with its sessions, API tokens and factor; the audit log keeps what
/// it did. The last active admin cannot be deleted.
#[utoipa::path(
    tag = "users",
    params(("id" = Uuid, Path, description = "User ID")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Admins only", body = proto::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such user you may see", body = proto::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The tenant's last active admin", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[delete("/users/{id}")]
pub async fn delete_user(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let transaction = state.db.begin().await?;
    management::delete(&transaction, &caller, id.into_inner()).await?;
    transaction.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Removes a user's second factor and recovery codes (admins); with Use MFA on, the user
/// enrols again at its next sign-in. Its sessions end.
#[utoipa::path(
    tag = "users",
    params(("id" = Uuid, Path, description = "User ID")),
    responses(
        (status = 200, description = "Reset", body = User),
        (status = 403, description = "Admins only", body = proto::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such user you may see", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[delete("/users/{id}/mfa")]
pub async fn reset_user_mfa(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<web::Json<User>, ApiError> {
    let transaction = state.db.begin().await?;
    let reset = management::reset_mfa(&transaction, &caller, id.into_inner()).await?;
    transaction.commit().await?;
    Ok(web::Json(reset))
}

/// Creates an API token for a user of the caller's tenant whose UI access is off (admins, from
/// a signed-in session): how an integration account gets its token. Shown this once.
#[utoipa::path(
    tag = "users",
    params(("id" = Uuid, Path, description = "User ID")),
    request_body = CreateApiTokenRequest,
    responses(
        (status = 201, description = "Created; `token` is shown this once", body = CreatedApiToken),
        (status = 400, description = "Malformed body", body = proto::Problem, content_type = "application/problem+json"),
        (status = 403, description = "Admins only, from a signed-in session", body = proto::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such user you may see", body = proto::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The user has UI access and creates its own tokens", body = proto::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid name or lifetime", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[post("/users/{id}/api-tokens")]
pub async fn create_user_api_token(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: JsonObject<CreateApiTokenRequest>,
) -> Result<HttpResponse, ApiError> {
    let (name, lifetime) = crate::routes::api_tokens::parse_request(&body)?;
    let transaction = state.db.begin().await?;
    let created =
        api_tokens::create_for(&transaction, &caller, id.into_inner(), name, lifetime).await?;
    transaction.commit().await?;
    Ok(HttpResponse::Created().json(created))
}
