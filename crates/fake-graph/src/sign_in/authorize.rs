//! The authorize endpoint: auto-consent for a known `login_hint`, otherwise the account picker;
//! Entra's refusals as redirects or error pages.

use actix_web::{HttpResponse, http::header, web};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use serde::Deserialize;
use url::{Url, form_urlencoded};

use crate::{
    fixture::{DirectoryAccount, SignInScenario},
    server::FakeState,
};

use super::*;

/// The query of `GET /{tenant}/oauth2/v2.0/authorize`.
#[derive(Deserialize)]
pub(crate) struct AuthorizeQuery {
    client_id: Option<String>,
    response_type: Option<String>,
    redirect_uri: Option<String>,
    scope: Option<String>,
    state: Option<String>,
    nonce: Option<String>,
    code_challenge: Option<String>,
    code_challenge_method: Option<String>,
    login_hint: Option<String>,
    prompt: Option<String>,
    response_mode: Option<String>,
    /// The account picker's choice: the account's position in the fixture. Entra's picker
    /// posts to its own endpoints instead; the fake keeps no state between the two requests.
    fake_account: Option<String>,
    /// Set by the account picker's "Cancel".
    fake_cancel: Option<String>,
}

impl AuthorizeQuery {
    /// The URL that repeats this request with the picker's answer added.
    pub(super) fn with(&self, audience: &Audience, choice: (&str, &str)) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        let kept = [
            ("client_id", &self.client_id),
            ("response_type", &self.response_type),
            ("redirect_uri", &self.redirect_uri),
            ("scope", &self.scope),
            ("state", &self.state),
            ("nonce", &self.nonce),
            ("code_challenge", &self.code_challenge),
            ("code_challenge_method", &self.code_challenge_method),
            ("login_hint", &self.login_hint),
            ("response_mode", &self.response_mode),
        ];
        for (name, value) in kept {
            if let Some(value) = value {
                query.append_pair(name, value);
            }
        }
        query.append_pair(choice.0, choice.1);
        format!(
            "/{}/oauth2/v2.0/authorize?{}",
            audience.segment(),
            query.finish()
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ResponseMode {
    Query,
    Fragment,
    FormPost,
}

/// Where and how the authorize endpoint answers once the redirect URI is trusted.
pub(super) struct Reply<'a> {
    redirect_uri: &'a Url,
    mode: ResponseMode,
    state: Option<&'a str>,
}

impl Reply<'_> {
    fn send(&self, parameters: &[(&str, &str)]) -> HttpResponse {
        let mut parameters = parameters.to_vec();
        if let Some(state) = self.state {
            parameters.push(("state", state));
        }
        let mut target = self.redirect_uri.clone();
        match self.mode {
            ResponseMode::Query => {
                target.query_pairs_mut().extend_pairs(&parameters);
            }
            ResponseMode::Fragment => {
                let fragment = form_urlencoded::Serializer::new(String::new())
                    .extend_pairs(&parameters)
                    .finish();
                target.set_fragment(Some(&fragment));
            }
            ResponseMode::FormPost => return form_post_page(self.redirect_uri, &parameters),
        }
        HttpResponse::Found()
            .insert_header((header::LOCATION, target.as_str()))
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .finish()
    }

    fn error(&self, error: &str, description: &str) -> HttpResponse {
        self.send(&[("error", error), ("error_description", description)])
    }
}

