//! Just-in-time admin accounts in customers' Entra directories and their devices' LAPS
//! passwords (SPEC §16), for anyone who may go into the customer tenant.

use actix_web::{HttpResponse, delete, get, http::header, post, web};
use proto::{GrantedJitAccount, JitAccess, JitAccount, LapsDevice, Page, RevealedLapsPassword};
use uuid::Uuid;

use crate::{
    error::ApiError,
    infra::{auth::Caller, state::AppState},
    services::jit_accounts::{self, laps, request},
};

/// The customer's just-in-time application (its name, the accounts' lifetime, whether accounts
/// can be requested) and its accounts: who, which roles, until when, and any error removing one.
#[utoipa::path(
    tag = "jit-accounts",
    params(("id" = Uuid, Path, description = "The customer's tenant ID")),
    responses(
        (status = 200, description = "The application and its accounts", body = JitAccess),
        (status = 404, description = "No such customer tenant, or not delegated to you", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[get("/customers/{id}/jit-accounts")]
pub async fn get_jit_access(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<web::Json<JitAccess>, ApiError> {
    Ok(web::Json(
        jit_accounts::access(&state.reads, &caller, id.into_inner()).await?,
    ))
}

/// Requests your just-in-time admin account in the customer's Entra directory: the first
/// request creates `<prefix><local part>@<domain>` with a random password (in this answer only,
/// never stored) and the roles your technician groups are mapped to (201); asking again while
/// it is active extends it by the lifetime and brings its roles in line with the mapping (200).
/// Audited. Each refusal of Microsoft Graph has its own code: `entra_permission_missing`,
/// `domain_not_verified`, `user_name_taken` (an account of that name exists and is never taken
/// over), `role_not_found`, `graph_throttled`, `graph_unreachable`.
#[utoipa::path(
    tag = "jit-accounts",
    params(("id" = Uuid, Path, description = "The customer's tenant ID")),
    responses(
        (status = 200, description = "Your active account, extended", body = GrantedJitAccount),
        (status = 201, description = "Your account, created: its password is shown this once", body = GrantedJitAccount),
        (status = 404, description = "No such customer tenant, or not delegated to you", body = proto::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not set up yet (`jit_not_ready`, `entra_app_not_configured`), your account is being created or removed (`account_busy`), or its name is taken in the directory (`user_name_taken`)", body = proto::Problem, content_type = "application/problem+json"),
        (status = 422, description = "None of your groups is mapped to roles (`not_in_mapped_group`), or the directory refuses: a missing permission, an unverified domain, an unknown role", body = proto::Problem, content_type = "application/problem+json"),
        (status = 502, description = "Microsoft Graph is unreachable or answered unexpectedly", body = proto::Problem, content_type = "application/problem+json"),
        (status = 503, description = "Microsoft Graph is throttling", body = proto::Problem, content_type = "application/problem+json"),
        (status = 504, description = "Microsoft Graph did not answer in time", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[post("/customers/{id}/jit-accounts")]
pub async fn request_jit_account(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let granted = request::request(
        &state.db,
        &caller,
        &state.graph,
        state.operator_app(),
        id.into_inner(),
    )
    .await?;
    let mut response = if granted.extended {
        HttpResponse::Ok()
    } else {
        HttpResponse::Created()
    };
    Ok(response
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(granted))
}

/// Ends a just-in-time account before its time: the MSP's admins any account, a technician
/// their own. The expiry job disables and deletes it at once. Audited.
#[utoipa::path(
    tag = "jit-accounts",
    params(
        ("id" = Uuid, Path, description = "The customer's tenant ID"),
        ("account_id" = Uuid, Path, description = "The account's ID")
    ),
    responses(
        (status = 200, description = "The account, now being removed", body = JitAccount),
        (status = 404, description = "No such customer tenant or account, or not yours to end", body = proto::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The account is still being created (`account_busy`)", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[delete("/customers/{id}/jit-accounts/{account_id}")]
pub async fn end_jit_account(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<web::Json<JitAccount>, ApiError> {
    let (customer_id, account_id) = path.into_inner();
    let ended = jit_accounts::end(&state.db, &caller, customer_id, account_id).await?;
    state.jobs_due.notify_one();
    Ok(web::Json(ended))
}

/// Your just-in-time accounts in every customer's directory, soonest expiry first.
#[utoipa::path(
    tag = "jit-accounts",
    responses(
        (status = 200, description = "Your accounts", body = Page<JitAccount>)
    )
)]
#[get("/me/jit-accounts")]
pub async fn my_jit_accounts(
    state: web::Data<AppState>,
    caller: Caller,
) -> Result<web::Json<Page<JitAccount>>, ApiError> {
    Ok(web::Json(Page::whole(
        jit_accounts::mine(&state.reads, &caller).await?,
    )))
}

/// The devices of the customer's Entra directory with a backed-up local administrator
/// password (Windows LAPS), by name; without their passwords.
#[utoipa::path(
    tag = "jit-accounts",
    params(("id" = Uuid, Path, description = "The customer's tenant ID")),
    responses(
        (status = 200, description = "The devices", body = Page<LapsDevice>),
        (status = 404, description = "No such customer tenant, or not delegated to you", body = proto::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The customer's directory is not authorised, or no Entra app is configured", body = proto::Problem, content_type = "application/problem+json"),
        (status = 422, description = "The app lacks the permission to read devices' passwords", body = proto::Problem, content_type = "application/problem+json"),
        (status = 502, description = "Microsoft Graph is unreachable or answered unexpectedly", body = proto::Problem, content_type = "application/problem+json"),
        (status = 503, description = "Microsoft Graph is throttling", body = proto::Problem, content_type = "application/problem+json"),
        (status = 504, description = "Microsoft Graph did not answer in time", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[get("/customers/{id}/laps-devices")]
pub async fn list_laps_devices(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<web::Json<Page<LapsDevice>>, ApiError> {
    let devices = laps::devices(
        &state.reads,
        &caller,
        &state.graph,
        state.operator_app(),
        id.into_inner(),
    )
    .await?;
    Ok(web::Json(Page::whole(devices)))
}

/// Reveals a device's newest local administrator password. Every reveal is audited (without
/// the password); the password is never stored or logged, and the answer is not cached.
#[utoipa::path(
    tag = "jit-accounts",
    params(
        ("id" = Uuid, Path, description = "The customer's tenant ID"),
        ("device_id" = String, Path, description = "The device's ID in Entra")
    ),
    responses(
        (status = 200, description = "The password", body = RevealedLapsPassword),
        (status = 404, description = "No such customer tenant or device, or not delegated to you", body = proto::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The customer's directory is not authorised, or no Entra app is configured", body = proto::Problem, content_type = "application/problem+json"),
        (status = 422, description = "The app lacks the permission to read devices' passwords", body = proto::Problem, content_type = "application/problem+json"),
        (status = 502, description = "Microsoft Graph is unreachable or answered unexpectedly", body = proto::Problem, content_type = "application/problem+json"),
        (status = 503, description = "Microsoft Graph is throttling", body = proto::Problem, content_type = "application/problem+json"),
        (status = 504, description = "Microsoft Graph did not answer in time", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[post("/customers/{id}/laps-devices/{device_id}/reveal")]
pub async fn reveal_laps_password(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(Uuid, String)>,
) -> Result<HttpResponse, ApiError> {
    let (customer_id, device_id) = path.into_inner();
    let revealed = laps::reveal(
        &state.db,
        &caller,
        &state.graph,
        state.operator_app(),
        customer_id,
        &device_id,
    )
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(revealed))
}
