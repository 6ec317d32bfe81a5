//! Sign in with Microsoft (SPEC §14): the button's redirect to Microsoft and Microsoft's
//! redirect back. Both answer the browser with a redirect: back to the web app, signed in, at
//! the second-factor step, or with the reason for a refusal (`/?sign_in_error=<code>`).

use actix_web::{
    HttpRequest, HttpResponse,
    cookie::{Cookie, SameSite, time},
    get, web,
};
use domain::MicrosoftSignInRefusal;
use msp_graph::SignInFailure;
use proto::SignInProviders;
use serde::Deserialize;

use crate::{
    error::ApiError,
    infra::{
        auth::{self, MICROSOFT_SIGN_IN_TTL_SECS},
        state::AppState,
    },
    routes::{
        auth::session_cookie,
        redirects::{self, redirect},
    },
    services::{
        sign_in::{self, NextStep, SignInError, SignInMethod, microsoft},
        user_source::at_sign_in,
    },
};

/// The cookie that carries a sign-in with Microsoft between the two redirects.
const PENDING_COOKIE: &str = "msp_microsoft_sign_in";
const CALLBACK_PATH: &str = "/api/v1/auth/microsoft/callback";

fn callback_url(request: &HttpRequest) -> String {
    redirects::back_to(request, CALLBACK_PATH)
}

/// The pending sign-in's cookie: sent back only to these routes, and (`SameSite=Lax`) on the
/// top-level navigation from Microsoft's page.
fn pending_cookie(state: &AppState, value: String, max_age_secs: i64) -> Cookie<'static> {
    Cookie::build(PENDING_COOKIE, value)
        .path("/api/v1/auth/microsoft")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.cookie_secure)
        .max_age(time::Duration::seconds(max_age_secs))
        .finish()
}

/// Back to the sign-in page with the reason, and the pending sign-in forgotten.
fn refused(state: &AppState, refusal: MicrosoftSignInRefusal) -> HttpResponse {
    tracing::info!(reason = refusal.code(), "sign-in with Microsoft refused");
    metrics::counter!("sign_in_failures_total", "step" => "microsoft").increment(1);
    redirect(&format!("/?sign_in_error={}", refusal.code()))
        .cookie(pending_cookie(state, String::new(), 0))
        .finish()
}

/// Which ways to sign in this server offers besides e-mail and password.
#[utoipa::path(
    tag = "auth",
    responses((status = 200, description = "The sign-in providers", body = SignInProviders)),
    security(())
)]
#[get("/auth/providers")]
pub async fn sign_in_providers(state: web::Data<AppState>) -> web::Json<SignInProviders> {
    web::Json(SignInProviders {
        microsoft: state.microsoft.is_some(),
    })
}

/// The "Sign in with Microsoft" button: redirects to Microsoft's sign-in page (authorization
/// code flow with PKCE) and keeps the sign-in's state, nonce and PKCE verifier in a signed,
/// HttpOnly cookie for 10 minutes. Without a configured app registration it redirects back to the
/// sign-in page with `sign_in_error=microsoft_not_configured`.
#[utoipa::path(
    tag = "auth",
    responses((status = 302, description = "To Microsoft's sign-in page, or back to the sign-in page with `sign_in_error`",
        headers(("Location" = String, description = "Where the browser goes next")))),
    security(())
)]
#[get("/auth/microsoft")]
pub async fn begin_microsoft_sign_in(
    state: web::Data<AppState>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let Some(microsoft) = &state.microsoft else {
        return Ok(refused(&state, MicrosoftSignInRefusal::NotConfigured));
    };
    let begun = match microsoft.begin(&callback_url(&request)) {
        Ok(begun) => begun,
        Err(_) => return Ok(refused(&state, MicrosoftSignInRefusal::Unreachable)),
    };
    let cookie = state.jwt.issue_pending_sign_in(&begun.pending)?;
    Ok(redirect(&begun.authorize_url)
        .cookie(pending_cookie(&state, cookie, MICROSOFT_SIGN_IN_TTL_SECS))
        .finish())
}

/// What Microsoft sends the browser back with.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MicrosoftCallback {
    /// The authorization code, on success.
    code: Option<String>,
    /// The `state` the sign-in began with.
    state: Option<String>,
    /// Microsoft's error code, when it did not sign the user in (e.g. `access_denied`).
    error: Option<String>,
    /// Microsoft's explanation of `error` (AADSTS…).
    error_description: Option<String>,
}

