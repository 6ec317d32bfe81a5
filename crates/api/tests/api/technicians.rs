//! Technicians (SPEC §12, §17): the Users API, revocable sessions, the TOTP second factor,
//! Allow access to UI and API tokens for integration accounts.

pub mod support;

mod mfa;
mod sessions;
mod tokens;
mod users;
