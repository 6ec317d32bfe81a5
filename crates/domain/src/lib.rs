//! The business rules of MSP Onboarding as parsed types and pure functions.
//!
//! Nothing here does I/O, so the server and the wasm app share the same rules.

mod access;
mod azure_tenant_id;
mod churn;
mod customer;
mod customer_matching;
mod customer_tenant;
mod duo;
mod email;
mod graph_credentials;
mod jit_accounts;
mod jobs;
mod licence_key;
mod licensing;
mod licensing_choices;
mod microsoft_sign_in;
mod provisioning;
mod spreadsheet;
mod technicians;
mod tenant_address;
mod tenant_tree;
mod text;
mod user_source;
mod wizard;

pub use access::{ClaimSet, Unavailable, feature_availability, feature_available};
pub use azure_tenant_id::{AzureTenantId, AzureTenantIdError};
pub use churn::ChurnScore;
pub use customer::{CustomerChanges, CustomerDetails, CustomerDraft, ResellerTerms, TotalLicenses};
pub use customer_matching::{
    KnownCustomer, LEGAL_FORM_WORDS, MatchBasis, SubTenantFacts, SuggestedMatch, comparable_name,
    email_domain, suggest_matches,
};
pub use customer_tenant::{CustomerDisplayName, CustomerTenantName, CustomerTenantNameError};
pub use duo::{
    DuoApiHostname, DuoClientId, DuoClientSecret, DuoRefusal, DuoSettingsError, IntegrationName,
    duo_allows,
};
pub use email::{Email, EmailError};
pub use graph_credentials::{AzureClientId, ClientSecret, GraphCredentialsError};
pub use jit_accounts::{
    AccountLifetime, AccountLifetimeError, JitAccountName, JitAccountNameError, NoRolesReason,
    RoleId, RoleMapping, RoleMappingError, TeardownStep, expiry_after_request,
};
pub use jobs::{JobInterval, JobIntervalError, next_regular_run, retry_after_failure};
pub use licence_key::{LicenceKey, LicenceKeyError};
pub use licensing::{LicensingError, LicensingSelection};
pub use licensing_choices::{LicensingAvailability, toggle_licensing_option};
pub use microsoft_sign_in::MicrosoftSignInRefusal;
pub use provisioning::{
    ExternalId, ProvisionedNameError, ScimUserName, UnknownAppRole, app_role_of,
    claims_after_role_change, initial_claims, role_from_app_role,
};
pub use spreadsheet::spreadsheet_safe;
pub use technicians::{
    DisplayName, RightsChange, RightsChangeRefused, UserRights, check_deletion, check_rights_change,
};
pub use tenant_address::{
    PublicDomain, PublicDomainError, TenantAddress, TenantAddressError, msp_label,
    url_of as tenant_url,
};
pub use tenant_tree::may_place_under;
pub use text::{
    ApiTokenName, GroupPolicyName, NewPassword, TechnicianGroupName, TenantName, TextError,
};
pub use user_source::{
    DomainFacts, JitPrefix, JitPrefixError, MAX_USERS_TO_SWITCH_SOURCE, OnboardingDomainRefusal,
    onboarding_domain_refusal,
};
pub use wizard::{
    Wizard, WizardAction, WizardContext, WizardError, WizardProgressError, WizardStep,
};
