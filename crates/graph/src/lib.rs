//! The Microsoft Graph client: an app-only token through azure_identity, then the reseller's
//! CSP sub-tenants from `/v1.0/contracts`, every page, with bounded patience for throttling; and
//! Sign in with Microsoft (OpenID Connect) for technicians.

mod client;
mod directory;
mod error;
mod settings;
mod sign_in;
mod token;

pub use client::{AppCredentials, GraphClient, SubTenant, SubTenantSource};
pub use directory::{DeltaRound, DirectoryChange, DirectoryDomain, DirectoryUser, UserLookup};
pub use error::{GraphError, GraphSetupError};
pub use settings::GraphSettings;
pub use sign_in::{
    BegunSignIn, MicrosoftIdentity, MicrosoftSignIn, PendingSignIn, SignInApp, SignInFailure,
};
pub use url::Url;
