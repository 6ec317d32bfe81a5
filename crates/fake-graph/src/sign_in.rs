//! Entra as the OpenID Connect provider of "Sign in with Microsoft", answering as
//! login.microsoftonline.com does: the v2.0 discovery document per tenant, the signing keys, the
//! authorize endpoint (auto-consent for a `login_hint` it knows, otherwise an account picker),
//! the authorization code grant with PKCE, UserInfo and sign-out.
//!
//! There are no passwords and no sessions: picking an account, or naming it in `login_hint`, is
//! signing in as it. Codes and UserInfo tokens live in memory for the life of the fake.

use std::{
    collections::HashMap,
    sync::Mutex,
    time::{SystemTime, UNIX_EPOCH},
};

use actix_web::{
    HttpRequest, HttpResponse,
    http::{StatusCode, header},
    web,
};
use base64::{
    Engine,
    engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD},
};
use serde::Deserialize;
use serde_json::json;
use url::{Host, Url, form_urlencoded};

use crate::{
    fixture::{DirectoryAccount, Fixture, SignInScenario},
    server::FakeState,
    token::{TokenForm, entra_error, tenant_not_found},
};

/// Entra's authorization codes are valid for ten minutes.
const CODE_LIFETIME_SECS: u64 = 600;
/// Entra's ID tokens are valid for an hour.
const ID_TOKEN_LIFETIME_SECS: u64 = 3600;
/// Redeemed and expired codes are kept this long, so a second redemption still meets
/// AADSTS54005 rather than "unknown code"; older ones are dropped so a long demo stays small.
const CODE_MEMORY_SECS: u64 = 3600;
/// The OpenID Connect scopes the fake grants, in the order Entra's discovery lists them.
const OIDC_SCOPES: [&str; 3] = ["openid", "profile", "email"];

/// Codes handed out by the authorize endpoint, and access tokens the token endpoint issued to
/// signed-in users (they open UserInfo, never `/v1.0/contracts`).
#[derive(Default)]
pub(crate) struct SignInGrants {
    codes: Mutex<HashMap<String, IssuedCode>>,
    user_tokens: Mutex<HashMap<String, UserToken>>,
}

/// What an authorization code remembers of the request that got it.
struct IssuedCode {
    client_id: String,
    redirect_uri: String,
    code_challenge: String,
    nonce: Option<String>,
    account: usize,
    scopes: Vec<&'static str>,
    issued_at: u64,
    expires_at: u64,
    redeemed: bool,
}

struct UserToken {
    account: usize,
    client_id: String,
    scopes: Vec<&'static str>,
    expires_at: u64,
}

/// The `{tenant}` of a sign-in URL.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Audience {
    /// `organizations` or `common`: any work account, in any tenant.
    AnyTenant(&'static str),
    /// A tenant GUID the directory knows, lower case.
    Tenant(String),
}

impl Audience {
    fn resolve(fixture: &Fixture, segment: &str) -> Option<Self> {
        if segment.eq_ignore_ascii_case("organizations") {
            return Some(Self::AnyTenant("organizations"));
        }
        if segment.eq_ignore_ascii_case("common") {
            return Some(Self::AnyTenant("common"));
        }
        let known = std::iter::once(fixture.tenant_id.as_str()).chain(
            fixture
                .sign_in
                .accounts
                .iter()
                .map(|account| account.tenant_id.as_str()),
        );
        known
            .into_iter()
            .any(|tenant| tenant.eq_ignore_ascii_case(segment))
            .then(|| Self::Tenant(segment.to_ascii_lowercase()))
    }

    fn segment(&self) -> &str {
        match self {
            Self::AnyTenant(segment) => segment,
            Self::Tenant(tenant) => tenant,
        }
    }

    /// Entra names the issuer of a multi-tenant document with a template no token carries.
    fn issuer(&self, base: &str) -> String {
        match self {
            Self::AnyTenant(_) => format!("{base}/{{tenantid}}/v2.0"),
            Self::Tenant(tenant) => format!("{base}/{tenant}/v2.0"),
        }
    }

    fn admits(&self, account: &DirectoryAccount) -> bool {
        match self {
            Self::AnyTenant(_) => true,
            Self::Tenant(tenant) => account.tenant_id.eq_ignore_ascii_case(tenant),
        }
    }
}

