//! The customer list's calls: the Customers grid, the Azure customers grid, customer creation
//! and deletion, and who may go into a customer tenant (access delegation).

use gloo_net::http::Request;
use proto::{AzureCustomer, AzureCustomersRequest, CreateCustomer, Customer, Delegation, Page};
use uuid::Uuid;

use super::{ApiFailure, call, read, searched, send};
use crate::components::customers::GraphCredentials;

/// Rows per page of the Customers grid.
pub const CUSTOMERS_PER_PAGE: u64 = 10;

pub async fn list_customers(query: &str, page: u64) -> Result<Page<Customer>, ApiFailure> {
    let url = searched("/api/v1/customers", query, page, CUSTOMERS_PER_PAGE);
    read(call(Request::get(&url).build()).await)
}

pub async fn azure_customers(
    credentials: &GraphCredentials,
    query: &str,
) -> Result<Page<AzureCustomer>, ApiFailure> {
    let query = query.trim();
    let body = AzureCustomersRequest {
        client_id: credentials.client_id.clone(),
        client_secret: credentials.client_secret.clone(),
        q: (!query.is_empty()).then(|| query.to_owned()),
    };
    read(call(Request::post("/api/v1/msp-onboarding/azure-customers").json(&body)).await)
}

/// A retry after a failure whose `outcome_unknown()` must send the same `idempotency_key`.
pub async fn create_customer(
    body: &CreateCustomer,
    idempotency_key: &str,
) -> Result<Customer, ApiFailure> {
    read(
        call(
            Request::post("/api/v1/customers")
                .header("Idempotency-Key", idempotency_key)
                .json(body),
        )
        .await,
    )
}

/// Deletes a customer tenant with all of its data (admins only); 404 once it is gone.
pub async fn delete_customer(id: Uuid) -> Result<(), ApiFailure> {
    send(Request::delete(&format!("/api/v1/customers/{id}")).build())
        .await
        .map(|_| ())
}

/// The technicians and technician groups delegated to a customer tenant (admins).
pub async fn delegation(id: Uuid) -> Result<Delegation, ApiFailure> {
    read(call(Request::get(&format!("/api/v1/customers/{id}/delegation")).build()).await)
}

/// Replaces who is delegated to a customer tenant (admins); answers with what was stored.
pub async fn save_delegation(id: Uuid, body: &Delegation) -> Result<Delegation, ApiFailure> {
    read(call(Request::put(&format!("/api/v1/customers/{id}/delegation")).json(body)).await)
}
