//! The client assertion that authenticates an application at the health check and the token
//! endpoint (RFC 7523 `private_key_jwt`-style, but HMAC): an HS512 JWT signed with the client
//! secret whose `iss` and `sub` are the client ID, `aud` the endpoint's URL, with `exp` and a
//! `jti`. Duo's clients all send these claims (Python and Go 5 minutes ahead, Java an hour).

use std::collections::HashMap;
use std::sync::Mutex;

use jsonwebtoken::{Algorithm, DecodingKey, Validation, errors::ErrorKind};
use serde_json::Value;

use crate::fixture::{DuoFixture, DuoIntegration};
use crate::params::unix_now;

/// The clock skew tolerated on `exp`, as Duo's clients allow on the tokens they verify.
pub(crate) const LEEWAY_SECS: u64 = 60;

/// Duo's words when it names no particular cause ("the catch-all error" of Duo's own support);
/// used for a wrong signature and an unknown client, so the answer does not tell which.
pub(crate) const INVALID_ASSERTION: &str = "The provided client_assertion was invalid.";

/// Why an assertion was refused; the text is the `message_detail` / `error_description`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refusal(pub String);

impl Refusal {
    fn claim(claim: &str, rule: &str) -> Self {
        // The form of Duo's own "Invalid Client assertion: The `iss` claim must match the
        // supplied client_id".
        Self(format!(
            "Invalid Client assertion: The `{claim}` claim {rule}"
        ))
    }
}

/// The `jti`s already accepted, per client, until they expire: an assertion is good once.
#[derive(Debug, Default)]
pub(crate) struct SeenAssertions(Mutex<HashMap<(String, String), u64>>);

impl SeenAssertions {
    /// `false` when this client already used this `jti`.
    fn first_use(&self, client_id: &str, jti: &str, expires: u64) -> bool {
        let Ok(mut seen) = self.0.lock() else {
            return true;
        };
        let now = unix_now();
        seen.retain(|_, expiry| expiry.saturating_add(LEEWAY_SECS) >= now);
        seen.insert((client_id.to_owned(), jti.to_owned()), expires)
            .is_none()
    }
}

/// Checks `assertion` for `client_id` at the endpoint whose URL is `audience`, and returns the
/// application it authenticates.
pub(crate) fn verify<'a>(
    fixture: &'a DuoFixture,
    seen: &SeenAssertions,
    client_id: &str,
    assertion: &str,
    audience: &str,
) -> Result<&'a DuoIntegration, Refusal> {
    let Some(integration) = fixture.integration(client_id) else {
        return Err(Refusal(INVALID_ASSERTION.to_owned()));
    };
    let claims = verified_claims(assertion, &integration.client_secret)
        .map_err(|problem| problem.refusal())?;
    let text = |name: &str| claims.get(name).and_then(Value::as_str);
    if text("iss") != Some(client_id) {
        return Err(Refusal::claim("iss", "must match the supplied client_id"));
    }
    if text("sub") != Some(client_id) {
        return Err(Refusal::claim("sub", "must match the supplied client_id"));
    }
    if !audience_is(&claims, audience) {
        return Err(Refusal::claim("aud", &format!("must be {audience}")));
    }
    let expires = claims.get("exp").and_then(Value::as_f64).unwrap_or(0.0);
    if let Some(jti) = text("jti")
        && !seen.first_use(client_id, jti, expires as u64)
    {
        return Err(Refusal::claim("jti", "was already used"));
    }
    Ok(integration)
}

/// Why a JWT signed with a client secret was not accepted, before its claims are read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum JwtProblem {
    /// Not a JWT, or not signed with the secret: Duo does not say which.
    Invalid,
    Expired,
    MissingClaim(String),
    NotHs512,
}

impl JwtProblem {
    /// In the words of a client assertion's refusal.
    fn refusal(&self) -> Refusal {
        match self {
            Self::Invalid => Refusal(INVALID_ASSERTION.to_owned()),
            Self::Expired => Refusal::claim("exp", "is in the past"),
            Self::MissingClaim(claim) => Refusal::claim(claim, "is required"),
            Self::NotHs512 => {
                Refusal("Invalid Client assertion: the JWT must be signed with HS512".to_owned())
            }
        }
    }
}

