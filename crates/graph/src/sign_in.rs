//! Sign in with Microsoft (SPEC §14): OpenID Connect's authorization code flow with PKCE against
//! Entra's multi-tenant `organizations` endpoints, through the `openidconnect` crate.
//!
//! Entra's multi-tenant discovery document names its issuer as the template
//! `https://login.microsoftonline.com/{tenantid}/v2.0`, which no ID token carries, so the crate's
//! issuer check cannot pass against it. The code is therefore exchanged at the `organizations`
//! token endpoint, and the ID token is then verified against the discovery document of the
//! tenant it names (`{authority}/{tid}/v2.0`): that tenant's issuer, Entra's signing keys,
//! this app as audience, the nonce and the expiry.

use std::{fmt, sync::Arc};

use openidconnect::{
    AdditionalClaims, AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken,
    EmptyExtraTokenFields, EndpointNotSet, EndpointSet, IdTokenFields, IssuerUrl, Nonce,
    PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, RequestTokenError, Scope,
    StandardErrorResponse, StandardTokenResponse, TokenResponse, TokenUrl,
    core::{
        CoreAuthDisplay, CoreAuthPrompt, CoreAuthenticationFlow, CoreErrorResponseType,
        CoreGenderClaim, CoreJsonWebKey, CoreJweContentEncryptionAlgorithm,
        CoreJwsSigningAlgorithm, CoreProviderMetadata, CoreRevocableToken,
        CoreRevocationErrorResponse, CoreTokenIntrospectionResponse, CoreTokenType,
    },
};
use serde::{Deserialize, Serialize};

use crate::{GraphSettings, GraphSetupError};

/// The claims Entra adds to an ID token that identify the user across its directory.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct EntraClaims {
    /// The tenant the user signed in to.
    tid: String,
    /// The user's object ID in that tenant (SCIM's `externalId`).
    oid: String,
}

impl AdditionalClaims for EntraClaims {}

type EntraTokenResponse = StandardTokenResponse<
    IdTokenFields<
        EntraClaims,
        EmptyExtraTokenFields,
        CoreGenderClaim,
        CoreJweContentEncryptionAlgorithm,
        CoreJwsSigningAlgorithm,
    >,
    CoreTokenType,
>;

type EntraClient<HasAuthUrl, HasTokenUrl> = openidconnect::Client<
    EntraClaims,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    EntraTokenResponse,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    HasAuthUrl,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    HasTokenUrl,
    EndpointNotSet,
>;

/// The operator's multi-tenant app registration that signs technicians in.
#[derive(Clone)]
pub struct SignInApp {
    pub client_id: String,
    pub client_secret: String,
}

impl fmt::Debug for SignInApp {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("SignInApp")
            .field("client_id", &self.client_id)
            .field("client_secret", &"[redacted]")
            .finish()
    }
}

/// What a sign-in must remember between the redirect to Microsoft and the way back: kept by the
/// browser (in a signed cookie), so any replica can finish it.
#[derive(Clone, Serialize, Deserialize)]
pub struct PendingSignIn {
    /// The `state` Microsoft must send back (against cross-site request forgery).
    pub state: String,
    /// The `nonce` the ID token must carry (against replayed tokens).
    pub nonce: String,
    /// PKCE: only the holder of this can redeem the code.
    pub pkce_verifier: String,
}

impl fmt::Debug for PendingSignIn {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("PendingSignIn([redacted])")
    }
}

/// Where to send the browser, and what to remember.
#[derive(Debug)]
pub struct BegunSignIn {
    pub authorize_url: String,
    pub pending: PendingSignIn,
}

/// Who Microsoft says signed in, from a verified ID token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MicrosoftIdentity {
    /// `tid`: the Entra tenant the user signed in to.
    pub tenant_id: String,
    /// `oid`: the user's object ID in that tenant.
    pub object_id: String,
    /// `preferred_username`: normally the UPN.
    pub user_name: Option<String>,
    pub email: Option<String>,
    pub name: Option<String>,
}

