use base64::Engine;
use sha2::{Digest, Sha256};

use crate::infra::InfraFailure;

pub fn random_bytes<const N: usize>() -> Result<[u8; N], InfraFailure> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes)
        .map_err(|error| InfraFailure::from(anyhow::anyhow!("no randomness: {error}")))?;
    Ok(bytes)
}

/// A freshly generated bearer token: an API token (`msp_`) or a tenant's SCIM token (`scim_`),
/// then 256 random bits. Only its SHA-256 is stored; with this much entropy a fast hash is
/// enough (there is nothing to brute-force).
pub struct ApiTokenSecret(String);

impl ApiTokenSecret {
    pub const PREFIX: &'static str = "msp_";
    pub const SCIM_PREFIX: &'static str = "scim_";
    const VISIBLE_CHARS: usize = 12;

    pub fn generate() -> Result<Self, InfraFailure> {
        Self::generate_with(Self::PREFIX)
    }

    /// A secret token for Entra's provisioning service (SPEC §13).
    pub fn generate_scim() -> Result<Self, InfraFailure> {
        Self::generate_with(Self::SCIM_PREFIX)
    }

    fn generate_with(prefix: &str) -> Result<Self, InfraFailure> {
        let bytes = random_bytes::<32>()?;
        let encoded = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
        Ok(Self(format!("{prefix}{encoded}")))
    }

    pub fn looks_like_one(candidate: &str) -> bool {
        candidate.starts_with(Self::PREFIX)
    }

    pub fn hash_of(token: &str) -> String {
        hex::encode(Sha256::digest(token.as_bytes()))
    }

    pub fn hash(&self) -> String {
        Self::hash_of(&self.0)
    }

    /// The first characters, shown in listings so a user can tell tokens apart.
    pub fn visible_prefix(&self) -> String {
        self.0.chars().take(Self::VISIBLE_CHARS).collect()
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl std::fmt::Debug for ApiTokenSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApiTokenSecret([redacted])")
    }
}
