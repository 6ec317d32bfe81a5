//! What an admin types to add Duo as a second factor (SPEC §14: Settings → Integrations →
//! Security integrations → Duo Web SDK), and what a Duo authentication's answer means.

/// The integration's Client ID (Duo Admin Panel → Applications → Web SDK): 20 letters and
/// digits, which Duo shows in capitals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuoClientId(String);

/// The integration's Client Secret: 40 letters and digits. Never displayed or serialised; its
/// `Debug` is redacted so that it cannot reach a log by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct DuoClientSecret(String);

/// The API hostname Duo assigns to an account, such as `api-1a2b3c4d.duosecurity.com`: a host
/// name, optionally with a port (a Duo on loopback in tests), without scheme or path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuoApiHostname(String);

/// The integration's name, shown to admins: 1–100 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntegrationName(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DuoSettingsError {
    #[error(
        "a Duo Client ID is the 20 letters and digits shown as Client ID on the Web SDK application's page"
    )]
    ClientIdMalformed,
    #[error(
        "a Duo Client Secret is the 40 letters and digits shown as Client secret on the Web SDK application's page"
    )]
    ClientSecretMalformed,
    #[error("enter the API hostname shown on the Web SDK application's page")]
    HostnameMissing,
    #[error(
        "enter only the API hostname, such as api-1a2b3c4d.duosecurity.com, without https:// or a path"
    )]
    HostnameHasSchemeOrPath,
    #[error("'{0}' is not a host name: letters, digits, hyphens and dots, optionally :port")]
    HostnameMalformed(String),
    #[error("enter a name for the integration")]
    NameMissing,
    #[error("a name has at most {max} characters")]
    NameTooLong { max: usize },
}

fn letters_and_digits(value: &str, length: usize) -> bool {
    value.len() == length && value.bytes().all(|byte| byte.is_ascii_alphanumeric())
}

impl DuoClientId {
    pub const LENGTH: usize = 20;

