//! A customer tenant's Microsoft Entra connection for just-in-time admin accounts (SPEC §16).

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::EntraConnection;

/// `GET|PUT /api/v1/customers/{id}/entra-connection` (the MSP's admins).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomerEntraSettings {
    /// What technicians see, e.g. "Entra ID - retail customer".
    pub app_name: String,
    /// The customer's Entra directory that consented to the operator's app, and who authorised
    /// it when; none until Authorize succeeds.
    pub connection: Option<EntraConnection>,
    /// How long a just-in-time account lives, 1–24 hours.
    pub lifetime_hours: u32,
    /// The verified managed domain where accounts are created.
    pub account_domain: Option<String>,
    pub role_mapping: Option<RoleMappingSettings>,
}

/// `PUT /api/v1/customers/{id}/entra-connection`. The domain and the role mapping can only be
/// set once the directory is authorised: they are checked against it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateCustomerEntraSettings {
    /// 1–100 characters once trimmed.
    pub app_name: String,
    /// 1–24; 4 when absent.
    #[serde(default, deserialize_with = "crate::whole_number::option")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 24))]
    pub lifetime_hours: Option<u32>,
    #[serde(default)]
    pub account_domain: Option<String>,
    #[serde(default)]
    pub role_mapping: Option<RoleMappingSettings>,
}

/// Which Entra built-in roles (by template ID) a technician's account gets: one set for every
/// technician with access (`all_admins`), or per technician group (`per_group`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RoleMappingSettings {
    pub mode: RoleMappingMode,
    /// With `all_admins`: the roles, 1–20.
    #[serde(default)]
    pub all_admins: Vec<Uuid>,
    /// With `per_group`: each group's roles, 1–20 each.
    #[serde(default)]
    pub groups: Vec<GroupRoles>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RoleMappingMode {
    AllAdmins,
    PerGroup,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct GroupRoles {
    pub group_id: Uuid,
    pub roles: Vec<Uuid>,
}

/// An Entra built-in role a mapping can name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EntraRole {
    /// The role's template ID, the same in every tenant.
    pub id: Uuid,
    pub display_name: String,
    pub description: String,
}
