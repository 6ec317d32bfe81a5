use sea_orm::DatabaseConnection;

use crate::{
    infra::{auth::JwtKeys, client_address::TrustedProxies},
    services::sign_in::throttle::ThrottlePolicy,
};

/// What every handler shares.
pub struct AppState {
    pub db: DatabaseConnection,
    pub jwt: JwtKeys,
    pub cookie_secure: bool,
    pub throttle: ThrottlePolicy,
    pub graph: msp_graph::GraphClient,
    pub trusted_proxies: TrustedProxies,
}
