//! The Microsoft Graph client: an app-only token through azure_identity, then the reseller's
//! CSP sub-tenants from `/v1.0/contracts`, every page, with bounded patience for throttling.

mod client;
mod error;
mod settings;
mod token;

pub use client::{AppCredentials, GraphClient, SubTenant};
pub use error::{GraphError, GraphSetupError};
pub use settings::GraphSettings;
pub use url::Url;
