//! `POST /oauth/v1/token`: exchanges a code for the ID token that carries the authentication's
//! result, as Duo's clients verify it: HS512 with the client secret, `iss` =
//! `https://{api host}/oauth/v1/token`, `aud` = the client ID, `exp` and `iat`,
//! `preferred_username` (and, for the Node client, `sub`) = the username, `nonce` when the
//! request had one. The answer carries `access_token`, `expires_in` and `token_type: Bearer`,
//! which the Go and Node clients require.
//!
//! Errors are OAuth's: 400 with `invalid_request`, `unsupported_grant_type` or `invalid_grant`
//! (Duo's wording), 401 with `invalid_client` for a bad client assertion, which is what users of
//! Duo's Java client report receiving from Duo.

use std::hash::{Hash, Hasher};
use std::time::Instant;

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, http::header, web};
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use serde_json::{Value, json};

use crate::assertion::{self, Refusal};
use crate::calls::CallOutcome;
use crate::fixture::DuoIntegration;
use crate::grants::Grant;
use crate::params::{Params, addressed_host, random_hex, unix_now};
use crate::server::FakeState;

pub(crate) const ENDPOINT: &str = "token";
const GRANT_TYPE: &str = "authorization_code";
const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/// Duo's own `error_description` for a code it will not exchange.
const INVALID_GRANT: &str = "The provided authorization grant or refresh token is invalid, \
expired, revoked, does not match the redirection URI.";
/// Lifetime of the ID and access tokens.
const TOKEN_LIFETIME_SECS: u64 = 3600;
/// What the `wrong_signature` switch signs ID tokens with instead of the client secret.
const WRONG_SECRET: &str = "not-the-client-secret-of-any-duo-application";

struct TokenError {
    status: StatusCode,
    error: &'static str,
    description: String,
}

impl TokenError {
    fn bad(error: &'static str, description: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            error,
            description: description.into(),
        }
    }

    fn grant() -> Self {
        Self::bad("invalid_grant", INVALID_GRANT)
    }
}

pub(crate) async fn token(
    state: web::Data<FakeState>,
    request: HttpRequest,
    body: web::Bytes,
) -> HttpResponse {
    let params = Params::of(&request, &body);
    // Duo's Java client sends no `client_id`: its assertion's issuer names the application.
    let client_id = params
        .get("client_id")
        .map(str::to_owned)
        .or_else(|| {
            params
                .get("client_assertion")
                .and_then(assertion::unverified_issuer)
        })
        .unwrap_or_default();
    match exchange(&state, &request, &params, &client_id) {
        Ok(answer) => {
            state
                .calls
                .record(ENDPOINT, &client_id, CallOutcome::Answered);
            HttpResponse::Ok()
                .insert_header((header::CACHE_CONTROL, "no-store"))
                .insert_header((header::PRAGMA, "no-cache"))
                .json(answer)
        }
        Err(refused) => {
            state.calls.record(
                ENDPOINT,
                &client_id,
                CallOutcome::Refused(refused.error.to_owned()),
            );
            HttpResponse::build(refused.status)
                .insert_header((header::CACHE_CONTROL, "no-store"))
                .json(json!({
                    "error": refused.error,
                    "error_description": refused.description,
                }))
        }
    }
}

