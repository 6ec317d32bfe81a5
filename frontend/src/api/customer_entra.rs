//! A customer's Microsoft Entra connection for just-in-time admin accounts (SPEC §16, the MSP's
//! admins): its settings, the admin consent in the customer's directory, and the directory's
//! domains and built-in roles to choose from.

use gloo_net::http::Request;
use proto::{
    ConsentRedirect, CustomerEntraSettings, EntraDomain, EntraRole, Page,
    UpdateCustomerEntraSettings,
};
use uuid::Uuid;

use super::{ApiFailure, call, read};

fn path(customer_id: Uuid, rest: &str) -> String {
    format!("/api/v1/customers/{customer_id}/entra-connection{rest}")
}

pub async fn settings(customer_id: Uuid) -> Result<CustomerEntraSettings, ApiFailure> {
    read(call(Request::get(&path(customer_id, "")).build()).await)
}

pub async fn save(
    customer_id: Uuid,
    change: &UpdateCustomerEntraSettings,
) -> Result<CustomerEntraSettings, ApiFailure> {
    read(call(Request::put(&path(customer_id, "")).json(change)).await)
}

/// Where to send the browser for Entra's admin consent in the customer's directory; Entra sends
/// it back to the server, which lands on `/customer-entra/{customer id}?consent=…`.
pub async fn authorize(customer_id: Uuid) -> Result<ConsentRedirect, ApiFailure> {
    read(call(Request::post(&path(customer_id, "/authorize")).build()).await)
}

/// The customer directory's domains, each with whether accounts can be made there.
pub async fn domains(customer_id: Uuid) -> Result<Page<EntraDomain>, ApiFailure> {
    read(call(Request::get(&path(customer_id, "/domains")).build()).await)
}

/// The directory's built-in roles a mapping can name, by name.
pub async fn roles(customer_id: Uuid) -> Result<Page<EntraRole>, ApiFailure> {
    read(call(Request::get(&path(customer_id, "/roles")).build()).await)
}
