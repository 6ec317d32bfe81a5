//! Wire types of the MSP Onboarding REST API (`/api/v1`), shared by the server and the web app.
//!
//! Field names are fixed by SPEC §11; everything here is plain serde so it builds for wasm32.
//! The `openapi` feature adds `utoipa::ToSchema` for the server's OpenAPI document.
//!
//! The document states every rule the API checks on a single field, so that generated clients can
//! validate before they call and schema fuzzing finds no valid request refused. Most text fields
//! are trimmed by the API before their length is checked, so their limits are written as a
//! `pattern` rather than `minLength`/`maxLength` (which would count the surrounding whitespace):
//! `[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]` is exactly
//! what `str::trim` removes (Unicode White_Space), then comes the trimmed text with its length
//! bound. Each pattern is wrapped in one capturing group, `^(…)$`: schemathesis rewrites the
//! quantifiers of an unwrapped pattern to fit a `minLength` and cannot generate from the result.
//! `schema_tests` checks every pattern against the API's rule.

mod auth;
mod azure_customers;
mod customer_batch;
mod customer_entra;
mod customer_tenants;
mod customers;
mod groups;
mod jit_accounts;
mod jobs;
mod problem;
mod security;
mod settings;
mod tenancy;
mod user_source;
mod users;
pub mod whole_number;

#[cfg(test)]
#[cfg(feature = "openapi")]
mod schema_tests;

pub use auth::*;
pub use azure_customers::*;
pub use customer_batch::*;
pub use customer_entra::*;
pub use customer_tenants::*;
pub use customers::*;
pub use groups::*;
pub use jit_accounts::*;
pub use jobs::*;
pub use problem::*;
pub use security::*;
pub use settings::*;
pub use tenancy::*;
pub use user_source::*;
pub use users::*;

/// A page of a listing: the items on this page and the total count over all pages.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
}

impl<T> Page<T> {
    /// A listing that is never paged: every item, in one page.
    pub fn whole(items: Vec<T>) -> Self {
        Self {
            total: u64::try_from(items.len()).unwrap_or(u64::MAX),
            items,
        }
    }
}