/// `GET /{tenant}/v2.0/.well-known/openid-configuration`.
pub(crate) async fn discovery(
    state: web::Data<FakeState>,
    tenant: web::Path<String>,
) -> HttpResponse {
    tokio::time::sleep(state.faults.latency()).await;
    let Some(audience) = Audience::resolve(&state.fixture, &tenant) else {
        return tenant_not_found(&tenant);
    };
    let base = state.base_url.as_str();
    let segment = audience.segment();
    let host = base.trim_start_matches("https://");
    HttpResponse::Ok().json(json!({
        "token_endpoint": format!("{base}/{segment}/oauth2/v2.0/token"),
        "token_endpoint_auth_methods_supported":
            ["client_secret_post", "private_key_jwt", "client_secret_basic"],
        "jwks_uri": format!("{base}/{segment}/discovery/v2.0/keys"),
        "response_modes_supported": ["query", "fragment", "form_post"],
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
        "scopes_supported": ["openid", "profile", "email", "offline_access"],
        "issuer": audience.issuer(base),
        "request_uri_parameter_supported": false,
        // Entra points at Graph's UserInfo; the fake serves Graph on its own origin.
        "userinfo_endpoint": format!("{base}/oidc/userinfo"),
        "authorization_endpoint": format!("{base}/{segment}/oauth2/v2.0/authorize"),
        "device_authorization_endpoint": format!("{base}/{segment}/oauth2/v2.0/devicecode"),
        "http_logout_supported": true,
        "frontchannel_logout_supported": true,
        "end_session_endpoint": format!("{base}/{segment}/oauth2/v2.0/logout"),
        "claims_supported": [
            "sub", "iss", "cloud_instance_name", "cloud_instance_host_name",
            "cloud_graph_host_name", "msgraph_host", "aud", "exp", "iat", "auth_time", "acr",
            "nonce", "preferred_username", "name", "tid", "ver", "at_hash", "c_hash", "email",
        ],
        "kerberos_endpoint": format!("{base}/{segment}/kerberos"),
        "tenant_region_scope": match audience {
            Audience::AnyTenant(_) => serde_json::Value::Null,
            Audience::Tenant(_) => json!("EU"),
        },
        "cloud_instance_name": "microsoftonline.com",
        "cloud_graph_host_name": "graph.windows.net",
        "msgraph_host": host,
        "rbac_url": "https://pas.windows.net",
    }))
}

