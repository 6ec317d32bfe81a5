//! `GET /oauth/v1/authorize` shows the prompt for a signed request; its buttons post to
//! `POST /oauth/v1/authorize/decision`, which redirects to the application with a code.
//!
//! The request JWT is checked the way Duo must to accept every one of its clients, which differ:
//! Python, Go and Node put `iss` = client ID and `aud` = `https://{api host}` in it, C# sets
//! `aud` to the authorize URL itself, Java sends neither `iss` nor `aud`; C# sends
//! `use_duo_code_attribute` as the string `"true"` and only when it is on; Python passes the
//! nonce as a query parameter, not a claim. What is present must be right; the redirect URI,
//! state and username are taken from the signed request only, never from the query (Java puts
//! the redirect URI in the query unencoded).

use std::time::Instant;

use actix_web::{HttpRequest, HttpResponse, http::header, web};
use serde_json::{Map, Value};

use crate::assertion::{self, JwtProblem};
use crate::calls::CallOutcome;
use crate::grants::{Grant, Prompt};
use crate::pages;
use crate::params::{Params, addressed_host, unix_now};
use crate::server::FakeState;

pub(crate) const ENDPOINT: &str = "authorize";
pub(crate) const DECISION_ENDPOINT: &str = "authorize/decision";
/// The path the prompt's buttons post to.
pub(crate) const DECISION_PATH: &str = "/oauth/v1/authorize/decision";

/// The bounds Duo's Python client enforces on `state` (its Go, Java and C# clients ask 22).
const STATE_LENGTHS: std::ops::RangeInclusive<usize> = 16..=1024;

/// Why a request gets the error page instead of the prompt, and the OAuth error it amounts to.
struct Refused {
    error: &'static str,
    reason: String,
}

impl Refused {
    fn request(reason: impl Into<String>) -> Self {
        Self {
            error: "invalid_request",
            reason: reason.into(),
        }
    }

    fn client(reason: impl Into<String>) -> Self {
        Self {
            error: "invalid_client",
            reason: reason.into(),
        }
    }
}

pub(crate) async fn authorize(state: web::Data<FakeState>, request: HttpRequest) -> HttpResponse {
    let params = Params::of(&request, &[]);
    let client_id = params.get("client_id").unwrap_or_default().to_owned();
    match prompt_for(&state, &request, &params) {
        Ok(prompt) => {
            state
                .calls
                .record(ENDPOINT, &client_id, CallOutcome::Answered);
            let transaction = state.pending.open(prompt.clone(), Instant::now());
            pages::prompt(&prompt, &transaction)
        }
        Err(refused) => {
            state.calls.record(
                ENDPOINT,
                &client_id,
                CallOutcome::Refused(refused.error.to_owned()),
            );
            pages::error(&refused.reason)
        }
    }
}

fn prompt_for(
    state: &FakeState,
    request: &HttpRequest,
    params: &Params,
) -> Result<Prompt, Refused> {
    for name in ["response_type", "client_id", "request"] {
        if params.get(name).is_none() {
            return Err(Refused::request(format!(
                "Missing required parameter: {name}."
            )));
        }
    }
    if params.get("response_type") != Some("code") {
        return Err(Refused::request(
            "Unsupported response_type: only code is supported.",
        ));
    }
    let client_id = params.get("client_id").unwrap_or_default();
    let Some(integration) = state.fixture.integration(client_id) else {
        return Err(Refused::client(format!("Unknown client_id {client_id}.")));
    };
    let claims = assertion::verified_claims(
        params.get("request").unwrap_or_default(),
        &integration.client_secret,
    )
    .map_err(|problem| match problem {
        JwtProblem::Invalid => {
            Refused::client("The request JWT is not signed with this application's client secret.")
        }
        JwtProblem::Expired => Refused::request("The request JWT has expired (its exp claim)."),
        JwtProblem::MissingClaim(claim) => {
            Refused::request(format!("The request JWT lacks its {claim} claim."))
        }
        JwtProblem::NotHs512 => Refused::request("The request JWT must be signed with HS512."),
    })?;
    let host = addressed_host(request, state);
    check_claims(&claims, client_id, &host)?;
    let text = |name: &str| claims.get(name).and_then(Value::as_str).unwrap_or_default();
    let redirect_uri = url::Url::parse(text("redirect_uri"))
        .ok()
        .filter(|uri| matches!(uri.scheme(), "https" | "http") && uri.has_host())
        .ok_or_else(|| {
            Refused::request("The redirect_uri claim must be an absolute http(s) URL.")
        })?;
    let nonce = claims
        .get("nonce")
        .and_then(Value::as_str)
        .or_else(|| params.get("nonce"))
        .map(str::to_owned);
    Ok(Prompt {
        client_id: client_id.to_owned(),
        username: text("duo_uname").to_owned(),
        redirect_uri,
        state: text("state").to_owned(),
        nonce,
        use_duo_code: asks_for_duo_code(claims.get("use_duo_code_attribute")),
    })
}

