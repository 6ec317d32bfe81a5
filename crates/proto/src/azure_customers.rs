use serde::{Deserialize, Serialize};

/// `POST /api/v1/msp-onboarding/azure-customers` body. The credentials are used for one Graph
/// call and dropped; they travel in the body so that no URL, log line or history holds them.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AzureCustomersRequest {
    /// The Application (client) ID of your Entra app registration, a GUID.
    #[cfg_attr(
        feature = "openapi",
        schema(example = "0b6e3c1a-2f4d-4e8a-9c7b-1d2e3f4a5b6c")
    )]
    pub client_id: String,
    /// The client secret's Value (not its ID). Never stored.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, format = Password))]
    pub client_secret: String,
    /// Only sub-tenants whose name contains this text, ignoring case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
}

impl std::fmt::Debug for AzureCustomersRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AzureCustomersRequest")
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("q", &self.q)
            .finish()
    }
}

/// One of the reseller's CSP sub-tenants in Microsoft Graph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AzureCustomer {
    pub name: String,
    /// The sub-tenant's Azure (Entra) tenant ID.
    pub tenant_id: String,
    /// Whether a customer can be created from this row.
    pub can_create: bool,
    /// Why not, when `can_create` is false.
    pub reason: Option<AzureCustomerBlock>,
}

/// Why a sub-tenant cannot become a customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AzureCustomerBlock {
    /// A customer of yours already has this name (ignoring case and surrounding spaces).
    NameExists,
    /// A customer already has this Azure tenant ID.
    TenantIdExists,
}
