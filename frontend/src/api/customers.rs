//! The customer list's calls: the Customers grid, the Azure customers grid, customer creation
//! and deletion, and who may go into a customer tenant (access delegation).

use gloo_net::http::Request;
use proto::{
    AzureCustomer, AzureCustomersRequest, CreateCustomer, CreateCustomersBatch, Customer,
    CustomersBatchOutcome, Delegation, MatchedCustomer, Page,
};
use uuid::Uuid;

use super::{ApiFailure, call, encoded, read, searched, send};
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

/// Creates each of `items` by the single create's rules; a retry after a failure whose
/// `outcome_unknown()` must send the same `idempotency_key`, so nothing is created twice.
pub async fn create_customers_batch(
    items: Vec<CreateCustomer>,
    idempotency_key: &str,
) -> Result<CustomersBatchOutcome, ApiFailure> {
    read(
        call(
            Request::post("/api/v1/customers/batch")
                .header("Idempotency-Key", idempotency_key)
                .json(&CreateCustomersBatch { items }),
        )
        .await,
    )
}

fn azure_customer_path(tenant_id: &str, action: &str) -> String {
    format!(
        "/api/v1/msp-onboarding/azure-customers/{}/{action}",
        encoded(tenant_id)
    )
}

/// **Link**: the customer takes the sub-tenant's tenant ID.
pub async fn link_azure_customer(tenant_id: &str, customer_id: Uuid) -> Result<(), ApiFailure> {
    let body = MatchedCustomer { customer_id };
    send(Request::post(&azure_customer_path(tenant_id, "link")).json(&body))
        .await
        .map(|_| ())
}

/// **Not this one**: the customer is never suggested for the sub-tenant again.
pub async fn reject_azure_match(tenant_id: &str, customer_id: Uuid) -> Result<(), ApiFailure> {
    let body = MatchedCustomer { customer_id };
    send(Request::post(&azure_customer_path(tenant_id, "rejected-matches")).json(&body))
        .await
        .map(|_| ())
}

/// **Rename customer**: the customer linked to the sub-tenant takes the sub-tenant's name in
/// Azure; answers with the customer renamed.
pub async fn rename_customer_after_azure(tenant_id: &str) -> Result<Customer, ApiFailure> {
    read(call(Request::post(&azure_customer_path(tenant_id, "rename-customer")).build()).await)
}

/// Where the browser downloads every customer matching the Customers search as CSV; the
/// session cookie goes with it.
pub fn export_url(query: &str) -> String {
    let query = query.trim();
    if query.is_empty() {
        "/api/v1/customers/export".to_owned()
    } else {
        format!("/api/v1/customers/export?q={}", encoded(query))
    }
}

/// One customer, e.g. for a page about it to name it.
pub async fn get_customer(id: Uuid) -> Result<Customer, ApiFailure> {
    read(call(Request::get(&format!("/api/v1/customers/{id}")).build()).await)
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
