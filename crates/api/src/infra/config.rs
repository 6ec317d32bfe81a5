//! Server configuration: command-line flags, each with an `APP_`-prefixed environment variable
//! (plus `DATABASE_URL`). An unknown `APP_` variable is refused, so a typo cannot go unnoticed.

use std::{path::PathBuf, time::Duration};

use msp_graph::{GraphSettings, Url};

use crate::infra::secret::Secret;

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
    /// Key that encrypts TOTP secrets at rest: 64 hex digits (32 bytes). Default: generated once
    /// into the data directory. Set it when several replicas share one PostgreSQL database.
    #[arg(long, env = "APP_MFA_KEY", hide_env_values = true)]
    pub mfa_key: Option<Secret>,
    /// Lifetime of an access token, in seconds.
    #[arg(long, env = "APP_ACCESS_TOKEN_TTL_SECS", default_value_t = 1800)]
    pub access_token_ttl_secs: u64,
    /// The built web app (index.html and assets/).
    #[arg(long, env = "APP_WEB_DIR", default_value = "./frontend/dist")]
    pub web_dir: PathBuf,
    /// Mark the session cookie `Secure` (set it behind HTTPS).
    #[arg(long, env = "APP_COOKIE_SECURE", default_value_t = false)]
    pub cookie_secure: bool,
    /// Seed the demo tenants and users (idempotent) and start the fake Microsoft Graph on
    /// loopback in place of Microsoft's endpoints.
    #[arg(long, env = "APP_DEMO", default_value_t = false)]
    pub demo: bool,
    /// Web origins (`https://host[:port]`, comma-separated) whose pages may call the API from
    /// a browser (CORS). None by default: only the app served here may.
    #[arg(
        long = "cors-allowed-origin",
        env = "APP_CORS_ALLOWED_ORIGINS",
        value_delimiter = ',',
        value_parser = parse_origin
    )]
    pub cors_allowed_origins: Vec<String>,
    /// Reverse proxies (addresses or CIDR networks, comma-separated) whose `Forwarded` /
    /// `X-Forwarded-For` headers name the client. None by default: the connection's address
    /// is the client's.
    #[arg(
        long = "trusted-proxy",
        env = "APP_TRUSTED_PROXIES",
        value_delimiter = ',',
        value_parser = crate::infra::client_address::parse_network
    )]
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Address for `GET /metrics` (Prometheus), apart from the API: keep it off the public
    /// network. None by default: no metrics are served.
    #[arg(long, env = "APP_METRICS_BIND")]
    pub metrics_bind: Option<String>,
    /// On SIGTERM, how long in-flight requests may take to finish, in seconds.
    #[arg(long, env = "APP_SHUTDOWN_TIMEOUT_SECS", default_value_t = 30)]
    pub shutdown_timeout_secs: u64,
    /// Read-only SQLite connections beside the one that writes (WAL lets them read while it
    /// writes); 0 puts every read on the writer. PostgreSQL uses one pool and ignores it.
    #[arg(long, env = "APP_SQLITE_READERS", default_value_t = crate::infra::db::SQLITE_READERS)]
    pub sqlite_readers: u32,
    /// The domain under which each customer tenant has its own host name,
    /// `<tenant name>-<MSP name>.<domain>` (SPEC §15); point a wildcard DNS record and
    /// certificate at the server. Unset: a customer tenant's address is the path
    /// `/t/<tenant name>-<MSP name>`.
    #[arg(long, env = "APP_PUBLIC_DOMAIN", value_parser = parse_public_domain)]
    pub public_domain: Option<domain::PublicDomain>,
    #[command(flatten)]
    pub jobs: JobOptions,
    #[command(flatten)]
    pub graph: GraphOptions,
    #[command(flatten)]
    pub duo: DuoOptions,
    /// Sign in with Microsoft: the Application (client) ID of the operator's multi-tenant app
    /// registration in Microsoft Entra. Off unless set (with its secret).
    #[arg(
        long,
        env = "APP_MICROSOFT_CLIENT_ID",
        requires = "microsoft_client_secret"
    )]
    pub microsoft_client_id: Option<String>,
    /// The client secret of that app registration.
    #[arg(
        long,
        env = "APP_MICROSOFT_CLIENT_SECRET",
        hide_env_values = true,
        requires = "microsoft_client_id"
    )]
    pub microsoft_client_secret: Option<Secret>,
}