/// The claims of an HS512 JWT signed with `secret` and not expired (beyond the leeway).
pub(crate) fn verified_claims(
    token: &str,
    secret: &str,
) -> Result<serde_json::Map<String, Value>, JwtProblem> {
    let mut validation = Validation::new(Algorithm::HS512);
    validation.leeway = LEEWAY_SECS;
    // Audience and issuer rules differ per JWT; the callers check them with Duo's words.
    validation.validate_aud = false;
    let key = DecodingKey::from_secret(secret.as_bytes());
    match jsonwebtoken::decode::<serde_json::Map<String, Value>>(token, &key, &validation) {
        Ok(data) => Ok(data.claims),
        Err(error) => Err(match error.kind() {
            ErrorKind::ExpiredSignature => JwtProblem::Expired,
            ErrorKind::MissingRequiredClaim(claim) => JwtProblem::MissingClaim(claim.clone()),
            ErrorKind::InvalidAlgorithm => JwtProblem::NotHs512,
            _ => JwtProblem::Invalid,
        }),
    }
}

/// `aud` is `expected`, alone or in a list.
pub(crate) fn audience_is(claims: &serde_json::Map<String, Value>, expected: &str) -> bool {
    match claims.get("aud") {
        Some(Value::String(audience)) => audience == expected,
        Some(Value::Array(audiences)) => audiences
            .iter()
            .any(|audience| audience.as_str() == Some(expected)),
        _ => false,
    }
}

/// The `iss` of a JWT read *without* verifying it: Duo's Java client names no `client_id` in
/// its token request, so the application is found from the assertion's issuer first and the
/// assertion then verified with that application's secret.
pub(crate) fn unverified_issuer(token: &str) -> Option<String> {
    jsonwebtoken::dangerous::insecure_decode_claims::<serde_json::Map<String, Value>>(token)
        .ok()
        .and_then(|claims| claims.get("iss").and_then(Value::as_str).map(str::to_owned))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsonwebtoken::{EncodingKey, Header, encode};
    use serde_json::json;

    const AUDIENCE: &str = "https://127.0.0.1:1/oauth/v1/health_check";

    fn signed(claims: Value, secret: &str) -> String {
        encode(
            &Header::new(Algorithm::HS512),
            &claims,
            &EncodingKey::from_secret(secret.as_bytes()),
        )
        .unwrap()
    }

    fn claims(jti: &str) -> Value {
        let id = crate::DEMO_CLIENT_ID;
        json!({"iss": id, "sub": id, "aud": AUDIENCE, "exp": unix_now() + 300, "jti": jti})
    }

    fn check(token: &str, seen: &SeenAssertions) -> Result<(), Refusal> {
        verify(
            &DuoFixture::demo(),
            seen,
            crate::DEMO_CLIENT_ID,
            token,
            AUDIENCE,
        )
        .map(|_| ())
    }

    #[test]
    fn an_assertion_is_good_once() {
        let seen = SeenAssertions::default();
        let token = signed(claims("a".repeat(36).as_str()), crate::DEMO_CLIENT_SECRET);
        assert_eq!(check(&token, &seen), Ok(()));
        assert_eq!(
            check(&token, &seen),
            Err(Refusal::claim("jti", "was already used"))
        );
    }

    #[test]
    fn a_float_expiry_as_duos_python_client_sends_it_is_read() {
        let mut claims = claims("b");
        claims["exp"] = json!(unix_now() as f64 + 299.5);
        let token = signed(claims, crate::DEMO_CLIENT_SECRET);
        assert_eq!(check(&token, &SeenAssertions::default()), Ok(()));
    }

    #[test]
    fn another_secret_gets_duos_catch_all_answer() {
        let token = signed(claims("c"), "not-the-secret");
        assert_eq!(
            check(&token, &SeenAssertions::default()),
            Err(Refusal(INVALID_ASSERTION.to_owned()))
        );
    }

    #[test]
    fn the_issuer_is_read_without_the_secret() {
        let token = signed(claims("d"), "whatever");
        assert_eq!(
            unverified_issuer(&token).as_deref(),
            Some(crate::DEMO_CLIENT_ID)
        );
    }
}