    pub fn parse(raw: &str) -> Result<Self, DuoSettingsError> {
        let value = raw.trim();
        if !letters_and_digits(value, Self::LENGTH) {
            return Err(DuoSettingsError::ClientIdMalformed);
        }
        Ok(Self(value.to_ascii_uppercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl DuoClientSecret {
    pub const LENGTH: usize = 40;

    /// Kept as typed apart from surrounding whitespace: the secret is case-sensitive.
    pub fn parse(raw: &str) -> Result<Self, DuoSettingsError> {
        let value = raw.trim();
        if !letters_and_digits(value, Self::LENGTH) {
            return Err(DuoSettingsError::ClientSecretMalformed);
        }
        Ok(Self(value.to_owned()))
    }

    /// The secret itself, for signing Duo requests and for encryption at rest.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for DuoClientSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DuoClientSecret(<redacted>)")
    }
}

impl DuoApiHostname {
    pub const MAX_CHARS: usize = 253;

    pub fn parse(raw: &str) -> Result<Self, DuoSettingsError> {
        let value = raw.trim().trim_end_matches('.');
        if value.is_empty() {
            return Err(DuoSettingsError::HostnameMissing);
        }
        if value.contains("://") || value.contains('/') || value.contains('?') {
            return Err(DuoSettingsError::HostnameHasSchemeOrPath);
        }
        let malformed = || DuoSettingsError::HostnameMalformed(value.to_owned());
        if value.chars().count() > Self::MAX_CHARS {
            return Err(malformed());
        }
        let (host, port) = match value.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (value, None),
        };
        if let Some(port) = port
            && !matches!(port.parse::<u16>(), Ok(number) if number > 0)
        {
            return Err(malformed());
        }
        let label_ok = |label: &str| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-')
        };
        if host.split('.').all(label_ok) {
            Ok(Self(value.to_ascii_lowercase()))
        } else {
            Err(malformed())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether Duo hosts it (`api-….duosecurity.com`, or `duofederal.com` for Duo Federal).
    /// Other hosts are allowed only by the operator: the server sends the Client Secret's
    /// signature there, and an admin must not aim it at the server's own network.
    pub fn is_duo_hosted(&self) -> bool {
        let host = self.0.split(':').next().unwrap_or_default();
        [".duosecurity.com", ".duofederal.com"]
            .iter()
            .any(|domain| host.ends_with(domain))
    }
}

impl IntegrationName {
    pub const MAX_CHARS: usize = 100;

    pub fn parse(raw: &str) -> Result<Self, DuoSettingsError> {
        let value = raw.trim();
        if value.is_empty() {
            return Err(DuoSettingsError::NameMissing);
        }
        if value.chars().count() > Self::MAX_CHARS {
            return Err(DuoSettingsError::NameTooLong {
                max: Self::MAX_CHARS,
            });
        }
        Ok(Self(value.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Why a sign-in or a link with Duo did not complete; the sign-in page and the profile page
/// explain each code in words (`sign_in_error=<code>`, `duo_error=<code>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DuoRefusal {
    /// Duo answered that the user denied the request, or its policy did (`auth_result`).
    Denied,
    /// Duo did not answer: the sign-in fails closed.
    Unreachable,
    /// The answer did not verify (signature, issuer, audience, nonce, user), or the callback
    /// was forged.
    Invalid,
    /// The pending authentication is gone (over 10 minutes, another browser, already used).
    Expired,
    /// Duo is no longer set up for this account or its tenant.
    NotAvailable,
}

impl DuoRefusal {
    pub const ALL: [Self; 5] = [
        Self::Denied,
        Self::Unreachable,
        Self::Invalid,
        Self::Expired,
        Self::NotAvailable,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Denied => "duo_denied",
            Self::Unreachable => "duo_unreachable",
            Self::Invalid => "duo_invalid",
            Self::Expired => "duo_expired",
            Self::NotAvailable => "duo_not_available",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|refusal| refusal.code() == code)
    }

    pub fn message(self) -> &'static str {
        match self {
            Self::Denied => {
                "Duo denied the sign-in. Approve the request in Duo, or ask your admin."
            }
            Self::Unreachable => {
                "Duo cannot be reached, so the sign-in was stopped. Try again later, or use a recovery code."
            }
            Self::Invalid => {
                "Duo's answer could not be verified, so the sign-in was stopped. Sign in again."
            }
            Self::Expired => "The Duo step expired or was already used. Sign in again.",
            Self::NotAvailable => {
                "Duo is not set up for this account any more. Sign in with another method, or ask your admin."
            }
        }
    }
}

/// The outcome Duo reports in its ID token (`auth_result.result`); anything but `allow` refuses.
pub fn duo_allows(result: &str) -> bool {
    result == "allow"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_id_is_twenty_letters_and_digits_in_capitals() {
        assert_eq!(
            DuoClientId::parse(" diwj8x6aeyor5omc6tq1 ")
                .unwrap()
                .as_str(),
            "DIWJ8X6AEYOR5OMC6TQ1"
        );
        for bad in [
            "",
            "DIWJ8X6AEYOR5OMC6TQ",
            "DIWJ8X6AEYOR5OMC6TQ12",
            "DIWJ8X6AEYOR5OMC6T-1",
        ] {
            assert_eq!(
                DuoClientId::parse(bad),
                Err(DuoSettingsError::ClientIdMalformed),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_client_secret_is_forty_letters_and_digits_kept_in_its_case() {
        let secret = "aB".repeat(20);
        assert_eq!(DuoClientSecret::parse(&secret).unwrap().expose(), secret);
        assert!(DuoClientSecret::parse(&"a".repeat(39)).is_err());
        assert!(DuoClientSecret::parse(&format!("{}!", "a".repeat(39))).is_err());
    }

    #[test]
    fn a_client_secret_never_shows_in_debug_output() {
        let secret = DuoClientSecret::parse(&"s".repeat(40)).unwrap();
        assert!(!format!("{secret:?}").contains("ssss"));
    }

    #[test]
    fn an_api_hostname_is_a_host_with_an_optional_port() {
        for (raw, parsed) in [
            (
                "api-1a2b3c4d.duosecurity.com",
                "api-1a2b3c4d.duosecurity.com",
            ),
            (
                " API-1A2B3C4D.duosecurity.com. ",
                "api-1a2b3c4d.duosecurity.com",
            ),
            ("127.0.0.1:8443", "127.0.0.1:8443"),
        ] {
            assert_eq!(DuoApiHostname::parse(raw).unwrap().as_str(), parsed);
        }
    }

    #[test]
    fn an_api_hostname_with_a_scheme_or_path_says_to_leave_them_out() {
        for raw in [
            "https://api-1.duosecurity.com",
            "api-1.duosecurity.com/oauth",
        ] {
            assert_eq!(
                DuoApiHostname::parse(raw),
                Err(DuoSettingsError::HostnameHasSchemeOrPath)
            );
        }
        assert_eq!(
            DuoApiHostname::parse("  "),
            Err(DuoSettingsError::HostnameMissing)
        );
        for raw in [
            "api_1.duosecurity.com",
            "-api.duo.com",
            "api..duo.com",
            "duo.com:0",
            "duo.com:x",
        ] {
            assert!(
                matches!(
                    DuoApiHostname::parse(raw),
                    Err(DuoSettingsError::HostnameMalformed(_))
                ),
                "{raw}"
            );
        }
    }

    #[test]
    fn only_duo_hosts_count_as_duo_hosted() {
        for (raw, hosted) in [
            ("api-1a2b3c4d.duosecurity.com", true),
            ("api-1a2b3c4d.duofederal.com", true),
            ("api-1a2b3c4d.duosecurity.com:443", true),
            ("duosecurity.com.evil.test", false),
            ("evilduosecurity.com", false),
            ("127.0.0.1:8443", false),
        ] {
            assert_eq!(
                DuoApiHostname::parse(raw).unwrap().is_duo_hosted(),
                hosted,
                "{raw}"
            );
        }
    }

    #[test]
    fn a_name_is_one_to_a_hundred_characters() {
        assert_eq!(IntegrationName::parse(" Duo ").unwrap().as_str(), "Duo");
        assert_eq!(
            IntegrationName::parse(""),
            Err(DuoSettingsError::NameMissing)
        );
        assert!(IntegrationName::parse(&"é".repeat(101)).is_err());
    }

    #[test]
    fn every_refusal_code_reads_back_and_has_a_message() {
        for refusal in DuoRefusal::ALL {
            assert_eq!(DuoRefusal::from_code(refusal.code()), Some(refusal));
            assert!(refusal.message().ends_with('.'));
        }
        assert_eq!(DuoRefusal::from_code("nope"), None);
    }

    #[test]
    fn only_allow_lets_a_duo_authentication_through() {
        assert!(duo_allows("allow"));
        for other in ["deny", "Allow", "", "fraud"] {
            assert!(!duo_allows(other));
        }
    }
}