fn exchange(
    state: &FakeState,
    request: &HttpRequest,
    params: &Params,
    client_id: &str,
) -> Result<Value, TokenError> {
    let required = |name: &str| {
        params.get(name).ok_or_else(|| {
            TokenError::bad(
                "invalid_request",
                format!("Missing required parameter: {name}"),
            )
        })
    };
    if required("grant_type")? != GRANT_TYPE {
        return Err(TokenError::bad(
            "unsupported_grant_type",
            "The authorization grant type is not supported: use authorization_code",
        ));
    }
    if required("client_assertion_type")? != ASSERTION_TYPE {
        return Err(TokenError::bad(
            "invalid_request",
            format!("The client_assertion_type must be {ASSERTION_TYPE}"),
        ));
    }
    let host = addressed_host(request, state);
    let integration = assertion::verify(
        &state.fixture,
        &state.seen_assertions,
        client_id,
        required("client_assertion")?,
        &format!("https://{host}/oauth/v1/token"),
    )
    .map_err(|Refusal(description)| TokenError {
        status: StatusCode::UNAUTHORIZED,
        error: "invalid_client",
        description,
    })?;
    let code = required("code")?;
    let redirect_uri = required("redirect_uri")?;
    // Redeemed (and so spent) before the checks below: a code is good for one try.
    let grant = state
        .pending
        .redeem(code, Instant::now())
        .ok_or_else(TokenError::grant)?;
    let same_redirect =
        url::Url::parse(redirect_uri).is_ok_and(|uri| uri == grant.prompt.redirect_uri);
    if grant.prompt.client_id != integration.client_id || !same_redirect {
        return Err(TokenError::grant());
    }
    let secret = if state.switches.wrong_signature() {
        WRONG_SECRET
    } else {
        integration.client_secret.as_str()
    };
    let id_token = encode(
        &Header::new(Algorithm::HS512),
        &id_token_claims(&grant, integration, &host),
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .map_err(|error| TokenError::bad("invalid_request", error.to_string()))?;
    Ok(json!({
        "id_token": id_token,
        "access_token": random_hex(24),
        "expires_in": TOKEN_LIFETIME_SECS,
        "token_type": "Bearer",
    }))
}

fn id_token_claims(grant: &Grant, integration: &DuoIntegration, host: &str) -> Value {
    let now = unix_now();
    let username = &grant.prompt.username;
    let auth_result = if grant.allowed {
        json!({"result": "allow", "status": "allow", "status_msg": "Login Successful"})
    } else {
        json!({"result": "deny", "status": "deny", "status_msg": "Login request denied."})
    };
    let mut claims = json!({
        "iss": format!("https://{host}/oauth/v1/token"),
        "aud": integration.client_id,
        "sub": username,
        "exp": now + TOKEN_LIFETIME_SECS,
        "iat": now,
        "jti": random_hex(16),
        "auth_time": grant.auth_time,
        "preferred_username": username,
        "auth_result": auth_result,
        "auth_context": auth_context(grant, integration),
    });
    if let (Some(nonce), Some(object)) = (&grant.prompt.nonce, claims.as_object_mut()) {
        object.insert("nonce".to_owned(), Value::String(nonce.clone()));
    }
    claims
}

/// The authentication as Duo's authentication log records it (the fields Duo's Go, Java and
/// Node clients model): a Duo Push, approved or denied on the user's phone.
fn auth_context(grant: &Grant, integration: &DuoIntegration) -> Value {
    let unknown_place = json!({"city": null, "country": null, "state": null});
    let (result, reason) = if grant.allowed {
        ("success", "user_approved")
    } else {
        ("denied", "user_mistake")
    };
    let isotimestamp = i64::try_from(grant.auth_time)
        .ok()
        .and_then(|seconds| chrono::DateTime::from_timestamp(seconds, 0))
        .map(|time| time.to_rfc3339())
        .unwrap_or_default();
    let id = random_hex(16);
    json!({
        "txid": format!("{}-{}-{}-{}-{}", &id[..8], &id[8..12], &id[12..16], &id[16..20], &id[20..]),
        "timestamp": grant.auth_time,
        "isotimestamp": isotimestamp,
        "event_type": "authentication",
        "factor": "duo_push",
        "result": result,
        "reason": reason,
        "alias": "",
        "email": "",
        "ood_software": null,
        "trusted_endpoint_status": "not trusted",
        "user": {"name": grant.prompt.username, "key": user_key(&grant.prompt.username), "groups": []},
        "application": {"name": "Web SDK", "key": integration.client_id},
        "auth_device": {"name": "Fake Duo Mobile", "ip": null, "location": unknown_place},
        "access_device": {
            "ip": grant.access_ip,
            "hostname": null,
            "epkey": null,
            "location": unknown_place,
        },
    })
}

/// A Duo user key (`DU` and 18 characters) that stays the same for a username.
fn user_key(username: &str) -> String {
    let mut hasher = std::hash::DefaultHasher::new();
    username.hash(&mut hasher);
    format!("DU{:018X}", u128::from(hasher.finish()))
}
