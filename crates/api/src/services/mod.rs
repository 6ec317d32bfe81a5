//! Business steps in business words. A service takes a connection or a transaction and the
//! caller, decides, stores, and returns its own error type; it never chooses an HTTP status.

pub mod access;
pub mod api_tokens;
pub mod audit;
pub mod azure_customers;
pub mod azure_matches;
pub mod customer_entra;
pub mod customer_tenants;
pub mod customers;
pub mod delegation;
pub mod entra_consent;
pub mod entra_domains;
pub mod group_policies;
pub mod housekeeping;
pub mod jit_accounts;
pub mod jobs;
pub mod licensing;
pub mod mfa;
pub mod paging;
pub mod provisioning;
pub mod security_integrations;
pub mod sessions;
pub mod settings;
pub mod sign_in;
pub mod storage;
pub mod sub_tenant_news;
pub mod technician_groups;
pub mod tenancy;
pub mod user_source;
pub mod users;
pub mod wizard;
