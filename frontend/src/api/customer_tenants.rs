//! Going into a customer tenant (SPEC §15): the ones the caller may open, finding one by its
//! address, opening it and going back to the MSP. The session cookie changes with each; the app
//! then reads `GET /api/v1/me` again.

use gloo_net::http::Request;
use proto::{CustomerTenant, HostAddress, OpenedCustomerTenant, Page, TokenResponse};
use uuid::Uuid;

use super::{ApiFailure, call, encoded, read, searched};

/// Tiles of "Your customers" on the home page.
pub const TILES_PER_PAGE: u64 = 12;

/// The customer tenants the caller may go into, by display name.
pub async fn list_customer_tenants(
    query: &str,
    page: u64,
) -> Result<Page<CustomerTenant>, ApiFailure> {
    let url = searched("/api/v1/customer-tenants", query, page, TILES_PER_PAGE);
    read(call(Request::get(&url).build()).await)
}

/// The customer tenant at `address` (`<tenant name>-<MSP name>`); 404 when there is none the
/// caller may go into.
pub async fn find_customer_tenant(address: &str) -> Result<CustomerTenant, ApiFailure> {
    let url = format!("/api/v1/customer-tenants/{}", encoded(address));
    read(call(Request::get(&url).build()).await)
}

/// Opens a session scoped to the customer tenant (set as the session cookie).
pub async fn open_customer_tenant(customer_id: Uuid) -> Result<OpenedCustomerTenant, ApiFailure> {
    read(call(Request::post(&format!("/api/v1/customers/{customer_id}/open")).build()).await)
}

/// Goes back to the MSP session the customer tenant was opened from.
pub async fn leave_customer_tenant() -> Result<TokenResponse, ApiFailure> {
    read(call(Request::delete("/api/v1/me/customer-tenant").build()).await)
}

/// The customer tenant address the page's host names, when it is one (no sign-in needed).
pub async fn host_address() -> Result<HostAddress, ApiFailure> {
    read(call(Request::get("/api/v1/host-address").build()).await)
}
