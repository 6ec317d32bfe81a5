//! The routed pages (app.rs's router) and the screens shown instead of them: sign-in, the forced
//! enrolment of an authenticator app and the acceptance of an invitation; `jit_access` is the
//! part of the home page shown inside a customer tenant, loaded lazily like a page.

pub mod accept_invitation;
pub mod api_tokens;
pub mod azure_login;
pub mod customer_entra;
pub mod customers;
pub mod enrolment;
pub mod groups;
pub mod home;
pub mod jit_access;
pub mod jobs;
pub mod login;
pub mod msp_onboarding;
pub mod profile;
pub mod security_integrations;
pub mod sso;
pub mod tenant_address;
pub mod user_source;
pub mod users;
pub mod windows_gp;
