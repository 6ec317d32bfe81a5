use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// `GET|PUT /api/v1/settings/user-source`: where the tenant's technicians come from (SPEC §16).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserSourceSettings {
    pub source: UserSourceKind,
    /// The Entra directory that consented to the operator's app, and who authorised it when.
    pub connection: Option<EntraConnection>,
    /// Technicians are onboarded with an e-mail at this domain of the directory.
    pub onboarding_domain: Option<String>,
    /// Prefix of just-in-time usernames (`msp-`: `alex@acme.com` → `msp-alex`).
    pub jit_prefix: String,
    /// Users of the tenant now: switching to `azuread` needs at most one.
    pub onboarded_users: u64,
    pub last_sync: Option<UserSourceSync>,
    /// When the offboarding sync runs next, while the source is `azuread`.
    pub next_sync_at: Option<DateTime<Utc>>,
    /// Technicians the directory offboarded and has since enabled again, still deactivated
    /// here: reactivate them (`PATCH /api/v1/users/{id}` with `active: true`) if they should
    /// come back.
    pub reenabled: Vec<ReenabledUser>,
}

/// A technician Microsoft Entra enabled again after it was deactivated here for the directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReenabledUser {
    pub user_id: uuid::Uuid,
    pub email: String,
    pub display_name: String,
    /// Why it was deactivated: removed from, disabled in, or not in Microsoft Entra.
    pub offboarded_because: String,
    pub offboarded_at: DateTime<Utc>,
    /// When a sync first saw the account enabled again.
    pub reenabled_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum UserSourceKind {
    /// Users are invited here (or provisioned by SCIM).
    Local,
    /// Users come from the tenant's Microsoft Entra directory.
    Azuread,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EntraConnection {
    pub entra_tenant_id: String,
    /// The e-mail of the admin who pressed Authorize.
    pub authorised_by: String,
    pub authorised_at: DateTime<Utc>,
}

/// The last offboarding sync.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserSourceSync {
    pub at: DateTime<Utc>,
    /// Why it failed; none when it succeeded.
    pub error: Option<String>,
    /// Users it deactivated.
    pub deactivated: u32,
}

/// `PUT /api/v1/settings/user-source`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateUserSource {
    pub source: UserSourceKind,
    /// Needed for `azuread`: a verified domain that Entra manages (not federated).
    #[serde(default)]
    pub onboarding_domain: Option<String>,
    /// 1–20 of lower-case letters, digits, `-`, `_`, `.`, starting with a letter; `msp-` when
    /// absent.
    #[serde(default)]
    pub jit_prefix: Option<String>,
}

/// `POST /api/v1/settings/user-source/authorize`: where to send the admin's browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConsentRedirect {
    pub redirect_url: String,
}

/// A domain of the consented directory, and whether it can be the onboarding domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EntraDomain {
    pub name: String,
    pub default: bool,
    pub selectable: bool,
    /// Why not, when it is not selectable.
    pub reason: Option<String>,
}
