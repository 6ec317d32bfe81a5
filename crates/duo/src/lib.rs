//! Duo's Universal Prompt (Duo Web SDK v4), the redirect flow SPEC §14 uses as a second factor:
//! a health check before sending anyone to Duo, the authorize URL with a signed request JWT,
//! and the exchange of the `duo_code` Duo sends back for an HS512 ID token, verified here
//! (issuer, audience, expiry, `nonce`, `preferred_username`) before its `auth_result` counts.
//!
//! Duo publishes clients for Python, Java, Go, Node and others, none for Rust; this follows
//! their requests field by field with reqwest and jsonwebtoken.

mod claims;

use std::time::Duration;

use domain::{DuoApiHostname, DuoClientId, DuoClientSecret};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde::Deserialize;

use crate::claims::{AuthorizeRequestClaims, ClientAssertionClaims, IdTokenClaims};

/// The claim type of a client assertion (RFC 7523), as Duo requires on the token endpoint.
const CLIENT_ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/// How long a request JWT or client assertion is valid; Duo's clients use five minutes.
const ASSERTION_LIFETIME_SECS: u64 = 300;
/// Clock skew allowed when checking Duo's ID token; Duo's clients allow one minute.
const LEEWAY_SECS: u64 = 60;

/// One Duo Web SDK application, as an admin entered it. `Debug` shows no secret.
#[derive(Debug, Clone)]
pub struct DuoIntegration {
    pub client_id: DuoClientId,
    pub client_secret: DuoClientSecret,
    pub api_hostname: DuoApiHostname,
}

/// How this server reaches Duo.
#[derive(Debug, Clone)]
pub struct DuoSettings {
    /// Per request; past it Duo counts as unreachable and the sign-in fails closed.
    pub request_timeout: Duration,
    /// An extra root to trust (the fake Duo of the tests and the demo).
    pub extra_root_certificate_pem: Option<String>,
}

impl Default for DuoSettings {
    fn default() -> Self {
        Self {
            request_timeout: Duration::from_secs(10),
            extra_root_certificate_pem: None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DuoSetupError {
    #[error("the Duo root certificate is not a PEM certificate: {0}")]
    RootCertificate(String),
    #[error("cannot build the HTTPS client for Duo: {0}")]
    HttpClient(String),
}

#[derive(Debug, thiserror::Error)]
pub enum DuoError {
    /// No answer: DNS, connection, TLS or timeout.
    #[error("Duo cannot be reached at {hostname}: {detail}")]
    Unreachable { hostname: String, detail: String },
    /// Duo answered that it does not know these credentials.
    #[error("Duo refused the Client ID or Client Secret: {0}")]
    CredentialsRefused(String),
    /// Duo answered, but not as Duo answers (another server at that hostname?).
    #[error("the answer from {hostname} is not Duo's: {detail}")]
    NotDuo { hostname: String, detail: String },
    /// The `duo_code` was refused (used, expired, another redirect URI).
    #[error("Duo refused the authorization code: {0}")]
    CodeRefused(String),
    /// The ID token failed a check; the authentication must not count.
    #[error("Duo's ID token is not valid: {0}")]
    TokenInvalid(String),
    #[error("cannot sign the request to Duo: {0}")]
    Signing(String),
}

/// What Duo's ID token says about the authentication, once verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuoOutcome {
    /// `auth_result.result`: only `allow` lets the user through.
    pub result: String,
    /// `auth_result.status`, e.g. `allow`, `deny`, `fraud`.
    pub status: String,
    /// `auth_result.status_msg`, Duo's words for it.
    pub message: String,
}

impl DuoOutcome {
    pub fn allowed(&self) -> bool {
        domain::duo_allows(&self.result)
    }
}

/// A Duo authentication on its way: where to send the browser, and what the callback is
/// checked against.
#[derive(Debug, Clone)]
pub struct BegunAuthentication {
    pub authorize_url: String,
    pub state: String,
    pub nonce: String,
}

#[derive(Clone, Debug)]
pub struct DuoClient {
    http: reqwest::Client,
}

#[derive(Deserialize)]
struct HealthCheckAnswer {
    stat: Option<String>,
    message: Option<String>,
    message_detail: Option<String>,
}

#[derive(Deserialize)]
struct TokenAnswer {
    id_token: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

fn random_token(bytes: usize) -> Result<String, DuoError> {
    let mut buffer = vec![0u8; bytes];
    getrandom::fill(&mut buffer).map_err(|error| DuoError::Signing(error.to_string()))?;
    Ok(buffer.iter().map(|byte| format!("{byte:02x}")).collect())
}

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|elapsed| elapsed.as_secs())
        .unwrap_or(0)
}

const FORM: &str = "application/x-www-form-urlencoded";

/// A form body, without turning on reqwest's `form` feature for the whole workspace.
fn form_body(fields: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish()
}

fn endpoint(integration: &DuoIntegration, path: &str) -> String {
    format!("https://{}{path}", integration.api_hostname.as_str())
}

fn sign<T: serde::Serialize>(claims: &T, secret: &DuoClientSecret) -> Result<String, DuoError> {
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS512),
        claims,
        &EncodingKey::from_secret(secret.expose().as_bytes()),
    )
    .map_err(|error| DuoError::Signing(error.to_string()))
}

