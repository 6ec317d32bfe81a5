//! What a reseller types on the MSP Onboarding tab to let us read its sub-tenants once.

use uuid::Uuid;

/// The application (client) ID of the reseller's Entra app registration: a GUID.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AzureClientId(Uuid);

/// A client secret value. It is used for one Graph call and dropped: it has no `Display`, no
/// serialisation, and its `Debug` is redacted so it cannot reach a log by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct ClientSecret(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GraphCredentialsError {
    #[error(
        "a client ID is the GUID shown as Application (client) ID on the app registration's Overview page"
    )]
    ClientIdNotAGuid,
    #[error("enter the client secret value")]
    SecretMissing,
    #[error("a client secret value is at most {max} characters")]
    SecretTooLong { max: usize },
    #[error(
        "this looks like the secret's ID (a GUID); enter the secret's Value shown when it was created"
    )]
    SecretIsAnId,
}

impl AzureClientId {
    /// The same GUID forms as a tenant ID: either case, braces allowed.
    pub fn parse(raw: &str) -> Result<Self, GraphCredentialsError> {
        crate::AzureTenantId::parse(raw)
            .map(|guid| Self(guid.as_uuid()))
            .map_err(|_| GraphCredentialsError::ClientIdNotAGuid)
    }
}

impl std::fmt::Display for AzureClientId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0.hyphenated())
    }
}

impl ClientSecret {
    /// Entra's generated secrets are 40 characters; the limit only stops absurd input.
    pub const MAX_CHARS: usize = 1024;

    /// Kept exactly as typed apart from surrounding whitespace, which a copy and paste adds
    /// and a generated secret never contains.
    pub fn parse(raw: &str) -> Result<Self, GraphCredentialsError> {
        let value = raw.trim();
        if value.is_empty() {
            return Err(GraphCredentialsError::SecretMissing);
        }
        if value.chars().count() > Self::MAX_CHARS {
            return Err(GraphCredentialsError::SecretTooLong {
                max: Self::MAX_CHARS,
            });
        }
        // Pasting the secret's ID instead of its value is the commonest mistake; Entra would
        // answer "invalid client secret" without saying why.
        if crate::AzureTenantId::parse(value).is_ok() {
            return Err(GraphCredentialsError::SecretIsAnId);
        }
        Ok(Self(value.to_owned()))
    }

    /// The secret itself, for the one place that sends it to Entra.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for ClientSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ClientSecret(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_id_is_a_guid_in_any_case() {
        let id = AzureClientId::parse("0B6E3C1A-2F4D-4E8A-9C7B-1D2E3F4A5B6C").unwrap();
        assert_eq!(id.to_string(), "0b6e3c1a-2f4d-4e8a-9c7b-1d2e3f4a5b6c");
        assert_eq!(
            AzureClientId::parse("my-app"),
            Err(GraphCredentialsError::ClientIdNotAGuid)
        );
    }

    #[test]
    fn an_empty_secret_is_refused() {
        assert_eq!(
            ClientSecret::parse("  "),
            Err(GraphCredentialsError::SecretMissing)
        );
    }

    #[test]
    fn a_secret_id_pasted_instead_of_the_value_is_explained() {
        assert_eq!(
            ClientSecret::parse("0b6e3c1a-2f4d-4e8a-9c7b-1d2e3f4a5b6c"),
            Err(GraphCredentialsError::SecretIsAnId)
        );
    }

    #[test]
    fn an_overlong_secret_is_refused() {
        let raw = "x".repeat(ClientSecret::MAX_CHARS + 1);
        assert_eq!(
            ClientSecret::parse(&raw),
            Err(GraphCredentialsError::SecretTooLong {
                max: ClientSecret::MAX_CHARS
            })
        );
    }

    #[test]
    fn the_secret_never_shows_in_debug_output() {
        let secret = ClientSecret::parse("Abc8Q~distinctive-value").unwrap();
        assert_eq!(format!("{secret:?}"), "ClientSecret(<redacted>)");
        assert_eq!(secret.expose(), "Abc8Q~distinctive-value");
    }
}