/// `GET /discovery/v2.0/keys` and `GET /{tenant}/discovery/v2.0/keys`: one key for every tenant,
/// as in Entra.
pub(crate) async fn keys(state: web::Data<FakeState>, request: HttpRequest) -> HttpResponse {
    tokio::time::sleep(state.faults.latency()).await;
    let audience = match request.match_info().get("tenant") {
        None => Audience::AnyTenant("common"),
        Some(tenant) => match Audience::resolve(&state.fixture, tenant) {
            Some(audience) => audience,
            None => return tenant_not_found(tenant),
        },
    };
    HttpResponse::Ok().json(json!({
        "keys": [state.keys.jwk(&audience.issuer(&state.base_url))],
    }))
}

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
    fn with(&self, audience: &Audience, choice: (&str, &str)) -> String {
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
enum ResponseMode {
    Query,
    Fragment,
    FormPost,
}

/// Where and how the authorize endpoint answers once the redirect URI is trusted.
struct Reply<'a> {
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

impl SignInGrants {
    /// Stores `issued` under a new code, valid from now, or born already past its lifetime for
    /// the expired-code account; answers the code and a `session_state`.
    fn issue_code(&self, mut issued: IssuedCode, already_expired: bool) -> (String, String) {
        let now = now_secs();
        issued.issued_at = if already_expired {
            now.saturating_sub(CODE_LIFETIME_SECS + 1)
        } else {
            now
        };
        issued.expires_at = issued.issued_at + CODE_LIFETIME_SECS;
        let code = format!("1.A{}", random_token::<48>());
        if let Ok(mut codes) = self.codes.lock() {
            codes.retain(|_, kept| kept.issued_at + CODE_MEMORY_SECS > now);
            codes.insert(code.clone(), issued);
        }
        (code, random_guid())
    }
}

/// The authorization code grant of `POST /{tenant}/oauth2/v2.0/token`, checked in Entra's order:
/// the tenant, the client and its secret, then the code and what it remembers.
pub(crate) fn redeem_code(
    state: &FakeState,
    tenant: &str,
    request: &HttpRequest,
    form: TokenForm,
) -> HttpResponse {
    let fixture = &state.fixture;
    let sign_in = &fixture.sign_in;
    let Some(audience) = Audience::resolve(fixture, tenant) else {
        return tenant_not_found(tenant);
    };
    // client_secret_basic wins over the form, as the header is the stronger statement.
    let (client_id, client_secret) = match basic_credentials(request) {
        Some((id, secret)) => (Some(id), Some(secret)),
        None => (form.client_id, form.client_secret),
    };
    let Some(client_id) = client_id.filter(|id| !id.is_empty()) else {
        return entra_error(
            400,
            "invalid_request",
            900144,
            &missing_parameter("client_id"),
        );
    };
    if sign_in.client_id.is_empty() || !client_id.eq_ignore_ascii_case(&sign_in.client_id) {
        return entra_error(
            400,
            "invalid_grant",
            700016,
            &app_not_found(&client_id, audience.segment()),
        );
    }
    let Some(client_secret) = client_secret.filter(|secret| !secret.is_empty()) else {
        return entra_error(
            401,
            "invalid_client",
            7000218,
            "AADSTS7000218: The request body must contain the following parameter: \
             'client_assertion' or 'client_secret'.",
        );
    };
    if client_secret != sign_in.client_secret {
        return entra_error(
            401,
            "invalid_client",
            7000215,
            &format!(
                "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in \
                 the request is the client secret value, not the client secret ID, for a secret \
                 added to app '{client_id}'."
            ),
        );
    }
    let Some(code) = form.code.filter(|code| !code.is_empty()) else {
        return entra_error(400, "invalid_request", 900144, &missing_parameter("code"));
    };
    let now = now_secs();
    let Ok(mut codes) = state.sign_in.codes.lock() else {
        return entra_error(
            500,
            "temporarily_unavailable",
            50000,
            "AADSTS50000: There was an error issuing a token.",
        );
    };
    let Some(issued) = codes.get_mut(&code) else {
        return entra_error(
            400,
            "invalid_grant",
            70000,
            "AADSTS70000: The provided value for the 'code' parameter is not valid.",
        );
    };
    if issued.redeemed {
        return entra_error(
            400,
            "invalid_grant",
            54005,
            "AADSTS54005: OAuth2 Authorization code was already redeemed, please retry with a \
             new valid code or use an existing refresh token.",
        );
    }
    if !issued.client_id.eq_ignore_ascii_case(&client_id) {
        return entra_error(
            400,
            "invalid_grant",
            700016,
            &app_not_found(&client_id, audience.segment()),
        );
    }
    if issued.expires_at <= now {
        return entra_error(
            400,
            "invalid_grant",
            70008,
            "AADSTS70008: The provided authorization code or refresh token has expired due to \
             inactivity. Send a new interactive authorization request for this user and \
             resource.",
        );
    }
    let Some(account) = sign_in.accounts.get(issued.account) else {
        return entra_error(
            400,
            "invalid_grant",
            70000,
            "AADSTS70000: The provided value for the 'code' parameter is not valid.",
        );
    };
    if let Audience::Tenant(tenant) = &audience
        && !account.tenant_id.eq_ignore_ascii_case(tenant)
    {
        return entra_error(
            400,
            "invalid_grant",
            700005,
            "AADSTS700005: Provided Authorization Code is intended to use against other tenant, \
             thus rejected.",
        );
    }
    let redirect_uri = form.redirect_uri.unwrap_or_default();
    if redirect_uri != issued.redirect_uri {
        return entra_error(
            400,
            "invalid_grant",
            50011,
            &format!(
                "AADSTS50011: The redirect URI '{redirect_uri}' specified in the request does \
                 not match the redirect URI used in the authorization request for the \
                 application '{client_id}'."
            ),
        );
    }
    let verifier = form.code_verifier.unwrap_or_default();
    if pkce_challenge(&verifier) != issued.code_challenge {
        return entra_error(
            400,
            "invalid_grant",
            501481,
            "AADSTS501481: The Code_Verifier does not match the code_challenge supplied in the \
             authorization request.",
        );
    }
    issued.redeemed = true;
    let nonce = issued.nonce.clone();
    let scopes = issued.scopes.clone();
    let account_index = issued.account;
    drop(codes);
    let id_token = match mint_id_token(state, account, &client_id, nonce.as_deref(), &scopes, now) {
        Ok(token) => token,
        Err(error) => {
            return entra_error(
                500,
                "temporarily_unavailable",
                50000,
                &format!("AADSTS50000: There was an error issuing a token: {error}"),
            );
        }
    };
    let access_token = format!("fake-graph-user.{}", random_token::<24>());
    if let Ok(mut tokens) = state.sign_in.user_tokens.lock() {
        tokens.retain(|_, token| token.expires_at > now);
        tokens.insert(
            access_token.clone(),
            UserToken {
                account: account_index,
                client_id: client_id.clone(),
                scopes: scopes.clone(),
                expires_at: now + ID_TOKEN_LIFETIME_SECS,
            },
        );
    }
    let mut answer = json!({
        "token_type": "Bearer",
        "scope": scopes.join(" "),
        "expires_in": 3599,
        "ext_expires_in": 3599,
        "access_token": access_token,
        "id_token": id_token,
    });
    if form.client_info.as_deref() == Some("1") {
        let client_info = json!({
            "uid": account.object_id,
            "utid": account.tenant_id.to_ascii_lowercase(),
        });
        answer["client_info"] = json!(URL_SAFE_NO_PAD.encode(client_info.to_string()));
    }
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(answer)
}

fn mint_id_token(
    state: &FakeState,
    account: &DirectoryAccount,
    client_id: &str,
    nonce: Option<&str>,
    scopes: &[&str],
    now: u64,
) -> Result<String, jsonwebtoken::errors::Error> {
    let tenant = account.tenant_id.to_ascii_lowercase();
    let mut claims = serde_json::Map::new();
    let mut claim = |name: &str, value: serde_json::Value| {
        claims.insert(name.to_owned(), value);
    };
    claim("aud", json!(client_id));
    claim("iss", json!(format!("{}/{tenant}/v2.0", state.base_url)));
    claim("iat", json!(now));
    claim("nbf", json!(now));
    claim("exp", json!(now + ID_TOKEN_LIFETIME_SECS));
    if scopes.contains(&"profile") {
        claim("name", json!(account.display_name));
    }
    if let Some(nonce) = nonce {
        claim("nonce", json!(nonce));
    }
    claim("oid", json!(account.object_id));
    if scopes.contains(&"profile") {
        claim("preferred_username", json!(account.user_principal_name));
    }
    if scopes.contains(&"email") {
        claim("email", json!(account.user_principal_name));
    }
    claim("rh", json!(format!("0.A{}.", random_token::<24>())));
    claim("sub", json!(pairwise_subject(account, client_id)));
    claim("tid", json!(tenant));
    claim("uti", json!(random_token::<16>()));
    claim("ver", json!("2.0"));
    let verifiable = account.scenario != SignInScenario::BadSignature;
    state.keys.sign(&claims, verifiable)
}

/// `GET`/`POST /oidc/userinfo` with a token from the authorization code grant, as Graph answers.
pub(crate) async fn userinfo(state: web::Data<FakeState>, request: HttpRequest) -> HttpResponse {
    tokio::time::sleep(state.faults.latency()).await;
    let bearer = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "));
    let now = now_secs();
    let known = bearer.and_then(|token| {
        let tokens = state.sign_in.user_tokens.lock().ok()?;
        let token = tokens.get(token).filter(|token| token.expires_at > now)?;
        let account = state.fixture.sign_in.accounts.get(token.account)?;
        Some((
            account.clone(),
            token.client_id.clone(),
            token.scopes.clone(),
        ))
    });
    let Some((account, client_id, scopes)) = known else {
        return HttpResponse::Unauthorized().json(json!({
            "error": {
                "code": "InvalidAuthenticationToken",
                "message": "Access token validation failure.",
            }
        }));
    };
    let mut answer = serde_json::Map::new();
    answer.insert(
        "sub".to_owned(),
        json!(pairwise_subject(&account, &client_id)),
    );
    if scopes.contains(&"profile") {
        answer.insert("name".to_owned(), json!(account.display_name));
    }
    if scopes.contains(&"email") {
        answer.insert("email".to_owned(), json!(account.user_principal_name));
    }
    HttpResponse::Ok().json(answer)
}

#[derive(Deserialize)]
pub(crate) struct LogoutQuery {
    post_logout_redirect_uri: Option<String>,
    state: Option<String>,
}

/// `GET /{tenant}/oauth2/v2.0/logout`: there is no session to end, so it only sends the browser
/// back to a registered `post_logout_redirect_uri`, or says the user is signed out.
pub(crate) async fn logout(
    state: web::Data<FakeState>,
    query: web::Query<LogoutQuery>,
) -> HttpResponse {
    tokio::time::sleep(state.faults.latency()).await;
    let target = query
        .post_logout_redirect_uri
        .as_deref()
        .and_then(|uri| Url::parse(uri).ok())
        .filter(|uri| redirect_uri_registered(&state.fixture.sign_in.redirect_uris, uri));
    match target {
        Some(mut target) => {
            if let Some(logout_state) = query.state.as_deref() {
                target.query_pairs_mut().append_pair("state", logout_state);
            }
            HttpResponse::Found()
                .insert_header((header::LOCATION, target.as_str()))
                .finish()
        }
        None => html_page(
            StatusCode::OK,
            "<h1>You signed out of your account</h1>\
             <p>It\u{2019}s a good idea to close all browser windows.</p>",
            None,
        ),
    }
}

/// Entra's rule for a web app's redirect URIs: `https`, or `http` on a loopback host, with no
/// fragment; a loopback URI matches a registered one on any port.
fn redirect_uri_registered(registered: &[String], uri: &Url) -> bool {
    let loopback = match uri.host() {
        Some(Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(address)) => address.is_loopback(),
        Some(Host::Ipv6(address)) => address.is_loopback(),
        None => false,
    };
    let scheme_allowed = uri.scheme() == "https" || (uri.scheme() == "http" && loopback);
    if !scheme_allowed || uri.fragment().is_some() {
        return false;
    }
    if registered.is_empty() {
        return true;
    }
    registered.iter().any(|registered| {
        let Ok(registered) = Url::parse(registered) else {
            return false;
        };
        registered == *uri
            || (loopback
                && registered.scheme() == uri.scheme()
                && same_host(registered.host(), uri.host())
                && registered.path() == uri.path()
                && registered.query() == uri.query())
    })
}

fn same_host(left: Option<Host<&str>>, right: Option<Host<&str>>) -> bool {
    match (left, right) {
        (Some(Host::Domain(left)), Some(Host::Domain(right))) => left.eq_ignore_ascii_case(right),
        (Some(Host::Ipv4(left)), Some(Host::Ipv4(right))) => left == right,
        (Some(Host::Ipv6(left)), Some(Host::Ipv6(right))) => left == right,
        _ => false,
    }
}

/// RFC 6749 §2.3.1: the client ID and secret are form-encoded before they are joined and
/// base64-encoded, so they are decoded the same way.
fn basic_credentials(request: &HttpRequest) -> Option<(String, String)> {
    let value = request
        .headers()
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    let form_decode = |text: &str| {
        percent_encoding::percent_decode_str(&text.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned()
    };
    Some((form_decode(id), form_decode(secret)))
}

/// RFC 7636's S256: base64url(SHA-256(verifier)).
fn pkce_challenge(verifier: &str) -> String {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, verifier.as_bytes());
    URL_SAFE_NO_PAD.encode(digest.as_ref())
}

/// Entra's `sub` is pairwise: stable for one user and one app, different for another app, and
/// opaque.
fn pairwise_subject(account: &DirectoryAccount, client_id: &str) -> String {
    let input = format!(
        "{}|{}|{}",
        account.tenant_id.to_ascii_lowercase(),
        account.object_id.to_ascii_lowercase(),
        client_id.to_ascii_lowercase()
    );
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, input.as_bytes());
    URL_SAFE_NO_PAD.encode(digest.as_ref())
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|since| since.as_secs())
        .unwrap_or_default()
}

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    // Without randomness the fake still works; codes are then merely guessable.
    let _ = getrandom::fill(&mut bytes);
    bytes
}

