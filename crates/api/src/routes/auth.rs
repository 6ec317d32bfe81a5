use actix_web::{
    HttpRequest, HttpResponse,
    cookie::{Cookie, SameSite, time},
    post, web,
};
use proto::{LoginRequest, TokenResponse};

use crate::{
    error::{ApiError, RequestError},
    infra::{
        auth::{self, SESSION_COOKIE},
        state::AppState,
    },
    routes::json_object::JsonObject,
    services::sign_in::{self, Attempt},
};

const MAX_EMAIL_CHARS: usize = 254;

/// Signs in with e-mail and password. Returns a short-lived access token and sets it as an
/// HttpOnly session cookie for the web app. A wrong e-mail and a wrong password get the same 401;
/// repeated failures for an account or an address get 429 with `Retry-After`.
#[utoipa::path(
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = TokenResponse),
        (status = 400, description = "Malformed body", body = proto::Problem, content_type = "application/problem+json"),
        (status = 401, description = "Wrong e-mail or password", body = proto::Problem, content_type = "application/problem+json"),
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
    let user = sign_in::sign_in(&state.db, &state.throttle, attempt).await?;
    let token = state
        .jwt
        .issue(user.id, user.tenant_id, user.role, user.claims.0.clone())?;

    let expires_in = state.jwt.ttl().as_secs();
    let cookie = session_cookie(&state, token.clone(), expires_in);
    Ok(HttpResponse::Ok().cookie(cookie).json(TokenResponse {
        access_token: token,
        token_type: "Bearer".to_owned(),
        expires_in,
    }))
}

fn session_cookie(state: &AppState, value: String, max_age_secs: u64) -> Cookie<'static> {
    Cookie::build(SESSION_COOKIE, value)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(state.cookie_secure)
        .max_age(time::Duration::seconds(
            i64::try_from(max_age_secs).unwrap_or(i64::MAX),
        ))
        .finish()
}

/// Signs out of the web app by expiring the session cookie. (An access token sent in the header
/// simply expires; API tokens are revoked under `/api-tokens`.)
#[utoipa::path(
    tag = "auth",
    responses((status = 204, description = "Signed out")),
    security(())
)]
#[post("/auth/logout")]
pub async fn logout(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::NoContent()
        .cookie(session_cookie(&state, String::new(), 0))
        .finish()
}