/// Durable scheduled jobs (SPEC §16).
#[derive(Debug, Clone, clap::Args)]
pub struct JobOptions {
    /// How often the housekeeping job deletes spent rows (throttle counters, idempotency
    /// records, ended sessions, old provisioning calls and job runs), in seconds: 1 to 604 800.
    #[arg(
        long,
        env = "APP_HOUSEKEEPING_INTERVAL_SECS",
        default_value_t = 3600,
        value_parser = parse_job_interval
    )]
    pub housekeeping_interval_secs: u64,
    /// How long a server process holds a running job before another may take it over, in
    /// seconds; renewed every third of it while the job runs, so it only runs out when the
    /// process died or lost the database.
    #[arg(long, env = "APP_JOB_LEASE_SECS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub job_lease_secs: u64,
    /// How often a tenant whose user source is Microsoft Entra syncs its directory to offboard
    /// removed and disabled technicians, in seconds: 1 to 604 800 (4 hours by default).
    #[arg(
        long = "user-source-sync-interval-secs",
        env = "APP_USER_SOURCE_SYNC_INTERVAL",
        default_value_t = 14_400,
        value_parser = parse_job_interval
    )]
    pub user_source_sync_interval_secs: u64,
}

impl Default for JobOptions {
    fn default() -> Self {
        Self {
            housekeeping_interval_secs: 3600,
            job_lease_secs: 60,
            user_source_sync_interval_secs: 14_400,
        }
    }
}

fn parse_job_interval(raw: &str) -> Result<u64, String> {
    let secs: u64 = raw
        .trim()
        .parse()
        .map_err(|_| format!("{raw:?} is not a whole number of seconds"))?;
    domain::JobInterval::parse(secs)
        .map(|_| secs)
        .map_err(|error| error.to_string())
}

fn parse_public_domain(raw: &str) -> Result<domain::PublicDomain, String> {
    domain::PublicDomain::parse(raw).map_err(|error| format!("{raw:?}: {error}"))
}

/// An origin as browsers send it: scheme, host and port, nothing else.
pub fn parse_origin(raw: &str) -> Result<String, String> {
    let url = Url::parse(raw.trim()).map_err(|error| format!("{raw:?} is not a URL: {error}"))?;
    let bare = url.path() == "/"
        && url.query().is_none()
        && url.fragment().is_none()
        && url.username().is_empty()
        && url.password().is_none();
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() || !bare {
        return Err(format!(
            "{raw:?} is not an origin; write scheme, host and port only, e.g. https://portal.example.com"
        ));
    }
    Ok(url.origin().ascii_serialization())
}

/// Where Microsoft's endpoints are. Tests, the demo and networks behind a TLS-inspecting proxy
/// change them.
#[derive(Debug, Clone, clap::Args)]
pub struct GraphOptions {
    /// Microsoft Entra authority host (HTTPS); tokens come from `{it}/{tenant}/oauth2/v2.0/token`.
    #[arg(
        long = "graph-authority-url",
        env = "APP_GRAPH_AUTHORITY_URL",
        default_value = "https://login.microsoftonline.com"
    )]
    pub authority_url: Url,
    /// Microsoft Graph base URL (HTTPS).
    #[arg(
        long = "graph-url",
        env = "APP_GRAPH_URL",
        default_value = "https://graph.microsoft.com"
    )]
    pub graph_url: Url,
    /// A PEM file with an extra root certificate to trust for the two URLs above.
    #[arg(long = "graph-root-certificate", env = "APP_GRAPH_ROOT_CERTIFICATE")]
    pub root_certificate: Option<PathBuf>,
    /// Limit for one request to Entra or Graph, in seconds.
    #[arg(
        long = "graph-timeout-secs",
        env = "APP_GRAPH_TIMEOUT_SECS",
        default_value_t = 20
    )]
    pub timeout_secs: u64,
}

impl GraphOptions {
    pub fn public_cloud() -> anyhow::Result<Self> {
        let defaults = GraphSettings::public_cloud()?;
        Ok(Self {
            authority_url: defaults.authority_url,
            graph_url: defaults.graph_url,
            root_certificate: None,
            timeout_secs: defaults.request_timeout.as_secs(),
        })
    }

    pub fn graph_settings(&self) -> anyhow::Result<GraphSettings> {
        let mut settings = GraphSettings::public_cloud()?;
        settings.authority_url = self.authority_url.clone();
        settings.graph_url = self.graph_url.clone();
        settings.request_timeout = Duration::from_secs(self.timeout_secs.max(1));
        settings.extra_root_certificate_pem = match &self.root_certificate {
            None => None,
            Some(path) => Some(std::fs::read_to_string(path).map_err(|error| {
                anyhow::anyhow!(
                    "cannot read the Graph root certificate {}: {error}",
                    path.display()
                )
            })?),
        };
        Ok(settings)
    }
}