/// `GET /{tenant}/oauth2/v2.0/authorize`. Errors that cannot be trusted to the redirect URI (an
/// unknown tenant or app, a redirect URI the app did not register) are an error page, as in
/// Entra; the others go back to the app.
pub(crate) async fn authorize(
    state: web::Data<FakeState>,
    tenant: web::Path<String>,
    query: web::Query<AuthorizeQuery>,
) -> HttpResponse {
    tokio::time::sleep(state.faults.latency()).await;
    let fixture = &state.fixture;
    let sign_in = &fixture.sign_in;
    let Some(audience) = Audience::resolve(fixture, &tenant) else {
        return error_page(&format!(
            "AADSTS90002: Tenant '{tenant}' not found. Check to make sure you have the correct \
             tenant ID and are signing into the correct cloud."
        ));
    };
    let Some(client_id) = query.client_id.as_deref().filter(|id| !id.is_empty()) else {
        return error_page(&missing_parameter("client_id"));
    };
    if sign_in.client_id.is_empty() || !client_id.eq_ignore_ascii_case(&sign_in.client_id) {
        return error_page(&app_not_found(client_id, audience.segment()));
    }
    let Some(redirect_text) = query.redirect_uri.as_deref().filter(|uri| !uri.is_empty()) else {
        return error_page("AADSTS900971: No reply address provided.");
    };
    let redirect_uri = match Url::parse(redirect_text) {
        Ok(uri) if redirect_uri_registered(&sign_in.redirect_uris, &uri) => uri,
        _ => return error_page(&redirect_uri_mismatch(redirect_text, client_id)),
    };
    let mut reply = Reply {
        redirect_uri: &redirect_uri,
        mode: ResponseMode::Query,
        state: query.state.as_deref(),
    };
    match query.response_mode.as_deref() {
        None | Some("query") => {}
        Some("fragment") => reply.mode = ResponseMode::Fragment,
        Some("form_post") => reply.mode = ResponseMode::FormPost,
        Some(other) => {
            return reply.error(
                "invalid_request",
                &format!("AADSTS70007: The response_mode '{other}' is not supported."),
            );
        }
    }
    match query.response_type.as_deref() {
        Some("code") => {}
        None | Some("") => {
            return reply.error(
                "unsupported_response_type",
                &missing_parameter("response_type"),
            );
        }
        Some(other) => {
            return reply.error("unsupported_response_type", &response_type_refused(other));
        }
    }
    let Some(scope) = query
        .scope
        .as_deref()
        .filter(|scope| !scope.trim().is_empty())
    else {
        return reply.error("invalid_request", &missing_parameter("scope"));
    };
    let requested: Vec<&str> = scope.split_whitespace().collect();
    if !requested.contains(&"openid") {
        return reply.error(
            "invalid_scope",
            &format!(
                "AADSTS70011: The provided value for the input parameter 'scope' is not valid. \
                 The scope '{scope}' does not contain 'openid', and this app only signs users in."
            ),
        );
    }
    let scopes: Vec<&'static str> = OIDC_SCOPES
        .into_iter()
        .filter(|granted| requested.contains(granted))
        .collect();
    // Entra makes PKCE optional for web apps; the product always sends it, and the fake insists
    // so that a relying party that forgets it fails in tests rather than in production.
    let Some(code_challenge) = query.code_challenge.as_deref().filter(|c| !c.is_empty()) else {
        return reply.error(
            "invalid_request",
            "AADSTS50147: The code_challenge parameter is missing. This app must use Proof Key \
             for Code Exchange (PKCE) with code_challenge_method 'S256'.",
        );
    };
    if query.code_challenge_method.as_deref() != Some("S256") {
        return reply.error(
            "invalid_request",
            &format!(
                "AADSTS501491: Invalid code_challenge_method '{}'. This app must use 'S256'.",
                query.code_challenge_method.as_deref().unwrap_or_default()
            ),
        );
    }
    if code_challenge.len() != 43 || URL_SAFE_NO_PAD.decode(code_challenge).is_err() {
        return reply.error(
            "invalid_request",
            "AADSTS501491: Invalid size of Code_Challenge parameter.",
        );
    }
    let prompt = query.prompt.as_deref().unwrap_or_default();
    if !matches!(
        prompt,
        "" | "none" | "login" | "consent" | "select_account" | "create"
    ) {
        return reply.error(
            "invalid_request",
            &format!("AADSTS90023: Invalid prompt value '{prompt}'."),
        );
    }
    if query.fake_cancel.is_some() {
        return reply.error(
            "access_denied",
            "AADSTS65004: User declined to consent to access the app.",
        );
    }
    let candidates: Vec<(usize, &DirectoryAccount)> = sign_in
        .accounts
        .iter()
        .enumerate()
        .filter(|(_, account)| audience.admits(account))
        .collect();
    let chosen = query
        .fake_account
        .as_deref()
        .and_then(|choice| choice.parse::<usize>().ok())
        .and_then(|choice| candidates.iter().find(|(index, _)| *index == choice));
    // A UPN belongs to one home tenant, where `organizations` signs it in; the fixture lists the
    // home account first. The same UPN in another tenant (a guest there) is reached through that
    // tenant's endpoint, the picker, or - the fake's own extension, since a hint cannot tell two
    // accounts with one UPN apart - a `login_hint` that is the account's object ID.
    let hinted = query
        .login_hint
        .as_deref()
        .filter(|hint| !hint.is_empty())
        .and_then(|hint| {
            let named_by = |matches: &dyn Fn(&DirectoryAccount) -> bool| {
                candidates.iter().find(|(_, account)| matches(account))
            };
            named_by(&|account| account.user_principal_name.eq_ignore_ascii_case(hint))
                .or_else(|| named_by(&|account| account.object_id.eq_ignore_ascii_case(hint)))
        });
    let signed_in = match (chosen, hinted) {
        (Some(&(index, _)), _) => Some(index),
        (None, Some(&(index, _))) if prompt != "select_account" => Some(index),
        _ => None,
    };
    if let Some(account) = signed_in {
        let already_expired = sign_in
            .accounts
            .get(account)
            .is_some_and(|account| account.scenario == SignInScenario::ExpiredCode);
        let (code, session_state) = state.sign_in.issue_code(
            IssuedCode {
                client_id: client_id.to_owned(),
                redirect_uri: redirect_text.to_owned(),
                code_challenge: code_challenge.to_owned(),
                nonce: query.nonce.clone(),
                account,
                scopes,
                issued_at: 0,
                expires_at: 0,
                redeemed: false,
            },
            already_expired,
        );
        return reply.send(&[("code", &code), ("session_state", &session_state)]);
    }
    if prompt == "none" {
        return reply.error(
            "login_required",
            "AADSTS50058: A silent sign-in request was sent but no user is signed in.",
        );
    }
    account_picker(&query, &audience, &candidates)
}
