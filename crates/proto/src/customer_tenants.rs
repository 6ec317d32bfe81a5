//! Going into a customer tenant (SPEC §15): its address, opening it from the MSP, and leaving it.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::TenantSummary;

/// A customer tenant the caller may go into.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomerTenant {
    /// The customer's ID (also its tenant's ID).
    pub customer_id: Uuid,
    pub tenant_name: String,
    pub display_name: String,
    /// `<tenant name>-<MSP name>`, e.g. `contoso-demo-reseller`.
    pub address: String,
    /// Where the web app opens it: `https://<address>.<public domain>` when the server has a
    /// public domain, `/t/<address>` otherwise.
    pub url: String,
}

/// The answer of `POST /api/v1/customers/{id}/open`: a session scoped to the customer tenant. The
/// web app receives the token as its session cookie; an API client sends it as a bearer token.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OpenedCustomerTenant {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the token expires.
    pub expires_in: u64,
    pub customer_tenant: CustomerTenant,
}

impl std::fmt::Debug for OpenedCustomerTenant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpenedCustomerTenant")
            .field("access_token", &"[redacted]")
            .field("token_type", &self.token_type)
            .field("expires_in", &self.expires_in)
            .field("customer_tenant", &self.customer_tenant)
            .finish()
    }
}

/// A session's visit to a customer tenant, for the banner that names it (in `GET /api/v1/me`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomerTenantVisit {
    pub customer_tenant: CustomerTenant,
    /// The MSP the technician belongs to and goes back to.
    pub msp: TenantSummary,
}

/// The answer of `GET /api/v1/host-address`: the customer tenant whose address the
/// request's `Host` names (with a public domain configured).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HostAddress {
    pub address: String,
}
