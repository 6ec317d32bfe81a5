//! Duo's Universal Prompt (SPEC §14): the hand-over to Duo after the password step, "Link Duo"
//! on the profile page, and Duo's redirect back, which finishes either. The browser goes to Duo
//! and back; the API answers the start with the URL and the callback with a redirect into the
//! web app (signed in, linked, or with the reason for a refusal).

use actix_web::{
    HttpRequest, HttpResponse,
    cookie::{Cookie, SameSite, time},
    delete, get,
    http::header,
    post, web,
};
use domain::DuoRefusal;
use entity::user;
use proto::{DuoLoginRequest, DuoRedirect};
use sea_orm::{EntityTrait, TransactionTrait};
use serde::Deserialize;

use crate::{
    error::{ApiError, RequestError},
    infra::{
        auth::{self, Caller, EnrollingCaller},
        state::AppState,
    },
    routes::{
        auth::{bounded, session_cookie},
        json_object::JsonObject,
        redirects::{self, redirect},
    },
    services::sign_in::{
        self, SignInError, SignInMethod,
        duo::{self, DuoPurpose, PendingDuo},
    },
};

/// The cookie that carries a Duo round trip between the two redirects.
const PENDING_COOKIE: &str = "msp_duo";
const CALLBACK_PATH: &str = "/api/v1/auth/duo/callback";
/// How long the cookie lives: as long as the signed state in it.
const DUO_TTL_SECS: i64 = 600;

fn callback_url(request: &HttpRequest) -> String {
    redirects::back_to(request, CALLBACK_PATH)
}

/// Sent back only to the callback, and (`SameSite=Lax`) on the top-level navigation from Duo.
fn pending_cookie(state: &AppState, value: String, max_age_secs: i64) -> Cookie<'static> {
    Cookie::build(PENDING_COOKIE, value)
        .path(CALLBACK_PATH)
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.cookie_secure)
        .max_age(time::Duration::seconds(max_age_secs))
        .finish()
}

async fn start(
    state: &AppState,
    request: &HttpRequest,
    account: &user::Model,
    purpose: DuoPurpose,
) -> Result<HttpResponse, ApiError> {
    let begun = duo::begin(
        &state.db,
        &state.duo,
        &state.mfa_key,
        account,
        purpose,
        &callback_url(request),
    )
    .await?;
    let cookie = state.jwt.issue_pending_duo(&begun.pending)?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .cookie(pending_cookie(state, cookie, DUO_TTL_SECS))
        .json(DuoRedirect {
            redirect_url: begun.redirect_url,
        }))
}

/// The Duo step of a sign-in: with the `mfa_token` of `POST /auth/login` (whose `methods` list
/// `duo`), checks that Duo answers and returns the URL of Duo's prompt; the browser goes there,
/// and Duo sends it back to `GET /auth/duo/callback`. When Duo cannot be reached this fails
/// closed with 503 (`duo_unreachable`): sign in with a recovery code instead.
#[utoipa::path(
    tag = "auth",
    request_body = DuoLoginRequest,
    responses(
        (status = 200, description = "Go to Duo's prompt", body = DuoRedirect),
        (status = 400, description = "Malformed body", body = proto::Problem, content_type = "application/problem+json"),
        (status = 401, description = "The mfa_token expired or is not valid", body = proto::Problem, content_type = "application/problem+json"),
        (status = 403, description = "UI access off, or account deactivated", body = proto::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Duo is not set up for this account (`duo_not_available`)", body = proto::Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = proto::Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not JSON", body = proto::Problem, content_type = "application/problem+json"),
        (status = 422, description = "`mfa_token` empty or too long", body = proto::Problem, content_type = "application/problem+json"),
        (status = 503, description = "Duo cannot be reached (`duo_unreachable`)", body = proto::Problem, content_type = "application/problem+json")
    ),
    security(())
)]
#[post("/auth/login/duo")]
pub async fn begin_duo_sign_in(
    state: web::Data<AppState>,
    request: HttpRequest,
    body: JsonObject<DuoLoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let DuoLoginRequest { mfa_token } = body.into_inner();
    bounded("mfa_token", &mfa_token, 2000)?;
    let user_id = state
        .jwt
        .verify_mfa_challenge(&mfa_token)
        .ok_or(SignInError::ChallengeInvalid)?;
    let account = user::Entity::find_by_id(user_id)
        .one(&state.db)
        .await?
        .ok_or(SignInError::ChallengeInvalid)?;
    if !account.active {
        return Err(SignInError::Deactivated.into());
    }
    if !account.allow_ui_access {
        return Err(SignInError::UiAccessOff.into());
    }
    start(&state, &request, &account, DuoPurpose::SignIn).await
}

