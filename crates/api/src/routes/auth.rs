use actix_web::{
    HttpRequest, HttpResponse,
    cookie::{Cookie, SameSite, time},
    post, web,
};
use domain::NewPassword;
use proto::{
    AcceptInvitationRequest, LoginAnswer, LoginRequest, MfaChallenge, TokenResponse,
    TotpLoginRequest,
};
use sea_orm::TransactionTrait;

use crate::{
    error::{ApiError, RequestError},
    infra::{
        auth::{self, SESSION_COOKIE},
        state::AppState,
    },
    routes::json_object::JsonObject,
    services::{
        sessions,
        sign_in::{self, Attempt, NextStep, SignInMethod},
        user_source,
        users::passwords,
    },
};

const MAX_EMAIL_CHARS: usize = 254;

/// Signs in with e-mail and password. Returns a short-lived access token for a new server-side
/// session and sets it as an HttpOnly session cookie for the web app; or, when the account has
/// a second factor, `mfa_required` with an `mfa_token` for `POST /auth/login/totp`. A wrong
/// e-mail and a wrong password get the same 401; repeated failures for an account or an address
/// get 429 with `Retry-After`. An account whose UI access is off, or that is deactivated, gets
/// 403 with the reason.
#[utoipa::path(
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in, or a second factor is due", body = LoginAnswer),
        (status = 400, description = "Malformed body", body = proto::Problem, content_type = "application/problem+json"),
        (status = 401, description = "Wrong e-mail or password", body = proto::Problem, content_type = "application/problem+json"),
        (status = 403, description = "UI access off, or account deactivated", body = proto::Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = proto::Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not JSON", body = proto::Problem, content_type = "application/problem+json"),
        (status = 422, description = "E-mail or password missing", body = proto::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts", body = proto::Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait")))
    ),
    security(())
)]
#[post("/auth/login")]
pub async fn login(
    state: web::Data<AppState>,
    request: HttpRequest,
    body: JsonObject<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let LoginRequest { email, password } = body.into_inner();
    let mut missing = Vec::new();
    if email.trim().is_empty() {
        missing.push(("email", "enter your e-mail address"));
    }
    if password.is_empty() {
        missing.push(("password", "enter your password"));
    }
    // No address is longer (RFC 5321); a longer one is a mistake, not an account.
    if email.chars().count() > MAX_EMAIL_CHARS {
        return Err(ApiError::field(
            "email",
            "too_long",
            format!("an e-mail address has at most {MAX_EMAIL_CHARS} characters"),
        ));
    }
    if !missing.is_empty() {
        return Err(ApiError::from(RequestError::Validation(
            missing
                .into_iter()
                .map(|(field, message)| proto::FieldError::new(field, "required", message))
                .collect(),
        )));
    }

    let attempt = Attempt {
        email,
        password,
        source_ip: auth::source_ip_of(&request),
    };
    let source_ip = attempt.source_ip.clone();
    let user = sign_in::sign_in(&state.reads, &state.db, &state.throttle, attempt).await?;
    if !user_source::at_sign_in::still_in_directory(
        &state.reads,
        &state.db,
        &state.graph,
        state.operator_app(),
        &user,
    )
    .await?
    {
        return Err(sign_in::SignInError::Deactivated.into());
    }
    let enrolment_pending = match sign_in::next_step(&state.reads, &user).await? {
        NextStep::SecondFactor(methods) => {
            return Ok(
                HttpResponse::Ok().json(LoginAnswer::MfaRequired(MfaChallenge {
                    mfa_required: true,
                    mfa_token: state.jwt.issue_mfa_challenge(user.id)?,
                    methods,
                })),
            );
        }
        NextStep::EnrolFirst => true,
        NextStep::Done => false,
    };
    signed_in(&state, user, enrolment_pending, source_ip).await
}

/// Opens the session and answers with its access token, also as the session cookie.
pub(crate) async fn signed_in(
    state: &AppState,
    user: entity::user::Model,
    enrolment_pending: bool,
    source_ip: Option<String>,
) -> Result<HttpResponse, ApiError> {
    let session = sign_in::open_session(
        &state.db,
        user,
        state.jwt.ttl_secs(),
        enrolment_pending,
        source_ip,
        SignInMethod::Password,
    )
    .await?;
    let token = state.jwt.issue(session.user_id, session.id)?;
    let expires_in = state.jwt.ttl().as_secs();
    let cookie = session_cookie(state, token.clone(), expires_in);
    Ok(HttpResponse::Ok()
        .cookie(cookie)
        .json(LoginAnswer::SignedIn(TokenResponse {
            access_token: token,
            token_type: "Bearer".to_owned(),
            expires_in,
            mfa_enrolment_required: enrolment_pending,
        })))
}