fn refusal_of(failure: &SignInFailure) -> MicrosoftSignInRefusal {
    match failure {
        SignInFailure::CodeRefused(_) => MicrosoftSignInRefusal::CodeRefused,
        SignInFailure::TokenInvalid(_) => MicrosoftSignInRefusal::TokenInvalid,
        SignInFailure::Unreachable(_) => MicrosoftSignInRefusal::Unreachable,
    }
}

/// Where Microsoft sends the browser back: checks `state` against the pending sign-in, redeems
/// the code, verifies the ID token (Entra's keys, issuer of its tenant, this app, nonce,
/// expiry), finds the account (Entra object ID, then e-mail; the company's saved tenant ID must
/// be the token's) and signs it in as a password would: a session cookie and `/`, or `/#mfa_token=…`
/// when a second factor is due. Any refusal goes to `/?sign_in_error=<code>`.
#[utoipa::path(
    tag = "auth",
    params(MicrosoftCallback),
    responses((status = 302, description = "To the web app: signed in, at the second factor, or with `sign_in_error`",
        headers(("Location" = String, description = "Where the browser goes next")))),
    security(())
)]
#[get("/auth/microsoft/callback")]
pub async fn complete_microsoft_sign_in(
    state: web::Data<AppState>,
    request: HttpRequest,
    query: web::Query<MicrosoftCallback>,
) -> Result<HttpResponse, ApiError> {
    let Some(microsoft) = &state.microsoft else {
        return Ok(refused(&state, MicrosoftSignInRefusal::NotConfigured));
    };
    let pending = request
        .cookie(PENDING_COOKIE)
        .and_then(|cookie| state.jwt.verify_pending_sign_in(cookie.value()));
    let Some(pending) = pending.filter(|pending| query.state.as_deref() == Some(&pending.state))
    else {
        return Ok(refused(&state, MicrosoftSignInRefusal::Expired));
    };
    if let Some(error) = &query.error {
        tracing::info!(error, description = ?query.error_description, "Microsoft did not sign the user in");
        return Ok(refused(&state, MicrosoftSignInRefusal::Cancelled));
    }
    let Some(code) = query.code.as_deref().filter(|code| !code.is_empty()) else {
        return Ok(refused(&state, MicrosoftSignInRefusal::Cancelled));
    };
    let identity = match microsoft
        .complete(&callback_url(&request), code, &pending)
        .await
    {
        Ok(identity) => identity,
        Err(failure) => {
            tracing::warn!(%failure, "sign-in with Microsoft failed");
            return Ok(refused(&state, refusal_of(&failure)));
        }
    };
    let app = Some(microsoft.app());
    let user = match microsoft::account_for(&state.db, &identity).await {
        Ok(user) => user,
        // With Entra as a tenant's user source, its directory's people onboard themselves.
        Err(SignInError::Microsoft(MicrosoftSignInRefusal::NoAccount)) => {
            match at_sign_in::onboard(&state.db, &state.graph, app, &identity).await? {
                Some(user) => user,
                None => return Ok(refused(&state, MicrosoftSignInRefusal::NoAccount)),
            }
        }
        Err(SignInError::Microsoft(refusal)) => return Ok(refused(&state, refusal)),
        Err(other) => return Err(other.into()),
    };
    if !at_sign_in::still_in_directory(&state.reads, &state.db, &state.graph, app, &user).await? {
        return Ok(refused(&state, MicrosoftSignInRefusal::Deactivated));
    }
    let source_ip = auth::source_ip_of(&request);
    let enrolment_pending = match sign_in::next_step(&state.reads, &user).await? {
        NextStep::SecondFactor(methods) => {
            let mfa_token = state.jwt.issue_mfa_challenge(user.id)?;
            let methods: Vec<&str> = methods.iter().map(|method| method.as_str()).collect();
            return Ok(redirect(&format!(
                "/#mfa_token={mfa_token}&methods={}",
                methods.join(",")
            ))
            .cookie(pending_cookie(&state, String::new(), 0))
            .finish());
        }
        NextStep::EnrolFirst => true,
        NextStep::Done => false,
    };
    let session = sign_in::open_session(
        &state.db,
        user,
        state.jwt.ttl_secs(),
        enrolment_pending,
        source_ip,
        SignInMethod::Microsoft,
    )
    .await?;
    let token = state.jwt.issue(session.user_id, session.id)?;
    Ok(redirect("/")
        .cookie(session_cookie(&state, token, state.jwt.ttl().as_secs()))
        .cookie(pending_cookie(&state, String::new(), 0))
        .finish())
}
