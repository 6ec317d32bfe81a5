//! Duo as a second factor (SPEC §14) against the fake Duo over HTTPS: the security integration
//! an admin adds, and the Duo step of sign-in and of "Link Duo".

#[macro_use]
pub mod support;

pub(crate) mod settings;
mod sign_in;
