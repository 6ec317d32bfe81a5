use sea_orm::DatabaseConnection;

use crate::{
    infra::{
        auth::{JwtKeys, MfaKey},
        client_address::TrustedProxies,
    },
    services::sign_in::throttle::ThrottlePolicy,
};

/// What every handler shares.
pub struct AppState {
    /// Every write and transaction; on SQLite the one connection that may write.
    pub db: DatabaseConnection,
    /// Reads that need no transaction (`infra::db::connect_readers`): on SQLite read-only
    /// connections beside the writer, on PostgreSQL the same pool as `db`.
    pub reads: DatabaseConnection,
    pub jwt: JwtKeys,
    /// Encrypts TOTP secrets at rest.
    pub mfa_key: MfaKey,
    pub cookie_secure: bool,
    pub throttle: ThrottlePolicy,
    pub graph: msp_graph::GraphClient,
    /// Writes the SCIM provisioning log off the request path.
    pub provisioning_calls: crate::services::provisioning::calls::CallLog,
    /// Sign in with Microsoft, when the operator configured an app registration for it.
    pub microsoft: Option<msp_graph::MicrosoftSignIn>,
    /// Duo's Universal Prompt, for tenants with a Duo integration.
    pub duo: crate::services::security_integrations::DuoGateway,
    pub trusted_proxies: TrustedProxies,
    /// How customer tenants' URLs are written, and which `Host` names one (SPEC §15).
    pub addresses: crate::services::customer_tenants::Addresses,
    /// How often a tenant's offboarding sync runs (SPEC §16).
    pub user_source_sync_interval: domain::JobInterval,
    /// Wakes this process's job runner when a job became due now (Sync now); other processes
    /// see it at their next look.
    pub jobs_due: std::sync::Arc<tokio::sync::Notify>,
}

impl AppState {
    /// The operator's multi-tenant Entra app, which reads and changes consented directories;
    /// none when it is not configured.
    pub fn operator_app(&self) -> Option<&msp_graph::SignInApp> {
        self.microsoft.as_ref().map(|microsoft| microsoft.app())
    }
}