/// "Link Duo" on the profile page: returns the URL of Duo's prompt for the caller; once Duo
/// allows it, the callback marks the account linked (a session waiting for a second factor may
/// then do everything) and redirects to `/profile?duo=linked`.
#[utoipa::path(
    tag = "mfa",
    responses(
        (status = 200, description = "Go to Duo's prompt", body = DuoRedirect),
        (status = 403, description = "Only a signed-in session links Duo, not an API token", body = proto::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The tenant has no enabled Duo integration (`duo_not_available`)", body = proto::Problem, content_type = "application/problem+json"),
        (status = 503, description = "Duo cannot be reached (`duo_unreachable`)", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[post("/me/duo")]
pub async fn begin_duo_link(
    state: web::Data<AppState>,
    request: HttpRequest,
    enrolling: EnrollingCaller,
) -> Result<HttpResponse, ApiError> {
    let session_id = enrolling.caller.require_session()?;
    let account = user::Entity::find_by_id(enrolling.caller.user_id)
        .one(&state.db)
        .await?
        .ok_or(RequestError::Unauthenticated)?;
    start(&state, &request, &account, DuoPurpose::Link { session_id }).await
}

/// "Unlink Duo": the caller is no longer offered Duo at sign-in.
#[utoipa::path(
    tag = "mfa",
    responses(
        (status = 204, description = "Unlinked (or was not linked)")
    )
)]
#[delete("/me/duo")]
pub async fn unlink_duo(
    state: web::Data<AppState>,
    caller: Caller,
) -> Result<HttpResponse, ApiError> {
    let transaction = state.db.begin().await?;
    duo::unlink(&transaction, &caller).await?;
    transaction.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}

/// What Duo sends the browser back with.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DuoCallback {
    /// The authorization code, on success.
    duo_code: Option<String>,
    /// The `state` the round trip began with.
    state: Option<String>,
    /// Duo's error code, when it did not authenticate the user.
    error: Option<String>,
    /// Duo's explanation of `error`.
    error_description: Option<String>,
}

/// Where the browser goes after a refusal: the sign-in page or the profile page, with the code.
fn refused(state: &AppState, purpose: Option<DuoPurpose>, refusal: DuoRefusal) -> HttpResponse {
    tracing::info!(reason = refusal.code(), "the Duo step was refused");
    metrics::counter!("sign_in_failures_total", "step" => "duo").increment(1);
    let location = match purpose {
        Some(DuoPurpose::Link { .. }) => format!("/profile?duo_error={}", refusal.code()),
        Some(DuoPurpose::SignIn) | None => format!("/?sign_in_error={}", refusal.code()),
    };
    redirect(&location)
        .cookie(pending_cookie(state, String::new(), 0))
        .finish()
}

