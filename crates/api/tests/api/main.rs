//! The API's integration tests: one binary, booting the real application per test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod helpers;

mod api_tokens;
mod audit_log;
mod auth;
mod auth_hostility;
#[macro_use]
mod azure_customers;
mod azure_matches;
mod business;
mod claim_matrix;
mod conventions;
mod crash_safety;
mod customer_batch;
mod customer_concurrency;
mod customer_data_claims;
mod customer_deletion;
mod customer_export;
mod customer_search;
mod customer_tenant_access;
mod customer_tenants;
mod customers;
mod delegation;
mod demo;
mod duo;
mod fuzz_findings;
mod group_policies;
mod hardening;
mod housekeeping;
mod isolation_matrix;
mod job_replicas;
mod jobs;
mod licensing;
mod me;
#[macro_use]
mod microsoft_sign_in;
mod customer_entra;
mod jit_accounts;
mod jit_secrets_never_kept;
mod migration_upgrade;
mod onboarding_wizard;
mod openapi;
mod operations;
mod provisioning;
mod replicas;
mod route_table;
mod secret_never_kept;
mod settings;
mod sub_tenant_news;
mod technician_groups;
mod technicians;
mod tenants;
mod typed_storage;
mod user_source;
mod user_source_sign_in;
