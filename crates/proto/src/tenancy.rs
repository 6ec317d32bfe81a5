use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The kind of tenant: Distributor → Reseller → Corporate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TenantType {
    Distributor,
    Reseller,
    Corporate,
}

impl TenantType {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Distributor => "distributor",
            Self::Reseller => "reseller",
            Self::Corporate => "corporate",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Technician,
}

impl Role {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Technician => "technician",
        }
    }
}

/// A permission claim that gates part of the product (SPEC §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Claim {
    ViewEndpointSettings,
    EditEndpointSettings,
    ManageCustomerSettings,
    ViewCustomers,
    CreateCustomer,
}

impl Claim {
    pub const ALL: [Claim; 5] = [
        Self::ViewEndpointSettings,
        Self::EditEndpointSettings,
        Self::ManageCustomerSettings,
        Self::ViewCustomers,
        Self::CreateCustomer,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::ViewEndpointSettings => "view_endpoint_settings",
            Self::EditEndpointSettings => "edit_endpoint_settings",
            Self::ManageCustomerSettings => "manage_customer_settings",
            Self::ViewCustomers => "view_customers",
            Self::CreateCustomer => "create_customer",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|claim| claim.as_str() == code)
    }
}

/// A licensing option a tenant can hold (stable codes, SPEC §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LicensingOption {
    DnsSecurity,
    PatchManagement,
    Ngav,
    RansomwareEncryption,
    PrivilegedAccess,
    ApplicationControl,
    #[serde(rename = "email_security_365")]
    EmailSecurity365,
    Atp,
    Mxdr,
    Tac,
    TacUiM365UserSecurity,
}

impl LicensingOption {
    pub const ALL: [LicensingOption; 11] = [
        Self::DnsSecurity,
        Self::PatchManagement,
        Self::Ngav,
        Self::RansomwareEncryption,
        Self::PrivilegedAccess,
        Self::ApplicationControl,
        Self::EmailSecurity365,
        Self::Atp,
        Self::Mxdr,
        Self::Tac,
        Self::TacUiM365UserSecurity,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::DnsSecurity => "dns_security",
            Self::PatchManagement => "patch_management",
            Self::Ngav => "ngav",
            Self::RansomwareEncryption => "ransomware_encryption",
            Self::PrivilegedAccess => "privileged_access",
            Self::ApplicationControl => "application_control",
            Self::EmailSecurity365 => "email_security_365",
            Self::Atp => "atp",
            Self::Mxdr => "mxdr",
            Self::Tac => "tac",
            Self::TacUiM365UserSecurity => "tac_ui_m365_user_security",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|option| option.as_str() == code)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum WizardStatus {
    NotStarted,
    InProgress,
    Dismissed,
    Completed,
}

impl WizardStatus {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::NotStarted => "not_started",
            Self::InProgress => "in_progress",
            Self::Dismissed => "dismissed",
            Self::Completed => "completed",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [
            Self::NotStarted,
            Self::InProgress,
            Self::Dismissed,
            Self::Completed,
        ]
        .into_iter()
        .find(|status| status.as_str() == code)
    }
}

/// A tenant as the caller may see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TenantSummary {
    pub id: Uuid,
    pub name: String,
    #[serde(rename = "type")]
    pub tenant_type: TenantType,
    pub parent_id: Option<Uuid>,
    pub monthly_billing: bool,
    pub licensing_options: Vec<LicensingOption>,
    /// The tenant's Microsoft Entra tenant ID (lower-case GUID), when saved.
    pub azure_tenant_id: Option<String>,
    pub master_gp_distribution: bool,
}

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub id: Uuid,
    pub tenant_id: Uuid,
    /// The user who made the change; null for the command line and the demo seed.
    pub actor_user_id: Option<Uuid>,
    /// `api`, `cli` or `demo`.
    pub source: String,
    /// e.g. `api_token.create`.
    pub action: String,
    /// What was changed, e.g. `api_token:<id>`.
    pub target: String,
    /// A JSON object with what helps to understand the change.
    pub details: Option<serde_json::Value>,
    pub source_ip: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}
