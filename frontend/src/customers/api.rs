//! The customer list's calls: the Customers grid, the Azure customers grid and customer creation.

use gloo_net::http::{Request, Response};
pub use proto::AzureCustomer;
use proto::{AzureCustomersRequest, CreateCustomer, Customer, Page, Problem, WindowsGpSettings};
use serde::de::DeserializeOwned;

use crate::api::ApiFailure;

use super::GraphCredentials;

/// Rows per page of the Customers grid.
pub const CUSTOMERS_PER_PAGE: u64 = 10;

/// Why the Azure customers grid could not be filled.
#[derive(Debug, Clone, PartialEq)]
pub struct CallFailure {
    pub failure: ApiFailure,
    /// Seconds Microsoft Graph asked us to wait (503 with `Retry-After`).
    pub retry_after: Option<u32>,
}

impl CallFailure {
    fn network() -> Self {
        Self {
            failure: ApiFailure::Network,
            retry_after: None,
        }
    }

    /// The stable problem code, e.g. `name_exists`.
    pub fn code(&self) -> Option<&str> {
        match &self.failure {
            ApiFailure::Problem {
                problem: Some(problem),
                ..
            } => Some(problem.code.as_str()),
            _ => None,
        }
    }

    pub fn field_errors(&self) -> &[proto::FieldError] {
        match &self.failure {
            ApiFailure::Problem {
                problem: Some(problem),
                ..
            } => &problem.errors,
            _ => &[],
        }
    }

    /// Whether the outcome of the request is unknown, so a retry must repeat its
    /// `Idempotency-Key`.
    pub fn outcome_unknown(&self) -> bool {
        self.failure.status().is_none_or(|status| status >= 500)
    }

    pub fn message(&self) -> String {
        match (&self.failure, self.retry_after) {
            // The server's detail already names the wait; say it ourselves only without one.
            (
                ApiFailure::Problem {
                    status: 503,
                    problem: None,
                },
                Some(seconds),
            ) => format!("Microsoft Graph is throttling requests. Try again in {seconds} seconds."),
            _ => self.failure.message(),
        }
    }
}

/// Sends a request and keeps what an error answer says, including how long to wait when the
/// server passes on Microsoft Graph's throttling.
async fn call<T: DeserializeOwned>(
    request: Result<Request, gloo_net::Error>,
) -> Result<T, CallFailure> {
    let response: Response = request
        .map_err(|_| CallFailure::network())?
        .send()
        .await
        .map_err(|_| CallFailure::network())?;
    if !response.ok() {
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|value| value.trim().parse().ok());
        let problem = response.json::<Problem>().await.ok();
        return Err(CallFailure {
            failure: ApiFailure::Problem {
                status: response.status(),
                problem,
            },
            retry_after,
        });
    }
    response
        .json::<T>()
        .await
        .map_err(|_| CallFailure::network())
}

fn encoded(text: &str) -> String {
    String::from(leptos::web_sys::js_sys::encode_uri_component(text))
}

pub async fn list_customers(query: &str, page: u64) -> Result<Page<Customer>, CallFailure> {
    let mut url = format!("/api/v1/customers?page={page}&per_page={CUSTOMERS_PER_PAGE}");
    let query = query.trim();
    if !query.is_empty() {
        url.push_str("&q=");
        url.push_str(&encoded(query));
    }
    call(Request::get(&url).build()).await
}

pub async fn azure_customers(
    credentials: &GraphCredentials,
    query: &str,
) -> Result<Page<AzureCustomer>, CallFailure> {
    let query = query.trim();
    let body = AzureCustomersRequest {
        client_id: credentials.client_id.clone(),
        client_secret: credentials.client_secret.clone(),
        q: (!query.is_empty()).then(|| query.to_owned()),
    };
    call(Request::post("/api/v1/msp-onboarding/azure-customers").json(&body)).await
}

pub async fn create_customer(
    body: &CreateCustomer,
    idempotency_key: &str,
) -> Result<Customer, CallFailure> {
    call(
        Request::post("/api/v1/customers")
            .header("Idempotency-Key", idempotency_key)
            .json(body),
    )
    .await
}

pub async fn windows_gp_settings() -> Result<WindowsGpSettings, CallFailure> {
    call(Request::get("/api/v1/endpoint-settings/windows-gp").build()).await
}
