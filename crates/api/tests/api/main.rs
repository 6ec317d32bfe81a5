//! The API's integration tests: one binary, booting the real application per test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod helpers;

mod api_tokens;
mod audit_log;
mod auth;
mod conventions;
mod demo;
mod me;
mod openapi;
mod tenants;
