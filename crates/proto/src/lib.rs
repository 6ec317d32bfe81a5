//! Wire types of the MSP Onboarding REST API (`/api/v1`), shared by the server and the web app.
//!
//! Field names are fixed by SPEC §11; everything here is plain serde so it builds for wasm32.
//! The `openapi` feature adds `utoipa::ToSchema` for the server's OpenAPI document.

mod auth;
mod azure_customers;
mod customers;
mod problem;
mod settings;
mod tenancy;
pub mod whole_number;

pub use auth::*;
pub use azure_customers::*;
pub use customers::*;
pub use problem::*;
pub use settings::*;
pub use tenancy::*;

/// A page of a listing: the items on this page and the total count over all pages.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
}
