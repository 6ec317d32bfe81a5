//! The Microsoft Graph client: an app-only token through azure_identity, then the reseller's
//! CSP sub-tenants from `/v1.0/contracts`, every page, with bounded patience for throttling; and
//! Sign in with Microsoft (OpenID Connect) for technicians; a tenant's Entra directory as user
//! source; and in customers' directories just-in-time admin accounts, their roles, and LAPS.

mod client;
mod customer_directory;
mod directory;
mod error;
mod request;
mod settings;
mod sign_in;
mod token;

pub use client::{AppCredentials, GraphClient, SubTenant, SubTenantSource};
pub use customer_directory::{
    AccountPassword, CreatedAccount, CustomerDirectoryError, DeviceCredentialInfo, DevicePassword,
    DirectoryPermission, LapsPassword, NewDirectoryAccount, RandomnessUnavailable, Removal,
    RoleAssignment, RoleDefinition,
};
pub use directory::{DeltaRound, DirectoryChange, DirectoryDomain, DirectoryUser, UserLookup};
pub use error::{GraphError, GraphSetupError};
pub use settings::GraphSettings;
pub use sign_in::{
    BegunSignIn, MicrosoftIdentity, MicrosoftSignIn, PendingSignIn, SignInApp, SignInFailure,
};
pub use url::Url;