/// Why Microsoft's side of a sign-in failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignInFailure {
    /// Microsoft refused the code: expired, already used, or not for this app or browser.
    #[error("Microsoft did not accept the sign-in code: {0}")]
    CodeRefused(String),
    /// The ID token is missing, unsigned by Microsoft's keys, for another app, expired, or
    /// without the nonce of this sign-in.
    #[error("Microsoft's answer could not be verified: {0}")]
    TokenInvalid(String),
    #[error("Microsoft's sign-in service cannot be reached: {0}")]
    Unreachable(String),
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct HttpFailure(String);

/// Signs users in with Microsoft Entra for one app registration.
#[derive(Clone)]
pub struct MicrosoftSignIn {
    http: reqwest::Client,
    settings: Arc<GraphSettings>,
    app: Arc<SignInApp>,
}

impl fmt::Debug for MicrosoftSignIn {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("MicrosoftSignIn")
            .field("authority", &self.settings.authority_url.as_str())
            .field("app", &self.app)
            .finish()
    }
}

async fn send(
    http: &reqwest::Client,
    request: openidconnect::HttpRequest,
) -> Result<openidconnect::HttpResponse, HttpFailure> {
    let (parts, body) = request.into_parts();
    let response = http
        .request(parts.method, parts.uri.to_string())
        .headers(parts.headers)
        .body(body)
        .send()
        .await
        .map_err(|error| HttpFailure(error.to_string()))?;
    let mut answer = openidconnect::http::Response::builder().status(response.status());
    for (name, value) in response.headers() {
        answer = answer.header(name, value);
    }
    let body = response
        .bytes()
        .await
        .map_err(|error| HttpFailure(error.to_string()))?;
    answer
        .body(body.to_vec())
        .map_err(|error| HttpFailure(error.to_string()))
}

/// The `tid` an ID token names, read before it is verified only to choose which tenant's
/// issuer and keys verify it; a value that is not a GUID is refused (it becomes part of a URL).
fn unverified_tenant(id_token: &str) -> Option<String> {
    use base64::Engine;
    let payload = id_token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    let tid = claims.get("tid")?.as_str()?;
    domain::AzureTenantId::parse(tid)
        .ok()
        .map(|tenant| tenant.to_string())
}

impl MicrosoftSignIn {
    /// The operator's app registration, which also reads consented directories (user source).
    pub fn app(&self) -> &SignInApp {
        &self.app
    }

