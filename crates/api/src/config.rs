//! Server configuration: command-line flags, each with an `APP_`-prefixed environment variable
//! (plus `DATABASE_URL`). An unknown `APP_` variable is refused, so a typo cannot go unnoticed.

use std::{path::PathBuf, time::Duration};

use crate::secret::Secret;

#[derive(Debug, Clone, clap::Args)]
pub struct Settings {
    /// Address and port to listen on.
    #[arg(long, env = "APP_BIND", default_value = "127.0.0.1:8080")]
    pub bind: String,
    /// SQLite or PostgreSQL URL; default: a SQLite file in the data directory.
    #[arg(long, env = "DATABASE_URL")]
    pub database_url: Option<String>,
    /// Where the embedded database and the generated signing key live.
    #[arg(long, env = "APP_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
    /// Key that signs access tokens (≥ 32 bytes). Default: generated once into the data directory.
    /// Set it when several replicas share one PostgreSQL database.
    #[arg(long, env = "APP_JWT_SECRET", hide_env_values = true)]
    pub jwt_secret: Option<Secret>,
    /// Lifetime of an access token, in seconds.
    #[arg(long, env = "APP_ACCESS_TOKEN_TTL_SECS", default_value_t = 1800)]
    pub access_token_ttl_secs: u64,
    /// The built web app (index.html and assets/).
    #[arg(long, env = "APP_WEB_DIR", default_value = "./frontend/dist")]
    pub web_dir: PathBuf,
    /// Mark the session cookie `Secure` (set it behind HTTPS).
    #[arg(long, env = "APP_COOKIE_SECURE", default_value_t = false)]
    pub cookie_secure: bool,
    /// Seed the demo tenants and users (idempotent).
    #[arg(long, env = "APP_DEMO", default_value_t = false)]
    pub demo: bool,
}

/// Every `APP_` variable the binary reads.
pub const KNOWN_APP_VARIABLES: &[&str] = &[
    "APP_BIND",
    "APP_DATA_DIR",
    "APP_JWT_SECRET",
    "APP_ACCESS_TOKEN_TTL_SECS",
    "APP_WEB_DIR",
    "APP_COOKIE_SECURE",
    "APP_DEMO",
    "APP_ADMIN_PASSWORD",
    "APP_LOG",
];

/// Names of `APP_` variables in the environment that the binary does not know.
pub fn unknown_app_variables() -> Vec<String> {
    std::env::vars_os()
        .filter_map(|(name, _)| name.into_string().ok())
        .filter(|name| name.starts_with("APP_") && !KNOWN_APP_VARIABLES.contains(&name.as_str()))
        .collect()
}

impl Settings {
    pub fn database_url(&self) -> String {
        self.database_url.clone().unwrap_or_else(|| {
            format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("msp-onboarding.db").display()
            )
        })
    }

    pub fn access_token_ttl(&self) -> Duration {
        Duration::from_secs(self.access_token_ttl_secs)
    }
}
