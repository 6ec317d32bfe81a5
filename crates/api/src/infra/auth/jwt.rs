use std::time::Duration;

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use proto::{Claim, Role};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{
    error::{ApiError, RequestError},
    infra::secret::Secret,
};

const ISSUER: &str = "msp-onboarding";
const AUDIENCE: &str = "msp-onboarding-api";

/// What an access token says about its bearer.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccessClaims {
    /// The user's ID.
    pub sub: Uuid,
    /// The user's tenant.
    pub tid: Uuid,
    pub role: Role,
    pub claims: Vec<Claim>,
    pub iat: i64,
    pub exp: i64,
    pub iss: String,
    pub aud: String,
}

/// HS256 keys for issuing and checking access tokens.
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    ttl: Duration,
}

impl JwtKeys {
    pub const MIN_SECRET_BYTES: usize = 32;

    pub fn new(secret: &Secret, ttl: Duration) -> Result<Self, anyhow::Error> {
        let bytes = secret.expose().as_bytes();
        if bytes.len() < Self::MIN_SECRET_BYTES {
            anyhow::bail!(
                "the JWT signing secret must be at least {} bytes",
                Self::MIN_SECRET_BYTES
            );
        }
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.leeway = 5;
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        Ok(Self {
            encoding: EncodingKey::from_secret(bytes),
            decoding: DecodingKey::from_secret(bytes),
            validation,
            ttl,
        })
    }

    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    pub fn issue(
        &self,
        user_id: Uuid,
        tenant_id: Uuid,
        role: Role,
        claims: Vec<Claim>,
    ) -> Result<String, ApiError> {
        let now = chrono::Utc::now().timestamp();
        let ttl_secs = i64::try_from(self.ttl.as_secs()).unwrap_or(i64::MAX);
        let access_claims = AccessClaims {
            sub: user_id,
            tid: tenant_id,
            role,
            claims,
            iat: now,
            exp: now.saturating_add(ttl_secs),
            iss: ISSUER.to_owned(),
            aud: AUDIENCE.to_owned(),
        };
        jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &access_claims,
            &self.encoding,
        )
        .map_err(ApiError::internal)
    }

    /// Checks signature, algorithm, expiry, issuer and audience.
    pub fn verify(&self, token: &str) -> Result<AccessClaims, ApiError> {
        jsonwebtoken::decode::<AccessClaims>(token, &self.decoding, &self.validation)
            .map(|data| data.claims)
            .map_err(|_| RequestError::Unauthenticated.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(secret: &str) -> JwtKeys {
        JwtKeys::new(&Secret::new(secret), Duration::from_secs(60)).unwrap()
    }

    #[test]
    fn a_token_verifies_with_its_own_key_and_not_another() {
        let issuer = keys("0123456789abcdef0123456789abcdef-one");
        let token = issuer
            .issue(
                Uuid::new_v4(),
                Uuid::new_v4(),
                Role::Admin,
                vec![Claim::ViewCustomers],
            )
            .unwrap();
        let claims = issuer.verify(&token).unwrap();
        assert_eq!(claims.claims, vec![Claim::ViewCustomers]);
        assert!(
            keys("0123456789abcdef0123456789abcdef-two")
                .verify(&token)
                .is_err()
        );
    }

    #[test]
    fn a_short_secret_is_refused() {
        assert!(JwtKeys::new(&Secret::new("short"), Duration::from_secs(60)).is_err());
    }

    #[test]
    fn an_expired_token_is_rejected() {
        let issuer = keys("0123456789abcdef0123456789abcdef-one");
        let now = chrono::Utc::now().timestamp();
        let expired = AccessClaims {
            sub: Uuid::new_v4(),
            tid: Uuid::new_v4(),
            role: Role::Admin,
            claims: vec![],
            iat: now - 3600,
            exp: now - 60,
            iss: ISSUER.to_owned(),
            aud: AUDIENCE.to_owned(),
        };
        let token =
            jsonwebtoken::encode(&Header::new(Algorithm::HS256), &expired, &issuer.encoding)
                .unwrap();
        assert!(issuer.verify(&token).is_err());
    }
}
