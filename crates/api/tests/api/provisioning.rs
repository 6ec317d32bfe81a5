//! Technicians provisioned by Microsoft Entra over SCIM 2.0 (SPEC §13, §17): the SSO settings
//! (Tenant URL, secret token, provisioning log), Entra's request sequences in both of its
//! dialects replayed against the real server, the effects on sessions, roles and the audit log,
//! and the SCIM errors.

pub mod support;

mod effects;
mod entra_replay;
mod errors;
mod settings;
