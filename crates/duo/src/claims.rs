//! The JWTs exchanged with Duo: what this server signs (request JWT, client assertions) and
//! the ID token it verifies.

use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::{Deserialize, Serialize};

use crate::{DuoError, DuoIntegration};

/// Proves the client secret to the health-check and token endpoints (RFC 7523).
#[derive(Serialize)]
pub(crate) struct ClientAssertionClaims<'a> {
    pub iss: &'a str,
    pub sub: &'a str,
    pub aud: &'a str,
    pub exp: u64,
    pub iat: u64,
    pub jti: String,
}

/// The signed `request` parameter of the authorize URL.
#[derive(Serialize)]
pub(crate) struct AuthorizeRequestClaims<'a> {
    pub scope: &'a str,
    pub redirect_uri: &'a str,
    pub client_id: &'a str,
    pub iss: &'a str,
    pub aud: &'a str,
    pub exp: u64,
    pub state: &'a str,
    pub response_type: &'a str,
    pub duo_uname: &'a str,
    /// Asks Duo to call the code `duo_code` in the redirect, as current clients do.
    pub use_duo_code_attribute: bool,
    pub nonce: &'a str,
}

#[derive(Deserialize, Default)]
pub(crate) struct AuthResult {
    pub result: Option<String>,
    pub status: Option<String>,
    pub status_msg: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct IdTokenClaims {
    pub preferred_username: Option<String>,
    pub nonce: Option<String>,
    pub auth_result: Option<AuthResult>,
}

impl IdTokenClaims {
    /// Signature (HS512 with the client secret), issuer (the token endpoint), audience (the
    /// client ID), expiry and issue time, as Duo's own clients check them.
    pub fn verify(
        id_token: &str,
        integration: &DuoIntegration,
        token_endpoint: &str,
        leeway_secs: u64,
    ) -> Result<Self, DuoError> {
        let mut validation = Validation::new(Algorithm::HS512);
        validation.set_issuer(&[token_endpoint]);
        validation.set_audience(&[integration.client_id.as_str()]);
        validation.set_required_spec_claims(&["exp", "iat", "iss", "aud"]);
        validation.leeway = leeway_secs;
        jsonwebtoken::decode::<Self>(
            id_token,
            &DecodingKey::from_secret(integration.client_secret.expose().as_bytes()),
            &validation,
        )
        .map(|data| data.claims)
        .map_err(|error| DuoError::TokenInvalid(error.to_string()))
    }
}
