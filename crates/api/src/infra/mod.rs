//! What every layer stands on: configuration, the database, start-up, authentication and the
//! HTTP plumbing that is not a route.

pub mod allocator;
pub mod auth;
pub mod client_address;
pub mod config;
pub mod db;
mod demo_mode;
pub mod keys;
pub mod metrics;
pub mod secret;
pub mod security_headers;
pub mod startup;
pub mod state;
pub mod web_app;

/// Request bodies above this size are refused with 413.
pub const BODY_LIMIT_BYTES: usize = 64 * 1024;

/// The machinery beneath a request failed (no randomness, a hashing worker lost): never the
/// caller's doing, always an internal error.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct InfraFailure(#[from] anyhow::Error);
