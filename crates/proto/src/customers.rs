use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::LicensingOption;

/// `POST /api/v1/customers` body. Every rule is checked by the API and reported per field (422).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateCustomer {
    /// Trimmed, 1–100 characters, none of `/`, `\` or `+`; unique under your reseller (ignoring case).
    pub name: Option<String>,
    /// Purchased seats, at least 1.
    #[serde(default, deserialize_with = "crate::whole_number::option")]
    pub total_licenses: Option<i64>,
    pub email: Option<String>,
    /// Free text, at most 2 000 characters.
    #[serde(default)]
    pub details: Option<String>,
    /// On unless given.
    #[serde(default)]
    pub monthly_billing: Option<bool>,
    /// Only options your reseller holds; `email_security_365` and `atp` exclude each other;
    /// `tac` and `tac_ui_m365_user_security` need `mxdr`; `mxdr` always brings `tac`.
    #[serde(default)]
    pub licensing_options: Vec<LicensingOption>,
    /// Give the customer your enabled group policies (needs Reseller Master GPs Distribution on).
    #[serde(default)]
    pub opt_in_master_gp: bool,
    /// The customer's Microsoft Entra tenant ID; unique across all customers.
    #[serde(default)]
    pub azure_tenant_id: Option<String>,
    /// Whether the customer is billed under SPLA (off unless given).
    #[serde(default)]
    pub spla: Option<bool>,
}

/// `PATCH /api/v1/customers/{id}` body: only the fields given change, under the same rules.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateCustomer {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::whole_number::option"
    )]
    pub total_licenses: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// An empty string clears the details.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monthly_billing: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub licensing_options: Option<Vec<LicensingOption>>,
    /// true gives the customer your currently enabled group policies; false takes them away.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opt_in_master_gp: Option<bool>,
    /// An empty string clears it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub azure_tenant_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spla: Option<bool>,
}

/// A customer's licence key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LicenceKeyInfo {
    /// Five groups of five characters, e.g. `7K3QX-M9D2P-4VW8R-B6T1N-Z0HJC`.
    pub key: String,
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

/// A Corporate customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Customer {
    pub id: Uuid,
    pub name: String,
    /// Always `Corporate`.
    pub customer_type: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub spla: bool,
    pub total_licenses: u32,
    pub active_licenses: u32,
    /// 0–100: how likely the customer is to leave (SPEC §8).
    pub churn_score: u8,
    pub email: String,
    pub details: Option<String>,
    pub monthly_billing: bool,
    pub licensing_options: Vec<LicensingOption>,
    pub opt_in_master_gp: bool,
    /// Group policies the customer received from the reseller's master GPs.
    pub group_policy_ids: Vec<Uuid>,
    pub azure_tenant_id: Option<String>,
    pub reseller_id: Uuid,
    pub licence_key: LicenceKeyInfo,
}

/// `POST /api/v1/licensing/activations` and `…/deactivations` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DeviceActivation {
    /// The customer's licence key, as typed (case, hyphens and spaces do not matter).
    pub licence_key: String,
    /// The device's own stable identifier, 1–200 characters.
    pub device_id: String,
}

/// A customer's licence use after an activation or deactivation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LicenceUsage {
    pub customer_id: Uuid,
    pub active_licenses: u32,
    pub total_licenses: u32,
    pub churn_score: u8,
    /// Whether this device holds one of the active licences now.
    pub device_active: bool,
}
