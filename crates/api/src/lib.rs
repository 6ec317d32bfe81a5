//! The MSP Onboarding server as a library, so that integration tests boot the real application.

pub mod audit;
pub mod auth;
pub mod cli;
pub mod config;
pub mod customers;
pub mod db;
pub mod demo;
pub mod error;
pub mod idempotency;
pub mod json_object;
pub mod openapi;
pub mod routes;
pub mod secret;
pub mod security;
pub mod startup;
pub mod state;
pub mod storage;
pub mod tenancy;
pub mod users;
pub mod web;
pub mod wizard_store;
