use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// `GET|PUT /api/v1/settings/azure-login`: the reseller's Microsoft Entra tenant ID.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AzureLogin {
    /// A GUID (any case, braces allowed on input; stored and returned lower-case), or null or a
    /// blank string to clear.
    #[cfg_attr(
        feature = "openapi",
        schema(
            example = "5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
            pattern = r"^([\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*(?:[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}|\{[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\})?[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*)$"
        )
    )]
    pub tenant_id: Option<String>,
}

/// `GET|PUT /api/v1/settings/new-sub-tenants`: whether the Azure customers grid marks the
/// sub-tenants first seen since each user's previous listing and those renamed in Azure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewSubTenantsSetting {
    pub show_new_sub_tenants: bool,
}

/// `GET|PUT /api/v1/endpoint-settings/windows-gp`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct WindowsGpSettings {
    /// Reseller Master GPs Distribution: the reseller's enabled group policies may be given to
    /// new customers that opt in.
    pub master_gp_distribution: bool,
}

/// A Windows group policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupPolicy {
    pub id: Uuid,
    pub name: String,
    pub enabled: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// `POST /api/v1/group-policies` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateGroupPolicy {
    /// 1–100 characters once surrounding whitespace is trimmed, unique in your tenant (ignoring case).
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            pattern = r"^([\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000](?:[\s\S]{0,98}[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000])?[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*)$"
        )
    )]
    pub name: String,
    /// Off unless given.
    #[serde(default)]
    pub enabled: bool,
}

/// `PATCH /api/v1/group-policies/{id}` body: the fields to change.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateGroupPolicy {
    /// A new name under the rules of creation (1–100 characters once surrounding whitespace is
    /// trimmed); leave it out to keep the name.
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
    pub enabled: Option<bool>,
}

/// `GET /api/v1/settings/scim` (admins): where Microsoft Entra provisions technicians (SPEC §13).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScimSettings {
    /// The SCIM base URL to paste into Entra's Tenant URL field.
    pub tenant_url: String,
    /// The secret token in use, without the token itself; null when none was generated (or it
    /// was revoked).
    pub token: Option<ScimTokenStatus>,
}

/// What is shown of a tenant's SCIM secret token after it was generated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScimTokenStatus {
    /// The token's first characters.
    pub prefix: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// When Entra last called with it (to the minute), or null.
    pub last_used_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// `POST /api/v1/settings/scim-token` (admins): a new secret token, shown this once; any earlier
/// token stops working at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedScimToken {
    pub tenant_url: String,
    pub secret_token: String,
}

/// One call of Entra's provisioning service, as the SSO page's provisioning log lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProvisioningCall {
    pub id: Uuid,
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// The HTTP method.
    pub method: String,
    /// Path and query under the server, e.g. `/scim/v2/Users?filter=…`.
    pub path: String,
    /// The status the server answered.
    pub status: u16,
    /// The user the call was about, when there was one.
    pub user_id: Option<Uuid>,
    /// Why the call was refused, for an error answer.
    pub detail: Option<String>,
}