/// The second step of a sign-in with a factor: the `mfa_token` of `POST /auth/login` and a code
/// from the authenticator app (or a recovery code). A code is accepted once; failures count
/// towards the sign-in throttle.
#[utoipa::path(
    tag = "auth",
    request_body = TotpLoginRequest,
    responses(
        (status = 200, description = "Signed in", body = TokenResponse),
        (status = 400, description = "Malformed body", body = proto::Problem, content_type = "application/problem+json"),
        (status = 401, description = "Wrong code, or the mfa_token expired", body = proto::Problem, content_type = "application/problem+json"),
        (status = 403, description = "UI access off, or account deactivated", body = proto::Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = proto::Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not JSON", body = proto::Problem, content_type = "application/problem+json"),
        (status = 422, description = "`mfa_token` or `code` empty or too long", body = proto::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts", body = proto::Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait")))
    ),
    security(())
)]
#[post("/auth/login/totp")]
pub async fn login_totp(
    state: web::Data<AppState>,
    request: HttpRequest,
    body: JsonObject<TotpLoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let TotpLoginRequest { mfa_token, code } = body.into_inner();
    bounded("mfa_token", &mfa_token, 2000)?;
    bounded("code", &code, 64)?;
    let user_id = state
        .jwt
        .verify_mfa_challenge(&mfa_token)
        .ok_or(sign_in::SignInError::ChallengeInvalid)?;
    let source_ip = auth::source_ip_of(&request);
    let user = sign_in::second_factor(
        &state.db,
        &state.throttle,
        &state.mfa_key,
        user_id,
        &code,
        source_ip.clone(),
    )
    .await?;
    signed_in(&state, user, false, source_ip).await
}

/// Sets the password of an invited user with the token of its invitation link (single use,
/// valid 7 days). The user then signs in.
#[utoipa::path(
    tag = "auth",
    request_body = AcceptInvitationRequest,
    responses(
        (status = 204, description = "Password set; sign in"),
        (status = 400, description = "Malformed body", body = proto::Problem, content_type = "application/problem+json"),
        (status = 410, description = "The link was used, expired or never issued", body = proto::Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = proto::Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not JSON", body = proto::Problem, content_type = "application/problem+json"),
        (status = 422, description = "The password breaks the policy (12–1024 characters)", body = proto::Problem, content_type = "application/problem+json")
    ),
    security(())
)]
#[post("/auth/accept-invitation")]
pub async fn accept_invitation(
    state: web::Data<AppState>,
    request: HttpRequest,
    body: JsonObject<AcceptInvitationRequest>,
) -> Result<HttpResponse, ApiError> {
    let AcceptInvitationRequest { token, password } = body.into_inner();
    bounded("token", &token, 200)?;
    let password = NewPassword::parse(&password)
        .map_err(|error| ApiError::field("password", "password_policy", error.to_string()))?;
    let transaction = state.db.begin().await?;
    passwords::accept_invitation(&transaction, &token, password, auth::source_ip_of(&request))
        .await?;
    transaction.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A required text field of at most `max` characters, as the document states.
pub fn bounded(field: &str, value: &str, max: usize) -> Result<(), ApiError> {
    if value.is_empty() {
        return Err(ApiError::field(
            field,
            "required",
            format!("{field} is required"),
        ));
    }
    if value.chars().count() > max {
        return Err(ApiError::field(
            field,
            "too_long",
            format!("{field} has at most {max} characters"),
        ));
    }
    Ok(())
}

pub(crate) fn session_cookie(
    state: &AppState,
    value: String,
    max_age_secs: u64,
) -> Cookie<'static> {
    let mut cookie = Cookie::build(SESSION_COOKIE, value)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(state.cookie_secure)
        .max_age(time::Duration::seconds(
            i64::try_from(max_age_secs).unwrap_or(i64::MAX),
        ))
        .finish();
    // With a public domain, customer tenants live on its sub-domains: the session follows the
    // technician there, so that opening one needs no new sign-in.
    if let Some(domain) = &state.addresses.public_domain {
        cookie.set_domain(domain.as_str().to_owned());
    }
    cookie
}

/// Signs out: ends the session the access token (header or cookie) names, so the token stops
/// working at once, and expires the session cookie. API tokens are revoked under `/api-tokens`.
#[utoipa::path(
    tag = "auth",
    responses((status = 204, description = "Signed out")),
    security(())
)]
#[post("/auth/logout")]
pub async fn logout(
    state: web::Data<AppState>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    if let Some(session_id) = auth::presented_session(&request, &state) {
        sessions::end(&state.db, session_id).await?;
    }
    Ok(HttpResponse::NoContent()
        .cookie(session_cookie(&state, String::new(), 0))
        .finish())
}
