//! The RSA keys that sign ID tokens: one published in the JWKS, and one never published, for the
//! account whose tokens must fail verification. They are made when the first fake of a process
//! starts and shared by every later one, as Entra shares its keys across tenants: two 2048-bit
//! keys take a few hundred milliseconds in a debug build, which every test would pay again.

use std::sync::{Arc, Mutex};

use base64::{
    Engine,
    engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD},
};
use jsonwebtoken::{
    Algorithm, EncodingKey, Header,
    jwk::{AlgorithmParameters, Jwk},
};
use serde::Serialize;
use serde_json::{Value, json};

use crate::FakeGraphError;

/// Entra's signing certificates carry this subject; relying parties never check it, but the
/// `x5c` chain then looks like Entra's.
const CERTIFICATE_COMMON_NAME: &str = "accounts.accesscontrol.windows.net";

pub(crate) struct SigningKeys {
    /// Entra's `kid` is the certificate's SHA-1 thumbprint, the same value as `x5t`.
    kid: String,
    modulus: String,
    exponent: String,
    /// The self-signed certificate of the published key, base64 DER, as Entra's `x5c`.
    certificate: String,
    published: EncodingKey,
    /// Signs the `bad_signature` account's ID tokens; it is in no JWKS.
    unpublished: EncodingKey,
}

impl std::fmt::Debug for SigningKeys {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("SigningKeys")
            .field("kid", &self.kid)
            .field("private_keys", &"<redacted>")
            .finish_non_exhaustive()
    }
}

static SHARED: Mutex<Option<Arc<SigningKeys>>> = Mutex::new(None);

impl SigningKeys {
    /// This process's keys, made on first use.
    pub fn shared() -> Result<Arc<Self>, FakeGraphError> {
        // A poisoned lock only means another start panicked while generating; the slot is still
        // either empty or holds whole keys.
        let mut shared = SHARED
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(keys) = shared.as_ref() {
            return Ok(keys.clone());
        }
        let keys = Arc::new(Self::generate()?);
        *shared = Some(keys.clone());
        Ok(keys)
    }

    fn generate() -> Result<Self, FakeGraphError> {
        // Without an installed provider jsonwebtoken picks one from its crate features, and
        // panics at first use when a build enables both of its backends; aws-lc-rs is the one
        // this crate asks for. An error only means a provider is already installed.
        let _ = jsonwebtoken::crypto::aws_lc::DEFAULT_PROVIDER.install_default();
        let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_RSA_SHA256)?;
        let mut parameters = rcgen::CertificateParams::new(Vec::<String>::new())?;
        parameters.distinguished_name = rcgen::DistinguishedName::new();
        parameters
            .distinguished_name
            .push(rcgen::DnType::CommonName, CERTIFICATE_COMMON_NAME);
        let certificate = parameters.self_signed(&key)?;
        let thumbprint = aws_lc_rs::digest::digest(
            &aws_lc_rs::digest::SHA1_FOR_LEGACY_USE_ONLY,
            certificate.der(),
        );
        let published = EncodingKey::from_rsa_pem(key.serialize_pem().as_bytes())?;
        let AlgorithmParameters::RSA(public) =
            Jwk::from_encoding_key(&published, Algorithm::RS256)?.algorithm
        else {
            return Err(FakeGraphError::SigningKey(
                "the generated key is not an RSA key".to_owned(),
            ));
        };
        let other = rcgen::KeyPair::generate_for(&rcgen::PKCS_RSA_SHA256)?;
        let unpublished = EncodingKey::from_rsa_pem(other.serialize_pem().as_bytes())?;
        Ok(Self {
            kid: URL_SAFE_NO_PAD.encode(thumbprint.as_ref()),
            modulus: public.n,
            exponent: public.e,
            certificate: STANDARD.encode(certificate.der()),
            published,
            unpublished,
        })
    }

    /// The published key as Entra lists it; `issuer` is the issuer (or issuer template) of the
    /// tenant whose keys were asked for.
    pub fn jwk(&self, issuer: &str) -> Value {
        json!({
            "kty": "RSA",
            "use": "sig",
            "kid": self.kid,
            "x5t": self.kid,
            "n": self.modulus,
            "e": self.exponent,
            "x5c": [self.certificate],
            "cloud_instance_name": "microsoftonline.com",
            "issuer": issuer,
        })
    }

    /// An RS256 JWT with `typ: JWT` and the published `kid`, signed by the published key, or by
    /// the unpublished one when `verifiable` is false.
    pub fn sign(
        &self,
        claims: &impl Serialize,
        verifiable: bool,
    ) -> Result<String, jsonwebtoken::errors::Error> {
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some(self.kid.clone());
        let key = if verifiable {
            &self.published
        } else {
            &self.unpublished
        };
        jsonwebtoken::encode(&header, claims, key)
    }
}