fn random_token<const N: usize>() -> String {
    URL_SAFE_NO_PAD.encode(random_bytes::<N>())
}

/// A version-4 GUID, the shape of Entra's `session_state`.
fn random_guid() -> String {
    let mut bytes = random_bytes::<16>();
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

fn missing_parameter(name: &str) -> String {
    format!("AADSTS900144: The request body must contain the following parameter: '{name}'.")
}

fn app_not_found(client_id: &str, tenant: &str) -> String {
    format!(
        "AADSTS700016: Application with identifier '{client_id}' was not found in the directory \
         '{tenant}'. This can happen if the application has not been installed by the \
         administrator of the tenant or consented to by any user in the tenant. You may have \
         sent your authentication request to the wrong tenant."
    )
}

fn redirect_uri_mismatch(redirect_uri: &str, client_id: &str) -> String {
    format!(
        "AADSTS50011: The redirect URI '{redirect_uri}' specified in the request does not match \
         the redirect URIs configured for the application '{client_id}'. Make sure the redirect \
         URI sent in the request matches one added to your application in the Azure portal."
    )
}

fn response_type_refused(response_type: &str) -> String {
    let parts: Vec<&str> = response_type.split_whitespace().collect();
    if parts.contains(&"token") {
        "AADSTS700051: response_type 'token' is not enabled for the application.".to_owned()
    } else if parts.contains(&"id_token") {
        "AADSTS700054: response_type 'id_token' is not enabled for the application.".to_owned()
    } else {
        format!(
            "AADSTS70005: The provided value for the input parameter 'response_type' \
             ('{response_type}') is not allowed for this request. Expected value is 'code', \
             'id_token', 'token' or a combination of them."
        )
    }
}

/// The page's only style sheet; the Content-Security-Policy admits it by its hash, so the page
/// needs nothing from another origin and nothing inline beyond it.
const STYLE: &str = "body{font-family:'Segoe UI',system-ui,sans-serif;background:#f2f2f2;\
margin:0;color:#1b1b1b}main{max-width:440px;margin:48px auto;background:#fff;padding:44px;\
box-shadow:0 2px 6px rgba(0,0,0,.2)}h1{font-size:1.5rem;font-weight:600;margin:16px 0 8px}\
.brand{font-weight:600;color:#5e5e5e}ul{list-style:none;padding:0;margin:16px 0}\
li a{display:block;padding:12px 8px;border-top:1px solid #e6e6e6;color:inherit;\
text-decoration:none}li a:hover,li a:focus{background:#f2f2f2}.upn{display:block;\
color:#5e5e5e;font-size:.875rem}.error{color:#a80000}";

/// Submits the `form_post` answer; admitted by its hash like the style sheet.
const SUBMIT_SCRIPT: &str = "document.forms[0].submit();";

fn csp_hash(source: &str) -> String {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, source.as_bytes());
    format!("'sha256-{}'", STANDARD.encode(digest.as_ref()))
}

