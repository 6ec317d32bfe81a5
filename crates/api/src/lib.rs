//! The MSP Onboarding server as a library, so that integration tests boot the real application.
//!
//! The layers are folders: `routes` (HTTP: handlers, DTO parsing, the route table and the OpenAPI
//! document) → `services` (business steps in business words, each area with its own error type)
//! → `entity` (storage). `infra` holds what every layer stands on (configuration, database,
//! start-up, authentication, security headers); `error` is the one map from every service error
//! to an HTTP problem document.

pub mod cli;
#[cfg(feature = "demo")]
pub mod demo;
pub mod error;
pub mod infra;
pub mod routes;
pub mod services;

pub use infra::{config, db, startup};
pub use routes::openapi;
pub use services::users;