fn client_assertion(integration: &DuoIntegration, audience: &str) -> Result<String, DuoError> {
    let issued_at = unix_now();
    let claims = ClientAssertionClaims {
        iss: integration.client_id.as_str(),
        sub: integration.client_id.as_str(),
        aud: audience,
        exp: issued_at + ASSERTION_LIFETIME_SECS,
        iat: issued_at,
        jti: random_token(18)?,
    };
    sign(&claims, &integration.client_secret)
}

impl DuoClient {
    pub fn new(settings: &DuoSettings) -> Result<Self, DuoSetupError> {
        let mut builder = reqwest::Client::builder()
            .timeout(settings.request_timeout)
            .connect_timeout(settings.request_timeout)
            // The client secret signs every request: never over clear text.
            .https_only(true)
            .redirect(reqwest::redirect::Policy::none());
        if let Some(pem) = &settings.extra_root_certificate_pem {
            let certificate = reqwest::Certificate::from_pem(pem.as_bytes())
                .map_err(|error| DuoSetupError::RootCertificate(error.to_string()))?;
            builder = builder.tls_certs_merge([certificate]);
        }
        let http = builder
            .build()
            .map_err(|error| DuoSetupError::HttpClient(error.to_string()))?;
        Ok(Self { http })
    }

    fn unreachable(integration: &DuoIntegration, error: &reqwest::Error) -> DuoError {
        DuoError::Unreachable {
            hostname: integration.api_hostname.as_str().to_owned(),
            detail: error.to_string(),
        }
    }

