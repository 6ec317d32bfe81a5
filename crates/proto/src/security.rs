//! Security integrations (SPEC §14): Duo as a second factor.

#[cfg(feature = "sea-orm")]
use sea_orm::entity::prelude::StringLen;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

crate::tenancy::code_enum! {
    /// What kind of security integration; one of each kind per tenant.
    pub enum SecurityIntegrationKind {
        /// Duo's Universal Prompt (Duo Web SDK v4) as a second factor at sign-in.
        DuoWebSdk,
    }
}

/// A tenant's security integration as admins see it: never its Client Secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SecurityIntegration {
    pub id: Uuid,
    pub kind: SecurityIntegrationKind,
    pub name: String,
    /// Duo's Client ID (20 letters and digits).
    pub client_id: String,
    /// Duo's API hostname, such as `api-1a2b3c4d.duosecurity.com`.
    pub api_hostname: String,
    /// Off: nobody is offered Duo at sign-in, and linked users fall back to their other factor.
    pub enabled: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// `POST /api/v1/settings/security-integrations` body. Duo's health check runs with these
/// credentials before anything is saved.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewSecurityIntegration {
    pub kind: SecurityIntegrationKind,
    /// 1–100 characters once surrounding whitespace is trimmed.
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            example = "Duo",
            pattern = r"^([\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000](?:[\s\S]{0,98}[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000])?[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*)$"
        )
    )]
    pub name: String,
    /// Client ID from the Web SDK application's page in Duo's Admin Panel: 20 letters and digits.
    #[cfg_attr(
        feature = "openapi",
        schema(
            example = "DIWJ8X6AEYOR5OMC6TQ1",
            pattern = r"^([\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[A-Za-z0-9]{20}[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*)$"
        )
    )]
    pub client_id: String,
    /// Client secret from the same page: 40 letters and digits. Stored encrypted, never returned.
    #[cfg_attr(
        feature = "openapi",
        schema(format = Password, pattern = r"^([\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[A-Za-z0-9]{40}[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*)$")
    )]
    pub client_secret: String,
    /// API hostname from the same page, without `https://`: a host of `duosecurity.com` or
    /// `duofederal.com` (or one the operator allows with `APP_DUO_EXTRA_HOSTS`), optionally
    /// with a port.
    #[cfg_attr(
        feature = "openapi",
        schema(
            example = "api-1a2b3c4d.duosecurity.com",
            min_length = 1,
            max_length = 260
        )
    )]
    pub api_hostname: String,
    /// On unless given.
    #[serde(default = "enabled_by_default")]
    pub enabled: bool,
}

fn enabled_by_default() -> bool {
    true
}

impl std::fmt::Debug for NewSecurityIntegration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewSecurityIntegration")
            .field("kind", &self.kind)
            .field("name", &self.name)
            .field("client_id", &self.client_id)
            .field("client_secret", &"[redacted]")
            .field("api_hostname", &self.api_hostname)
            .field("enabled", &self.enabled)
            .finish()
    }
}

/// `PATCH /api/v1/settings/security-integrations/{id}` body: the fields to change. Duo's health
/// check runs again when the credentials or the hostname change, or the integration is turned on.
#[derive(Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SecurityIntegrationChanges {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            pattern = r"^([\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000](?:[\s\S]{0,98}[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000])?[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*)$"
        )
    )]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^([\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[A-Za-z0-9]{20}[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*)$"
        )
    )]
    pub client_id: Option<String>,
    /// A new secret; leave it out to keep the stored one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(format = Password, pattern = r"^([\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[A-Za-z0-9]{40}[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*)$")
    )]
    pub client_secret: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 260))]
    pub api_hostname: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}

impl std::fmt::Debug for SecurityIntegrationChanges {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecurityIntegrationChanges")
            .field("name", &self.name)
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "[redacted]"),
            )
            .field("api_hostname", &self.api_hostname)
            .field("enabled", &self.enabled)
            .finish()
    }
}

/// `POST /api/v1/settings/security-integrations/{id}/check`: Duo's health check passed now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SecurityIntegrationCheck {
    pub healthy: bool,
    pub checked_at: chrono::DateTime<chrono::Utc>,
}

/// `POST /api/v1/auth/login/duo` body: the `mfa_token` of the password step.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DuoLoginRequest {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 2000))]
    pub mfa_token: String,
}

impl std::fmt::Debug for DuoLoginRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DuoLoginRequest { [redacted] }")
    }
}

/// Where the browser goes for Duo's prompt; Duo sends it back to
/// `/api/v1/auth/duo/callback`, which finishes the sign-in (or the link) and redirects into the
/// web app. Valid for 10 minutes, in this browser only (an HttpOnly cookie carries the state).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DuoRedirect {
    pub redirect_url: String,
}
