//! The routed pages (app.rs's router) and the screens shown instead of them: sign-in, the forced
//! enrolment of an authenticator app and the acceptance of an invitation.

pub mod accept_invitation;
pub mod api_tokens;
pub mod azure_login;
pub mod customers;
pub mod enrolment;
pub mod groups;
pub mod home;
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