fn html_page(status: StatusCode, body: &str, script: Option<&str>) -> HttpResponse {
    let mut policy = format!(
        "default-src 'none'; style-src {}; form-action *; frame-ancestors 'none'; \
         base-uri 'none'",
        csp_hash(STYLE)
    );
    let script_tag = match script {
        Some(script) => {
            policy.push_str(&format!("; script-src {}", csp_hash(script)));
            format!("<script>{script}</script>")
        }
        None => String::new(),
    };
    let page = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Sign in to your account</title><style>{STYLE}</style></head>\
         <body><main><p class=\"brand\">Microsoft</p>{body}</main>{script_tag}</body></html>\n"
    );
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CONTENT_SECURITY_POLICY, policy))
        .insert_header((header::X_FRAME_OPTIONS, "DENY"))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::REFERRER_POLICY, "no-referrer"))
        .body(page)
}

fn error_page(message: &str) -> HttpResponse {
    html_page(
        StatusCode::BAD_REQUEST,
        &format!(
            "<h1>Sign in</h1><p>Sorry, but we\u{2019}re having trouble signing you in.</p>\
             <p class=\"error\" role=\"alert\">{}</p>",
            escape(message)
        ),
        None,
    )
}

/// "Pick an account": one link per account, named by its display name and UPN, and "Cancel".
fn account_picker(
    query: &AuthorizeQuery,
    audience: &Audience,
    accounts: &[(usize, &DirectoryAccount)],
) -> HttpResponse {
    let mut items = String::new();
    for (index, account) in accounts {
        items.push_str(&format!(
            "<li><a href=\"{}\"><span class=\"name\">{}</span> \
             <span class=\"upn\">{}</span></a></li>",
            escape(&query.with(audience, ("fake_account", &index.to_string()))),
            escape(&account.display_name),
            escape(&account.user_principal_name),
        ));
    }
    if accounts.is_empty() {
        items.push_str("<li>No account of this directory can sign in here.</li>");
    }
    let body = format!(
        "<h1>Pick an account</h1><p>to continue to the application</p>\
         <ul aria-label=\"Accounts\">{items}</ul><p><a href=\"{}\">Cancel</a></p>",
        escape(&query.with(audience, ("fake_cancel", "1"))),
    );
    html_page(StatusCode::OK, &body, None)
}