/// How the server reaches Duo (SPEC §14). Tests and the demo point it at the fake Duo.
#[derive(Debug, Clone, clap::Args)]
pub struct DuoOptions {
    /// API hostnames (`host[:port]`, comma-separated) that admins may enter besides Duo's own
    /// (`….duosecurity.com`, `….duofederal.com`). None by default: the server signs requests
    /// with the Client Secret and must not send them elsewhere at an admin's word.
    #[arg(
        long = "duo-extra-host",
        env = "APP_DUO_EXTRA_HOSTS",
        value_delimiter = ','
    )]
    pub duo_extra_hosts: Vec<String>,
    /// A PEM file with an extra root certificate to trust for Duo.
    #[arg(long = "duo-root-certificate", env = "APP_DUO_ROOT_CERTIFICATE")]
    pub duo_root_certificate: Option<PathBuf>,
    /// Limit for one request to Duo, in seconds; past it the Duo step fails closed.
    #[arg(
        long = "duo-timeout-secs",
        env = "APP_DUO_TIMEOUT_SECS",
        default_value_t = DuoOptions::DEFAULT_TIMEOUT_SECS
    )]
    pub duo_timeout_secs: u64,
}

impl Default for DuoOptions {
    fn default() -> Self {
        Self {
            duo_extra_hosts: Vec::new(),
            duo_root_certificate: None,
            duo_timeout_secs: Self::DEFAULT_TIMEOUT_SECS,
        }
    }
}

impl DuoOptions {
    pub const DEFAULT_TIMEOUT_SECS: u64 = 10;

    pub fn duo_settings(&self) -> anyhow::Result<msp_duo::DuoSettings> {
        Ok(msp_duo::DuoSettings {
            request_timeout: Duration::from_secs(self.duo_timeout_secs.max(1)),
            extra_root_certificate_pem: match &self.duo_root_certificate {
                None => None,
                Some(path) => Some(std::fs::read_to_string(path).map_err(|error| {
                    anyhow::anyhow!(
                        "cannot read the Duo root certificate {}: {error}",
                        path.display()
                    )
                })?),
            },
        })
    }

    pub fn extra_hosts(&self) -> Vec<String> {
        self.duo_extra_hosts
            .iter()
            .map(|host| host.trim().to_ascii_lowercase())
            .filter(|host| !host.is_empty())
            .collect()
    }
}

/// Where the outside services are and how to trust them: from the settings, or from the fakes
/// `--demo` starts.
#[derive(Debug, Clone)]
pub struct OutsideServices {
    pub graph: GraphSettings,
    pub duo: msp_duo::DuoSettings,
    pub duo_extra_hosts: Vec<String>,
}

impl OutsideServices {
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Self> {
        Ok(Self {
            graph: settings.graph.graph_settings()?,
            duo: settings.duo.duo_settings()?,
            duo_extra_hosts: settings.duo.extra_hosts(),
        })
    }
}

/// Every `APP_` variable the binary reads.
pub const KNOWN_APP_VARIABLES: &[&str] = &[
    "APP_BIND",
    "APP_DATA_DIR",
    "APP_JWT_SECRET",
    "APP_MFA_KEY",
    "APP_ACCESS_TOKEN_TTL_SECS",
    "APP_WEB_DIR",
    "APP_COOKIE_SECURE",
    "APP_DEMO",
    "APP_CORS_ALLOWED_ORIGINS",
    "APP_TRUSTED_PROXIES",
    "APP_GRAPH_AUTHORITY_URL",
    "APP_GRAPH_URL",
    "APP_GRAPH_ROOT_CERTIFICATE",
    "APP_GRAPH_TIMEOUT_SECS",
    "APP_ADMIN_PASSWORD",
    "APP_LOG",
    "APP_LOG_FORMAT",
    "APP_METRICS_BIND",
    "APP_SHUTDOWN_TIMEOUT_SECS",
    "APP_SQLITE_READERS",
    "APP_MICROSOFT_CLIENT_ID",
    "APP_MICROSOFT_CLIENT_SECRET",
    "APP_DUO_EXTRA_HOSTS",
    "APP_DUO_ROOT_CERTIFICATE",
    "APP_DUO_TIMEOUT_SECS",
    "APP_PUBLIC_DOMAIN",
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

    /// The app registration that signs technicians in with Microsoft, when configured.
    pub fn microsoft_sign_in_app(&self) -> Option<msp_graph::SignInApp> {
        match (&self.microsoft_client_id, &self.microsoft_client_secret) {
            (Some(client_id), Some(secret)) => Some(msp_graph::SignInApp {
                client_id: client_id.trim().to_owned(),
                client_secret: secret.expose().to_owned(),
            }),
            _ => None,
        }
    }

    pub fn access_token_ttl(&self) -> Duration {
        Duration::from_secs(self.access_token_ttl_secs)
    }
}

#[cfg(test)]
mod tests {
    use super::parse_origin;

    #[test]
    fn an_origin_is_scheme_host_and_port_only() {
        assert_eq!(
            parse_origin("https://Portal.Example.com:8443").unwrap(),
            "https://portal.example.com:8443"
        );
        assert_eq!(
            parse_origin("https://portal.example.com/").unwrap(),
            "https://portal.example.com"
        );
        for bad in [
            "portal.example.com",
            "*",
            "https://portal.example.com/app",
            "ftp://portal.example.com",
            "https://user@portal.example.com",
        ] {
            assert!(parse_origin(bad).is_err(), "{bad}");
        }
    }
}
