//! TOTP (RFC 6238: 6 digits, 30 s, SHA-1, what authenticator apps use) and the AES-256-GCM key
//! that keeps TOTP secrets encrypted at rest.

use aes_gcm::{
    Aes256Gcm, Key, Nonce,
    aead::{Aead, KeyInit},
};
use base64::Engine;
use totp_rs::{Builder, Secret as TotpSecret, Totp};

use crate::infra::{InfraFailure, auth::random_bytes, secret::Secret};

const ISSUER: &str = "MSP Onboarding";
const NONCE_BYTES: usize = 12;

/// The key that encrypts TOTP secrets: 32 bytes, written as 64 hex digits in configuration or
/// in the data directory.
#[derive(Clone)]
pub struct MfaKey(Key<Aes256Gcm>);

impl std::fmt::Debug for MfaKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MfaKey([redacted])")
    }
}

impl MfaKey {
    pub fn parse(hex_key: &Secret) -> anyhow::Result<Self> {
        let bytes = hex::decode(hex_key.expose().trim())
            .map_err(|_| anyhow::anyhow!("the MFA encryption key must be 64 hex digits"))?;
        let bytes: [u8; 32] = bytes.try_into().map_err(|_| {
            anyhow::anyhow!("the MFA encryption key must be 64 hex digits (32 bytes)")
        })?;
        Ok(Self(bytes.into()))
    }

    /// A fresh random key (tests, and a demo database seeded before its server starts).
    pub fn generate() -> Result<Self, InfraFailure> {
        Ok(Self(random_bytes::<32>()?.into()))
    }

    pub fn generate_hex() -> Result<String, InfraFailure> {
        Ok(hex::encode(random_bytes::<32>()?))
    }

    /// Base64 of a fresh nonce followed by the ciphertext.
    pub fn encrypt(&self, plaintext: &str) -> Result<String, InfraFailure> {
        let nonce_bytes = random_bytes::<NONCE_BYTES>()?;
        let ciphertext = Aes256Gcm::new(&self.0)
            .encrypt(Nonce::from_slice(&nonce_bytes), plaintext.as_bytes())
            .map_err(|_| InfraFailure::from(anyhow::anyhow!("encryption failed")))?;
        let mut sealed = nonce_bytes.to_vec();
        sealed.extend_from_slice(&ciphertext);
        Ok(base64::engine::general_purpose::STANDARD.encode(sealed))
    }

    /// Fails when the stored value was not sealed with this key (a changed key, a edited row).
    pub fn decrypt(&self, sealed: &str) -> Result<String, InfraFailure> {
        let failure = || {
            InfraFailure::from(anyhow::anyhow!(
                "a stored secret (TOTP or Duo) does not decrypt with the configured MFA key"
            ))
        };
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(sealed)
            .map_err(|_| failure())?;
        if bytes.len() <= NONCE_BYTES {
            return Err(failure());
        }
        let (nonce, ciphertext) = bytes.split_at(NONCE_BYTES);
        let plaintext = Aes256Gcm::new(&self.0)
            .decrypt(Nonce::from_slice(nonce), ciphertext)
            .map_err(|_| failure())?;
        String::from_utf8(plaintext).map_err(|_| failure())
    }
}

/// A user's TOTP generator.
pub struct TotpFactor(Totp);

impl TotpFactor {
    /// A new 160-bit secret (RFC 4226's recommendation), base32.
    pub fn new_secret() -> Result<String, InfraFailure> {
        Ok(TotpSecret::from(random_bytes::<20>()?.to_vec()).to_base32())
    }

    /// The generator for a base32 secret. Shorter secrets than RFC 4226 recommends are accepted
    /// (the demo's well-known one is 80 bits), because apps accept them too.
    pub fn from_base32(secret: &str, account: &str) -> Result<Self, InfraFailure> {
        let bytes = TotpSecret::try_from_base32(secret)
            .map_err(|_| InfraFailure::from(anyhow::anyhow!("a TOTP secret is not base32")))?;
        // The issuer and account name must not hold a colon (otpauth's label separator).
        let account = account.replace(':', "_");
        Ok(Self(
            Builder::new()
                .with_secret(bytes)
                .with_issuer(Some(ISSUER))
                .with_account_name(account)
                .build_noncompliant(),
        ))
    }

    /// The 30-second step `code` belongs to, if it is valid now (one step of clock skew either
    /// way, as RFC 6238 recommends).
    pub fn matching_step(&self, code: &str, unix_time: u64) -> Option<u64> {
        let digits = code.trim();
        if digits.len() != 6 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        self.0.check(digits, unix_time)
    }

    pub fn code_at(&self, unix_time: u64) -> String {
        self.0.generate(unix_time).to_string()
    }

    pub fn otpauth_url(&self) -> Result<String, InfraFailure> {
        self.0
            .to_url()
            .map_err(|error| InfraFailure::from(anyhow::anyhow!("otpauth URL: {error}")))
    }
}

/// The QR code of `text` as an SVG document.
pub fn qr_svg(text: &str) -> Result<String, InfraFailure> {
    let code = qrcode::QrCode::new(text.as_bytes())
        .map_err(|error| InfraFailure::from(anyhow::anyhow!("QR code: {error}")))?;
    Ok(code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> MfaKey {
        MfaKey::parse(&Secret::new(MfaKey::generate_hex().unwrap())).unwrap()
    }

    #[test]
    fn a_sealed_secret_opens_with_its_key_and_not_another() {
        let key = key();
        let sealed = key.encrypt("JBSWY3DPEHPK3PXP").unwrap();
        assert!(!sealed.contains("JBSWY3DPEHPK3PXP"));
        assert_eq!(key.decrypt(&sealed).unwrap(), "JBSWY3DPEHPK3PXP");
        assert!(self::key().decrypt(&sealed).is_err());
        assert!(key.decrypt("not base64!").is_err());
    }

    #[test]
    fn two_seals_of_one_secret_differ() {
        let key = key();
        assert_ne!(key.encrypt("A").unwrap(), key.encrypt("A").unwrap());
    }

    #[test]
    fn the_rfc_6238_sha1_vector_matches() {
        // RFC 6238 appendix B: secret "12345678901234567890", T = 59 → 94287082 (8 digits);
        // the 6-digit code is its last six digits.
        let secret = TotpSecret::from(b"12345678901234567890".to_vec()).to_base32();
        let factor = TotpFactor::from_base32(&secret, "a@b.test").unwrap();
        assert_eq!(factor.code_at(59), "287082");
        assert_eq!(factor.matching_step("287082", 59), Some(1));
        assert_eq!(factor.matching_step("287082", 59 + 90), None);
        assert_eq!(factor.matching_step("28708", 59), None);
    }

    #[test]
    fn a_key_of_the_wrong_size_is_refused() {
        assert!(MfaKey::parse(&Secret::new("abcd")).is_err());
        assert!(MfaKey::parse(&Secret::new("zz".repeat(32))).is_err());
    }

    #[test]
    fn the_qr_code_is_an_svg_document() {
        let svg =
            qr_svg("otpauth://totp/MSP%20Onboarding:a@b.test?secret=JBSWY3DPEHPK3PXP").unwrap();
        assert!(svg.contains("<svg"));
    }
}