/// `response_mode=form_post`: the answer as a form the browser posts to the app.
fn form_post_page(redirect_uri: &Url, parameters: &[(&str, &str)]) -> HttpResponse {
    let fields: String = parameters
        .iter()
        .map(|(name, value)| {
            format!(
                "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
                escape(name),
                escape(value)
            )
        })
        .collect();
    let body = format!(
        "<h1>Continue</h1><form method=\"post\" action=\"{}\">{fields}\
         <noscript><button type=\"submit\">Continue</button></noscript></form>",
        escape(redirect_uri.as_str())
    );
    html_page(StatusCode::OK, &body, Some(SUBMIT_SCRIPT))
}

fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            other => escaped.push(other),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_registered_loopback_redirect_uri_matches_on_any_port() {
        let registered = vec!["http://localhost/auth/callback".to_owned()];
        let parse = |uri: &str| Url::parse(uri).unwrap();
        assert!(redirect_uri_registered(
            &registered,
            &parse("http://localhost:8443/auth/callback")
        ));
        assert!(!redirect_uri_registered(
            &registered,
            &parse("http://localhost:8443/elsewhere")
        ));
        assert!(!redirect_uri_registered(
            &registered,
            &parse("https://example.test/auth/callback")
        ));
    }

    #[test]
    fn without_registered_uris_only_https_or_loopback_http_is_accepted() {
        let parse = |uri: &str| Url::parse(uri).unwrap();
        assert!(redirect_uri_registered(
            &[],
            &parse("https://app.example.test/cb")
        ));
        assert!(redirect_uri_registered(
            &[],
            &parse("http://127.0.0.1:9/cb")
        ));
        assert!(redirect_uri_registered(&[], &parse("http://[::1]:9/cb")));
        assert!(!redirect_uri_registered(
            &[],
            &parse("http://app.example.test/cb")
        ));
        assert!(!redirect_uri_registered(
            &[],
            &parse("https://app.example.test/cb#x")
        ));
    }

    #[test]
    fn the_s256_challenge_matches_rfc_7636_appendix_b() {
        assert_eq!(
            pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn basic_credentials_are_form_decoded() {
        let request = actix_web::test::TestRequest::default()
            .insert_header((
                header::AUTHORIZATION,
                format!("Basic {}", STANDARD.encode("my%3Aapp:s%2Bcret+x")),
            ))
            .to_http_request();
        assert_eq!(
            basic_credentials(&request),
            Some(("my:app".to_owned(), "s+cret x".to_owned()))
        );
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(
            escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }

    #[test]
    fn session_states_look_like_guids() {
        let guid = random_guid();
        assert_eq!(guid.len(), 36);
        assert_eq!(guid.as_bytes()[14], b'4');
    }
}
