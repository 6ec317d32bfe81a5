//! Where Microsoft's endpoints are and how patient the client is with them.

use std::time::Duration;

use url::Url;

/// The defaults point at Microsoft's public cloud; tests, the demo and TLS-inspecting proxies
/// change the URLs and add a root certificate.
#[derive(Debug, Clone)]
pub struct GraphSettings {
    /// The Entra authority host, `https://login.microsoftonline.com` in the public cloud.
    pub authority_url: Url,
    /// The Graph base, `https://graph.microsoft.com` in the public cloud.
    pub graph_url: Url,
    /// An extra root certificate (PEM) trusted for both endpoints.
    pub extra_root_certificate_pem: Option<String>,
    /// The limit for one HTTP request, connect included.
    pub request_timeout: Duration,
    /// Tries per Graph request when Graph throttles or is unavailable, the first included.
    pub max_attempts: u32,
    /// The longest the client waits in total across retries of one listing.
    pub max_total_wait: Duration,
    /// The first wait when Graph throttles without `Retry-After`; each further wait doubles.
    pub initial_backoff: Duration,
    /// Page size requested with `$top`.
    pub page_size: u32,
    /// How long a role assignment waits, backing off, for a user created moments before: Entra
    /// answers 404 for a new principal until its directory has replicated it.
    pub replication_wait: Duration,
}

impl GraphSettings {
    pub fn public_cloud() -> Result<Self, url::ParseError> {
        Ok(Self {
            authority_url: Url::parse("https://login.microsoftonline.com")?,
            graph_url: Url::parse("https://graph.microsoft.com")?,
            extra_root_certificate_pem: None,
            request_timeout: Duration::from_secs(20),
            max_attempts: 4,
            max_total_wait: Duration::from_secs(30),
            initial_backoff: Duration::from_secs(1),
            page_size: 100,
            replication_wait: Duration::from_secs(30),
        })
    }

    /// The wait before retry number `retry` (0 for the first retry) when Graph names none.
    pub fn backoff(&self, retry: u32) -> Duration {
        self.initial_backoff
            .saturating_mul(2u32.saturating_pow(retry.min(16)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_starts_at_one_second_and_doubles() {
        let settings = GraphSettings::public_cloud().unwrap();
        let waits: Vec<u64> = (0..4)
            .map(|retry| settings.backoff(retry).as_secs())
            .collect();
        assert_eq!(waits, vec![1, 2, 4, 8]);
    }

    #[test]
    fn the_public_cloud_is_the_default() {
        let settings = GraphSettings::public_cloud().unwrap();
        assert_eq!(
            settings.authority_url.as_str(),
            "https://login.microsoftonline.com/"
        );
        assert_eq!(settings.graph_url.as_str(), "https://graph.microsoft.com/");
    }
}