    /// POSTs `fields` as a form to `url` and reads Duo's JSON answer, whatever its status: no
    /// answer is [`DuoError::Unreachable`], an answer that is not Duo's JSON [`DuoError::NotDuo`].
    async fn post_form<T: serde::de::DeserializeOwned>(
        &self,
        integration: &DuoIntegration,
        url: &str,
        fields: &[(&str, &str)],
    ) -> Result<(reqwest::StatusCode, T), DuoError> {
        let response = self
            .http
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, FORM)
            .body(form_body(fields))
            .send()
            .await
            .map_err(|error| Self::unreachable(integration, &error))?;
        let status = response.status();
        let body = response
            .text()
            .await
            .map_err(|error| Self::unreachable(integration, &error))?;
        let answer = serde_json::from_str(&body).map_err(|_| DuoError::NotDuo {
            hostname: integration.api_hostname.as_str().to_owned(),
            detail: format!("HTTP {status} without Duo's JSON answer"),
        })?;
        Ok((status, answer))
    }

    /// Duo's health check: reachable, and these credentials are Duo's. Run before saving an
    /// integration and before sending a user to Duo (Duo's guidance: fail closed when it fails).
    pub async fn health_check(&self, integration: &DuoIntegration) -> Result<(), DuoError> {
        let url = endpoint(integration, "/oauth/v1/health_check");
        let assertion = client_assertion(integration, &url)?;
        let (status, answer): (_, HealthCheckAnswer) = self
            .post_form(
                integration,
                &url,
                &[
                    ("client_id", integration.client_id.as_str()),
                    ("client_assertion", assertion.as_str()),
                ],
            )
            .await?;
        match answer.stat.as_deref() {
            Some("OK") => Ok(()),
            // Duo answers a refusal with `stat: FAIL` (HTTP 200 or 4xx, `invalid_client`);
            // only a server error means Duo itself is failing.
            Some("FAIL") if status.is_server_error() => Err(DuoError::Unreachable {
                hostname: integration.api_hostname.as_str().to_owned(),
                detail: format!("HTTP {status}"),
            }),
            Some("FAIL") => Err(DuoError::CredentialsRefused(
                [answer.message, answer.message_detail]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(": "),
            )),
            _ => Err(DuoError::NotDuo {
                hostname: integration.api_hostname.as_str().to_owned(),
                detail: format!("HTTP {status} without a `stat`"),
            }),
        }
    }

    /// The URL of Duo's prompt for `username`, and the `state` and `nonce` to keep until the
    /// callback.
    pub fn begin(
        &self,
        integration: &DuoIntegration,
        username: &str,
        redirect_uri: &str,
    ) -> Result<BegunAuthentication, DuoError> {
        let state = random_token(24)?;
        let nonce = random_token(24)?;
        let issued_at = unix_now();
        let request = sign(
            &AuthorizeRequestClaims {
                scope: "openid",
                redirect_uri,
                client_id: integration.client_id.as_str(),
                iss: integration.client_id.as_str(),
                aud: &endpoint(integration, ""),
                exp: issued_at + ASSERTION_LIFETIME_SECS,
                state: &state,
                response_type: "code",
                duo_uname: username,
                use_duo_code_attribute: true,
                nonce: &nonce,
            },
            &integration.client_secret,
        )?;
        let mut url = url::Url::parse(&endpoint(integration, "/oauth/v1/authorize"))
            .map_err(|error| DuoError::Signing(error.to_string()))?;
        url.query_pairs_mut()
            .append_pair("response_type", "code")
            .append_pair("client_id", integration.client_id.as_str())
            .append_pair("request", &request)
            .append_pair("redirect_uri", redirect_uri)
            .append_pair("scope", "openid");
        Ok(BegunAuthentication {
            authorize_url: url.into(),
            state,
            nonce,
        })
    }

    /// Exchanges the callback's `duo_code` for Duo's ID token and verifies it for `username`
    /// and `nonce`. A verified token that denies is an `Ok` outcome: the caller refuses it.
    pub async fn complete(
        &self,
        integration: &DuoIntegration,
        duo_code: &str,
        redirect_uri: &str,
        username: &str,
        nonce: &str,
    ) -> Result<DuoOutcome, DuoError> {
        let url = endpoint(integration, "/oauth/v1/token");
        let assertion = client_assertion(integration, &url)?;
        let (status, answer): (_, TokenAnswer) = self
            .post_form(
                integration,
                &url,
                &[
                    ("grant_type", "authorization_code"),
                    ("code", duo_code),
                    ("redirect_uri", redirect_uri),
                    ("client_assertion_type", CLIENT_ASSERTION_TYPE),
                    ("client_assertion", assertion.as_str()),
                ],
            )
            .await?;
        if status.is_server_error() {
            return Err(DuoError::Unreachable {
                hostname: integration.api_hostname.as_str().to_owned(),
                detail: format!("HTTP {status}"),
            });
        }
        let id_token = match (status.is_success(), answer.id_token) {
            (true, Some(id_token)) => id_token,
            _ => {
                return Err(DuoError::CodeRefused(
                    [answer.error, answer.error_description]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(": "),
                ));
            }
        };
        let claims = IdTokenClaims::verify(&id_token, integration, &url, LEEWAY_SECS)?;
        if claims.preferred_username.as_deref() != Some(username) {
            return Err(DuoError::TokenInvalid(
                "it names another user than the one signing in".to_owned(),
            ));
        }
        if claims.nonce.as_deref() != Some(nonce) {
            return Err(DuoError::TokenInvalid(
                "its nonce is not this authentication's".to_owned(),
            ));
        }
        let result = claims.auth_result.unwrap_or_default();
        Ok(DuoOutcome {
            result: result.result.unwrap_or_default(),
            status: result.status.unwrap_or_default(),
            message: result.status_msg.unwrap_or_default(),
        })
    }
}