/// Where Duo sends the browser back: checks `state` against the pending round trip (a cookie of
/// this browser), redeems `duo_code`, verifies Duo's ID token (HS512 with the integration's
/// secret, issuer, audience, expiry, nonce, user) and requires `auth_result` allow. A sign-in
/// then gets its session cookie and `/`; a link is recorded and goes to `/profile?duo=linked`.
/// Any refusal goes to `/?sign_in_error=<code>` (or `/profile?duo_error=<code>`).
#[utoipa::path(
    tag = "auth",
    params(DuoCallback),
    responses((status = 302, description = "To the web app: signed in, linked, or with the reason for a refusal",
        headers(("Location" = String, description = "Where the browser goes next")))),
    security(())
)]
#[get("/auth/duo/callback")]
pub async fn complete_duo(
    state: web::Data<AppState>,
    request: HttpRequest,
    query: web::Query<DuoCallback>,
) -> Result<HttpResponse, ApiError> {
    let pending = request
        .cookie(PENDING_COOKIE)
        .and_then(|cookie| state.jwt.verify_pending_duo(cookie.value()));
    let Some(pending) = pending.filter(|pending| query.state.as_deref() == Some(&pending.state))
    else {
        return Ok(refused(&state, None, DuoRefusal::Expired));
    };
    if let Some(error) = &query.error {
        tracing::info!(error, description = ?query.error_description, "Duo did not authenticate the user");
        return Ok(refused(&state, Some(pending.purpose), DuoRefusal::Denied));
    }
    let Some(duo_code) = query.duo_code.as_deref().filter(|code| !code.is_empty()) else {
        return Ok(refused(&state, Some(pending.purpose), DuoRefusal::Invalid));
    };
    let source_ip = auth::source_ip_of(&request);
    let completed = duo::complete(
        &state.db,
        &state.duo,
        &state.mfa_key,
        &pending,
        duo_code,
        &callback_url(&request),
    )
    .await;
    let account = match completed {
        Ok(account) => account,
        Err(SignInError::Duo(refusal)) => {
            count_failure(&state, &pending, source_ip.as_deref(), refusal).await?;
            return Ok(refused(&state, Some(pending.purpose), refusal));
        }
        Err(SignInError::Deactivated) => {
            return Ok(redirect("/?sign_in_error=account_deactivated")
                .cookie(pending_cookie(&state, String::new(), 0))
                .finish());
        }
        Err(other) => return Err(other.into()),
    };
    match pending.purpose {
        DuoPurpose::SignIn => finish_sign_in(&state, account, source_ip).await,
        DuoPurpose::Link { session_id } => {
            let transaction = state.db.begin().await?;
            duo::link(&transaction, account, session_id, source_ip).await?;
            transaction.commit().await?;
            Ok(redirect("/profile?duo=linked")
                .cookie(pending_cookie(&state, String::new(), 0))
                .finish())
        }
    }
}

/// A denied or forged Duo step counts against the sign-in throttle, as a wrong code does.
async fn count_failure(
    state: &AppState,
    pending: &PendingDuo,
    source_ip: Option<&str>,
    refusal: DuoRefusal,
) -> Result<(), ApiError> {
    if !matches!(refusal, DuoRefusal::Denied | DuoRefusal::Invalid) {
        return Ok(());
    }
    let Some(account) = user::Entity::find_by_id(pending.user_id)
        .one(&state.db)
        .await?
    else {
        return Ok(());
    };
    let keys = std::iter::once(state.throttle.account(&account.email))
        .chain(source_ip.map(|ip| state.throttle.address(ip)));
    for key in keys {
        state.throttle.record_failure(&state.db, &key).await?;
    }
    Ok(())
}

async fn finish_sign_in(
    state: &AppState,
    account: user::Model,
    source_ip: Option<String>,
) -> Result<HttpResponse, ApiError> {
    if !account.allow_ui_access {
        return Ok(redirect("/?sign_in_error=ui_access_disabled")
            .cookie(pending_cookie(state, String::new(), 0))
            .finish());
    }
    state
        .throttle
        .clear(&state.db, &state.throttle.account(&account.email))
        .await?;
    let session = sign_in::open_session(
        &state.db,
        account,
        state.jwt.ttl_secs(),
        false,
        source_ip,
        SignInMethod::Duo,
    )
    .await?;
    let token = state.jwt.issue(session.user_id, session.id)?;
    Ok(redirect("/")
        .cookie(session_cookie(state, token, state.jwt.ttl().as_secs()))
        .cookie(pending_cookie(state, String::new(), 0))
        .finish())
}
