//! The authorization code grant with PKCE, and the ID tokens it mints.

use actix_web::{HttpRequest, HttpResponse, http::header};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use serde_json::json;

use crate::{
    fixture::{DirectoryAccount, SignInScenario},
    server::FakeState,
    token::{TokenForm, entra_error, tenant_not_found},
};

use super::*;

impl SignInGrants {
    /// Stores `issued` under a new code, valid from now, or born already past its lifetime for
    /// the expired-code account; answers the code and a `session_state`.
    pub(super) fn issue_code(
        &self,
        mut issued: IssuedCode,
        already_expired: bool,
    ) -> (String, String) {
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

pub(super) fn mint_id_token(
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
