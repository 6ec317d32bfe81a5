//! The routed pages (app.rs's router) and the sign-in page shown before it.

pub mod api_tokens;
pub mod azure_login;
pub mod home;
pub mod login;
pub mod msp_onboarding;
pub mod windows_gp;
