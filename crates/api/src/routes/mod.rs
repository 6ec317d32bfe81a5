pub mod api_tokens;
pub mod audit_log;
pub mod auth;
pub mod health;
pub mod me;
pub mod onboarding_wizard;
pub mod paging;
pub mod tenants;
