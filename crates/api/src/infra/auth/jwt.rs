use std::time::Duration;

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{
    error::{ApiError, RequestError},
    infra::secret::Secret,
    services::sign_in::duo::PendingDuo,
};

const ISSUER: &str = "msp-onboarding";
const AUDIENCE: &str = "msp-onboarding-api";
/// A password-checked sign-in waiting for its second factor: not an access token.
const MFA_AUDIENCE: &str = "msp-onboarding-mfa";
const MFA_CHALLENGE_TTL_SECS: i64 = 300;
/// A sign-in with Microsoft on its way there and back: not an access token.
const MICROSOFT_AUDIENCE: &str = "msp-onboarding-microsoft-sign-in";
/// How long a user may take on Microsoft's pages.
pub const MICROSOFT_SIGN_IN_TTL_SECS: i64 = 600;
/// A Duo round trip on its way there and back: not an access token.
const DUO_AUDIENCE: &str = "msp-onboarding-duo";
/// How long a user may take on Duo's prompt.
const DUO_TTL_SECS: i64 = 600;

/// What an access token says about its bearer. Role and claims are not in it: they are read
/// with the session at every request, so a change takes effect at once.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccessClaims {
    /// The user's ID.
    pub sub: Uuid,
    /// The server-side session the token belongs to.
    pub sid: Uuid,
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
    mfa_validation: Validation,
    microsoft_validation: Validation,
    duo_validation: Validation,
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
        let mut mfa_validation = validation.clone();
        mfa_validation.set_audience(&[MFA_AUDIENCE]);
        let mut microsoft_validation = validation.clone();
        microsoft_validation.set_audience(&[MICROSOFT_AUDIENCE]);
        microsoft_validation.set_required_spec_claims(&["exp", "iss", "aud"]);
        let mut duo_validation = microsoft_validation.clone();
        duo_validation.set_audience(&[DUO_AUDIENCE]);
        Ok(Self {
            encoding: EncodingKey::from_secret(bytes),
            decoding: DecodingKey::from_secret(bytes),
            validation,
            mfa_validation,
            microsoft_validation,
            duo_validation,
            ttl,
        })
    }

    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    pub fn ttl_secs(&self) -> i64 {
        i64::try_from(self.ttl.as_secs()).unwrap_or(i64::MAX)
    }

    /// An access token for session `session_id` of `user_id`.
    pub fn issue(&self, user_id: Uuid, session_id: Uuid) -> Result<String, ApiError> {
        let now = chrono::Utc::now().timestamp();
        self.sign(&AccessClaims {
            sub: user_id,
            sid: session_id,
            iat: now,
            exp: now.saturating_add(self.ttl_secs()),
            iss: ISSUER.to_owned(),
            aud: AUDIENCE.to_owned(),
        })
    }

    /// Checks signature, algorithm, expiry, issuer and audience.
    pub fn verify(&self, token: &str) -> Result<AccessClaims, ApiError> {
        jsonwebtoken::decode::<AccessClaims>(token, &self.decoding, &self.validation)
            .map(|data| data.claims)
            .map_err(|_| RequestError::Unauthenticated.into())
    }

    /// The `mfa_token` of a sign-in whose password was right and whose second factor is due:
    /// valid 5 minutes, for the second step only.
    pub fn issue_mfa_challenge(&self, user_id: Uuid) -> Result<String, ApiError> {
        let now = chrono::Utc::now().timestamp();
        self.sign(&MfaChallengeClaims {
            sub: user_id,
            iat: now,
            exp: now.saturating_add(MFA_CHALLENGE_TTL_SECS),
            iss: ISSUER.to_owned(),
            aud: MFA_AUDIENCE.to_owned(),
        })
    }

    /// The user an `mfa_token` was issued to, if it is genuine and fresh.
    pub fn verify_mfa_challenge(&self, token: &str) -> Option<Uuid> {
        jsonwebtoken::decode::<MfaChallengeClaims>(token, &self.decoding, &self.mfa_validation)
            .map(|data| data.claims.sub)
            .ok()
    }

    /// What a sign-in with Microsoft must remember until Microsoft sends the browser back, signed
    /// so that it can be kept in the browser (a cookie) and read by any replica.
    pub fn issue_pending_sign_in(
        &self,
        pending: &msp_graph::PendingSignIn,
    ) -> Result<String, ApiError> {
        let now = chrono::Utc::now().timestamp();
        self.sign(&PendingSignInClaims {
            pending: pending.clone(),
            iat: now,
            exp: now.saturating_add(MICROSOFT_SIGN_IN_TTL_SECS),
            iss: ISSUER.to_owned(),
            aud: MICROSOFT_AUDIENCE.to_owned(),
        })
    }

    /// The pending sign-in a cookie holds, if it is genuine and fresh.
    pub fn verify_pending_sign_in(&self, token: &str) -> Option<msp_graph::PendingSignIn> {
        jsonwebtoken::decode::<PendingSignInClaims>(
            token,
            &self.decoding,
            &self.microsoft_validation,
        )
        .map(|data| data.claims.pending)
        .ok()
    }

    /// What a Duo round trip must remember until Duo sends the browser back, signed so that it
    /// can be kept in the browser (a cookie) and read by any replica.
    pub fn issue_pending_duo(&self, pending: &PendingDuo) -> Result<String, ApiError> {
        let now = chrono::Utc::now().timestamp();
        self.sign(&PendingDuoClaims {
            pending: pending.clone(),
            iat: now,
            exp: now.saturating_add(DUO_TTL_SECS),
            iss: ISSUER.to_owned(),
            aud: DUO_AUDIENCE.to_owned(),
        })
    }

    /// The pending Duo round trip a cookie holds, if it is genuine and fresh.
    pub fn verify_pending_duo(&self, token: &str) -> Option<PendingDuo> {
        jsonwebtoken::decode::<PendingDuoClaims>(token, &self.decoding, &self.duo_validation)
            .map(|data| data.claims.pending)
            .ok()
    }

    fn sign(&self, claims: &impl Serialize) -> Result<String, ApiError> {
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &self.encoding)
            .map_err(ApiError::internal)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct MfaChallengeClaims {
    sub: Uuid,
    iat: i64,
    exp: i64,
    iss: String,
    aud: String,
}

#[derive(Serialize, Deserialize)]
struct PendingSignInClaims {
    #[serde(flatten)]
    pending: msp_graph::PendingSignIn,
    iat: i64,
    exp: i64,
    iss: String,
    aud: String,
}

#[derive(Serialize, Deserialize)]
struct PendingDuoClaims {
    #[serde(flatten)]
    pending: PendingDuo,
    iat: i64,
    exp: i64,
    iss: String,
    aud: String,
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
        let session = Uuid::new_v4();
        let token = issuer.issue(Uuid::new_v4(), session).unwrap();
        let claims = issuer.verify(&token).unwrap();
        assert_eq!(claims.sid, session);
        assert!(
            keys("0123456789abcdef0123456789abcdef-two")
                .verify(&token)
                .is_err()
        );
    }

    #[test]
    fn an_mfa_token_is_not_an_access_token_nor_the_reverse() {
        let issuer = keys("0123456789abcdef0123456789abcdef-one");
        let user = Uuid::new_v4();
        let challenge = issuer.issue_mfa_challenge(user).unwrap();
        assert_eq!(issuer.verify_mfa_challenge(&challenge), Some(user));
        assert!(issuer.verify(&challenge).is_err());
        let access = issuer.issue(user, Uuid::new_v4()).unwrap();
        assert_eq!(issuer.verify_mfa_challenge(&access), None);
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
            sid: Uuid::new_v4(),
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
