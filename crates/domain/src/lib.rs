//! The business rules of MSP Onboarding as parsed types and pure functions.
//!
//! Nothing here does I/O, so the server and the wasm app share the same rules.

mod access;
mod azure_tenant_id;
mod email;
mod text;
mod wizard;

pub use access::{ClaimSet, feature_available};
pub use azure_tenant_id::{AzureTenantId, AzureTenantIdError};
pub use email::{Email, EmailError};
pub use text::{ApiTokenName, NewPassword, TenantName, TextError};
pub use wizard::{
    Wizard, WizardAction, WizardContext, WizardError, WizardProgressError, WizardStep,
};