/// `true`, or C#'s `"true"`; absent (C# when off) or anything else asks for `code`.
fn asks_for_duo_code(claim: Option<&Value>) -> bool {
    match claim {
        Some(Value::Bool(on)) => *on,
        Some(Value::String(on)) => on == "true",
        _ => false,
    }
}

fn check_claims(claims: &Map<String, Value>, client_id: &str, host: &str) -> Result<(), Refused> {
    let text = |name: &str| claims.get(name).and_then(Value::as_str);
    if text("client_id") != Some(client_id) {
        return Err(Refused::request(
            "The client_id claim must match the client_id parameter.",
        ));
    }
    if claims.contains_key("iss") && text("iss") != Some(client_id) {
        return Err(Refused::request("The iss claim must be the client_id."));
    }
    let api = format!("https://{host}");
    let authorize = format!("{api}/oauth/v1/authorize");
    if claims.contains_key("aud")
        && !assertion::audience_is(claims, &api)
        && !assertion::audience_is(claims, &authorize)
    {
        return Err(Refused::request(format!("The aud claim must be {api}.")));
    }
    if text("response_type") != Some("code") {
        return Err(Refused::request("The response_type claim must be code."));
    }
    if !text("scope").is_some_and(|scope| scope.split(' ').any(|scope| scope == "openid")) {
        return Err(Refused::request("The scope claim must include openid."));
    }
    let state_length = text("state").map_or(0, |state| state.chars().count());
    if !STATE_LENGTHS.contains(&state_length) {
        return Err(Refused::request(format!(
            "The state claim must be {} to {} characters long.",
            STATE_LENGTHS.start(),
            STATE_LENGTHS.end()
        )));
    }
    if text("duo_uname").is_none_or(str::is_empty) {
        return Err(Refused::request("The duo_uname claim must name the user."));
    }
    Ok(())
}

/// A press on **Approve** or **Deny**: records the decision with a new code and sends the
/// browser back to the application.
pub(crate) async fn decide(
    state: web::Data<FakeState>,
    request: HttpRequest,
    body: web::Bytes,
) -> HttpResponse {
    let params = Params::of(&request, &body);
    let approved = match params.get("decision") {
        Some("approve") => true,
        Some("deny") => false,
        _ => return refuse_decision(&state, "Choose Approve or Deny."),
    };
    let transaction = params.get("txid").unwrap_or_default();
    let Some(prompt) = state.pending.answer(transaction, Instant::now()) else {
        return refuse_decision(
            &state,
            "This login request has expired or was already answered. Start over from the application.",
        );
    };
    // The `deny` switch: the push is denied whatever the button said.
    let allowed = approved && !state.switches.deny();
    let outcome = if allowed {
        CallOutcome::Approved
    } else {
        CallOutcome::Denied
    };
    state
        .calls
        .record(DECISION_ENDPOINT, &prompt.client_id, outcome);
    let mut location = prompt.redirect_uri.clone();
    let code_name = if prompt.use_duo_code {
        "duo_code"
    } else {
        "code"
    };
    let grant = Grant {
        prompt: prompt.clone(),
        allowed,
        auth_time: unix_now(),
        access_ip: request.peer_addr().map(|address| address.ip().to_string()),
    };
    let code = state.pending.issue(grant, Instant::now());
    location
        .query_pairs_mut()
        .append_pair(code_name, &code)
        .append_pair("state", &prompt.state);
    HttpResponse::Found()
        .insert_header((header::LOCATION, location.as_str()))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .finish()
}

fn refuse_decision(state: &FakeState, reason: &str) -> HttpResponse {
    state.calls.record(
        DECISION_ENDPOINT,
        "",
        CallOutcome::Refused("invalid_request".to_owned()),
    );
    pages::error(reason)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn duo_code_is_asked_for_by_true_or_by_csharps_string() {
        assert!(asks_for_duo_code(Some(&json!(true))));
        assert!(asks_for_duo_code(Some(&json!("true"))));
        assert!(!asks_for_duo_code(Some(&json!(false))));
        assert!(!asks_for_duo_code(None));
    }
}