    pub fn new(settings: GraphSettings, app: SignInApp) -> Result<Self, GraphSetupError> {
        // Following redirects would let a token endpoint send the code elsewhere (SSRF).
        let http = crate::client::https_client(
            &settings,
            reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()),
        )?;
        Ok(Self {
            http,
            settings: Arc::new(settings),
            app: Arc::new(app),
        })
    }

    fn endpoint(&self, path: &str) -> Result<String, SignInFailure> {
        self.settings
            .authority_url
            .join(path)
            .map(|url| url.to_string())
            .map_err(|error| SignInFailure::Unreachable(error.to_string()))
    }

    fn client(
        &self,
        issuer: IssuerUrl,
        redirect_uri: &str,
    ) -> Result<EntraClient<EndpointSet, EndpointSet>, SignInFailure> {
        let invalid = |error: url::ParseError| SignInFailure::Unreachable(error.to_string());
        let auth =
            AuthUrl::new(self.endpoint("organizations/oauth2/v2.0/authorize")?).map_err(invalid)?;
        let token =
            TokenUrl::new(self.endpoint("organizations/oauth2/v2.0/token")?).map_err(invalid)?;
        let redirect = RedirectUrl::new(redirect_uri.to_owned()).map_err(invalid)?;
        Ok(EntraClient::new(
            ClientId::new(self.app.client_id.clone()),
            issuer,
            openidconnect::JsonWebKeySet::default(),
        )
        .set_client_secret(ClientSecret::new(self.app.client_secret.clone()))
        .set_auth_uri(auth)
        .set_token_uri(token)
        .set_redirect_uri(redirect))
    }

    fn organizations_issuer(&self) -> Result<IssuerUrl, SignInFailure> {
        IssuerUrl::new(self.endpoint("organizations/v2.0")?)
            .map_err(|error| SignInFailure::Unreachable(error.to_string()))
    }

    /// The URL of Microsoft's sign-in page for this app, returning to `redirect_uri`.
    pub fn begin(&self, redirect_uri: &str) -> Result<BegunSignIn, SignInFailure> {
        let client = self.client(self.organizations_issuer()?, redirect_uri)?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state, nonce) = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .add_scope(Scope::new("profile".to_owned()))
            .add_scope(Scope::new("email".to_owned()))
            .set_pkce_challenge(challenge)
            .url();
        Ok(BegunSignIn {
            authorize_url: url.to_string(),
            pending: PendingSignIn {
                state: state.secret().clone(),
                nonce: nonce.secret().clone(),
                pkce_verifier: verifier.secret().clone(),
            },
        })
    }

    /// Redeems `code` and verifies the ID token it brings; `redirect_uri` must be the one the
    /// sign-in began with.
    pub async fn complete(
        &self,
        redirect_uri: &str,
        code: &str,
        pending: &PendingSignIn,
    ) -> Result<MicrosoftIdentity, SignInFailure> {
        let http = |request| send(&self.http, request);
        let exchanging = self.client(self.organizations_issuer()?, redirect_uri)?;
        let answer = exchanging
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .set_pkce_verifier(PkceCodeVerifier::new(pending.pkce_verifier.clone()))
            .request_async(&http)
            .await
            .map_err(|error| match error {
                RequestTokenError::ServerResponse(refusal) => SignInFailure::CodeRefused(
                    refusal
                        .error_description()
                        .cloned()
                        .unwrap_or_else(|| refusal.error().as_ref().to_owned()),
                ),
                RequestTokenError::Request(failure) => {
                    SignInFailure::Unreachable(failure.to_string())
                }
                other => SignInFailure::TokenInvalid(other.to_string()),
            })?;
        let id_token = answer
            .id_token()
            .ok_or_else(|| SignInFailure::TokenInvalid("no ID token in the answer".to_owned()))?;
        let tenant = unverified_tenant(&id_token.to_string()).ok_or_else(|| {
            SignInFailure::TokenInvalid("the ID token names no tenant (tid)".to_owned())
        })?;
        let issuer = IssuerUrl::new(self.endpoint(&format!("{tenant}/v2.0"))?)
            .map_err(|error| SignInFailure::Unreachable(error.to_string()))?;
        let metadata = CoreProviderMetadata::discover_async(issuer, &http)
            .await
            .map_err(|error| SignInFailure::Unreachable(error.to_string()))?;
        let verifying = EntraClient::<EndpointNotSet, EndpointNotSet>::new(
            ClientId::new(self.app.client_id.clone()),
            metadata.issuer().clone(),
            metadata.jwks().clone(),
        )
        .set_client_secret(ClientSecret::new(self.app.client_secret.clone()));
        let claims = id_token
            .claims(
                &verifying.id_token_verifier(),
                &Nonce::new(pending.nonce.clone()),
            )
            .map_err(|error| SignInFailure::TokenInvalid(error.to_string()))?;
        let entra = claims.additional_claims();
        Ok(MicrosoftIdentity {
            tenant_id: entra.tid.to_lowercase(),
            object_id: entra.oid.clone(),
            user_name: claims
                .preferred_username()
                .map(|name| name.as_str().to_owned()),
            email: claims.email().map(|email| email.as_str().to_owned()),
            name: claims
                .name()
                .and_then(|name| name.get(None))
                .map(|name| name.as_str().to_owned()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tenant_of_an_id_token_is_read_only_when_it_is_a_guid() {
        use base64::Engine;
        let token = |claims: &str| {
            let encode = |text: &str| {
                base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(text.as_bytes())
            };
            format!("{}.{}.sig", encode("{\"alg\":\"RS256\"}"), encode(claims))
        };
        assert_eq!(
            unverified_tenant(&token(r#"{"tid":"5F1C2D3E-4A5B-4C6D-8E7F-9A0B1C2D3E4F"}"#)),
            Some("5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f".to_owned())
        );
        assert_eq!(unverified_tenant(&token(r#"{"tid":"../evil"}"#)), None);
        assert_eq!(unverified_tenant(&token(r#"{"oid":"x"}"#)), None);
        assert_eq!(unverified_tenant("not a token"), None);
    }
}
