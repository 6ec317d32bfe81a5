//! Lists the reseller's sub-tenants, following every `@odata.nextLink`, retrying throttled
//! pages within the limits of [`GraphSettings`].

use std::{collections::HashMap, sync::Arc, time::Duration};

use domain::{AzureClientId, AzureTenantId, ClientSecret};
use reqwest::{StatusCode, header};
use serde::{Deserialize, de::DeserializeOwned};
use url::Url;

use crate::{GraphError, GraphSettings, GraphSetupError, token};

/// What the reseller typed, for one listing. `Debug` shows no secret: [`ClientSecret`] redacts.
#[derive(Debug, Clone)]
pub struct AppCredentials {
    pub tenant_id: AzureTenantId,
    pub client_id: AzureClientId,
    pub client_secret: ClientSecret,
}

/// One CSP customer of the reseller as Graph names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubTenant {
    pub name: String,
    pub tenant_id: String,
    /// Its `<name>.onmicrosoft.com` domain, or the one its admins made default (contracts only).
    pub default_domain: Option<String>,
    pub source: SubTenantSource,
}

/// Where Graph lists a sub-tenant: a (DAP) contract, a GDAP relationship, or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubTenantSource {
    Contract,
    Gdap,
    Both,
}

#[derive(Clone)]
pub struct GraphClient {
    pub(crate) http: reqwest::Client,
    pub(crate) settings: Arc<GraphSettings>,
}

impl std::fmt::Debug for GraphClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GraphClient")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

#[derive(Deserialize)]
pub(crate) struct GraphPage<T> {
    #[serde(default = "Vec::new")]
    pub value: Vec<T>,
    #[serde(rename = "@odata.nextLink")]
    pub next_link: Option<String>,
    /// The last page of a delta round: where the next round starts.
    #[serde(rename = "@odata.deltaLink")]
    pub delta_link: Option<String>,
}

/// A customer of the partner's GDAP relationships (`delegatedAdminCustomer`).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DelegatedAdminCustomer {
    tenant_id: Option<String>,
    display_name: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Contract {
    customer_id: Option<String>,
    display_name: Option<String>,
    default_domain_name: Option<String>,
}

/// An HTTPS-only client for Microsoft's endpoints with the settings' limits and extra root
/// certificate, built from `builder`.
pub(crate) fn https_client(
    settings: &GraphSettings,
    builder: reqwest::ClientBuilder,
) -> Result<reqwest::Client, GraphSetupError> {
    let mut builder = builder
        .timeout(settings.request_timeout)
        .connect_timeout(settings.request_timeout)
        // Secrets and tokens must never travel in clear text, whatever the settings say.
        .https_only(true);
    if let Some(pem) = &settings.extra_root_certificate_pem {
        let certificate = reqwest::Certificate::from_pem(pem.as_bytes())
            .map_err(|error| GraphSetupError::RootCertificate(error.to_string()))?;
        builder = builder.tls_certs_merge([certificate]);
    }
    builder
        .build()
        .map_err(|error| GraphSetupError::HttpClient(error.to_string()))
}

impl GraphClient {
    pub fn new(settings: GraphSettings) -> Result<Self, GraphSetupError> {
        let http = https_client(&settings, reqwest::Client::builder())?;
        Ok(Self {
            http,
            settings: Arc::new(settings),
        })
    }

    pub fn settings(&self) -> &GraphSettings {
        &self.settings
    }

    /// Every sub-tenant, in Graph's order: the contracts, then the customers of GDAP
    /// relationships that have no contract, each listed once with where it was found. The secret
    /// is used for the token request only. An app without the GDAP permission
    /// (`DelegatedAdminRelationship.Read.All`) lists the contracts alone.
    pub async fn list_sub_tenants(
        &self,
        credentials: &AppCredentials,
    ) -> Result<Vec<SubTenant>, GraphError> {
        let token = token::app_only_token(&self.http, &self.settings, credentials).await?;
        let mut patience = Patience::new(&self.settings);
        let contracts: Vec<Contract> = self
            .list_all("v1.0/contracts", &token, &mut patience)
            .await?;
        let delegated: Vec<DelegatedAdminCustomer> = match self
            .list_all(
                "v1.0/tenantRelationships/delegatedAdminCustomers",
                &token,
                &mut patience,
            )
            .await
        {
            Ok(customers) => customers,
            Err(GraphError::MissingPermission) => {
                tracing::info!("no GDAP permission: listing the contracts alone");
                Vec::new()
            }
            Err(error) => return Err(error),
        };
        let mut sub_tenants: Vec<SubTenant> = contracts
            .into_iter()
            .filter_map(|contract| {
                Some(SubTenant {
                    name: contract.display_name?,
                    tenant_id: contract.customer_id?,
                    default_domain: contract.default_domain_name,
                    source: SubTenantSource::Contract,
                })
            })
            .collect();
        let mut position: HashMap<String, usize> = sub_tenants
            .iter()
            .enumerate()
            .map(|(index, sub_tenant)| (sub_tenant.tenant_id.to_lowercase(), index))
            .collect();
        for customer in delegated {
            let (Some(tenant_id), Some(name)) = (customer.tenant_id, customer.display_name) else {
                continue;
            };
            match position.get(&tenant_id.to_lowercase()) {
                Some(&index) => {
                    if let Some(listed) = sub_tenants.get_mut(index) {
                        listed.source = SubTenantSource::Both;
                    }
                }
                None => {
                    position.insert(tenant_id.to_lowercase(), sub_tenants.len());
                    sub_tenants.push(SubTenant {
                        name,
                        tenant_id,
                        default_domain: None,
                        source: SubTenantSource::Gdap,
                    });
                }
            }
        }
        Ok(sub_tenants)
    }

    /// Every item of the collection at `path`, following `@odata.nextLink` page after page.
    async fn list_all<T: DeserializeOwned>(
        &self,
        path: &str,
        token: &token::AccessToken,
        patience: &mut Patience,
    ) -> Result<Vec<T>, GraphError> {
        let mut url =
            self.settings.graph_url.join(path).map_err(|_| {
                GraphError::UnexpectedAnswer("the Graph URL is not valid".to_owned())
            })?;
        url.query_pairs_mut()
            .append_pair("$top", &self.settings.page_size.to_string());
        let mut items = Vec::new();
        loop {
            let page: GraphPage<T> = self.fetch_page(&url, token, patience).await?;
            items.extend(page.value);
            match page.next_link {
                None => return Ok(items),
                Some(link) => url = self.next_page_url(&link)?,
            }
        }
    }

    /// A next link elsewhere than Graph would receive the bearer token: refuse it.
    pub(crate) fn next_page_url(&self, link: &str) -> Result<Url, GraphError> {
        let next = Url::parse(link).map_err(|_| {
            GraphError::UnexpectedAnswer("a next-page link that is not a URL".to_owned())
        })?;
        let graph = &self.settings.graph_url;
        if next.origin() != graph.origin() {
            return Err(GraphError::UnexpectedAnswer(
                "a next-page link outside Microsoft Graph".to_owned(),
            ));
        }
        Ok(next)
    }

    pub(crate) async fn fetch_page<T: DeserializeOwned>(
        &self,
        url: &Url,
        token: &token::AccessToken,
        patience: &mut Patience,
    ) -> Result<GraphPage<T>, GraphError> {
        let mut retries = 0u32;
        loop {
            let outcome = self
                .http
                .get(url.clone())
                .header(header::AUTHORIZATION, token.bearer())
                .header(header::ACCEPT, "application/json")
                .send()
                .await;
            let (wait, failure) = match outcome {
                Err(error) => {
                    tracing::warn!(error = %error, "Microsoft Graph request failed");
                    let failure = transport_failure(&error);
                    if failure == GraphError::TimedOut || error.is_connect() {
                        return Err(failure);
                    }
                    (self.settings.backoff(retries), failure)
                }
                Ok(response) => match response.status() {
                    status if status.is_success() => match read_page(response).await {
                        Ok(page) => return Ok(page),
                        Err(PageFailure::Malformed) => {
                            return Err(GraphError::UnexpectedAnswer(
                                "a page of customers that is not Graph's JSON".to_owned(),
                            ));
                        }
                        Err(PageFailure::CutOff(failure)) => {
                            (self.settings.backoff(retries), failure)
                        }
                    },
                    StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE => {
                        let wait = retry_after(response.headers())
                            .unwrap_or_else(|| self.settings.backoff(retries));
                        (wait, GraphError::Throttled { retry_after: wait })
                    }
                    StatusCode::FORBIDDEN => return Err(GraphError::MissingPermission),
                    StatusCode::UNAUTHORIZED => {
                        return Err(GraphError::UnexpectedAnswer(
                            "Graph refused the access token Entra issued".to_owned(),
                        ));
                    }
                    status => {
                        return Err(GraphError::UnexpectedAnswer(format!(
                            "HTTP {} from Microsoft Graph",
                            status.as_u16()
                        )));
                    }
                },
            };
            retries += 1;
            if !patience.allows(retries, wait) {
                return Err(failure);
            }
            tokio::time::sleep(wait).await;
        }
    }
}

enum PageFailure {
    /// The connection broke mid-answer: worth another try.
    CutOff(GraphError),
    Malformed,
}

async fn read_page<T: DeserializeOwned>(
    response: reqwest::Response,
) -> Result<GraphPage<T>, PageFailure> {
    let body = response.bytes().await.map_err(|error| {
        tracing::warn!(error = %error, "Microsoft Graph answer was cut off");
        PageFailure::CutOff(transport_failure(&error))
    })?;
    serde_json::from_slice(&body).map_err(|error| {
        // A body that ends mid-JSON is a connection cut short, not a Graph that speaks nonsense.
        if error.is_eof() {
            tracing::warn!("Microsoft Graph answer ended mid-document");
            PageFailure::CutOff(GraphError::Unreachable)
        } else {
            PageFailure::Malformed
        }
    })
}

/// The bounds on retrying: tries per request and total waiting per listing.
pub(crate) struct Patience {
    max_attempts: u32,
    max_total_wait: Duration,
    waited: Duration,
}

impl Patience {
    pub(crate) fn new(settings: &GraphSettings) -> Self {
        Self {
            max_attempts: settings.max_attempts.max(1),
            max_total_wait: settings.max_total_wait,
            waited: Duration::ZERO,
        }
    }

    /// Whether retry number `retries` (1 for the first) may happen after waiting `wait`.
    fn allows(&mut self, retries: u32, wait: Duration) -> bool {
        let total = self.waited.saturating_add(wait);
        if retries >= self.max_attempts || total > self.max_total_wait {
            return false;
        }
        self.waited = total;
        true
    }
}

/// `Retry-After` in seconds; Graph does not send the HTTP-date form.
fn retry_after(headers: &header::HeaderMap) -> Option<Duration> {
    headers
        .get(header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()
        .map(Duration::from_secs)
}

pub(crate) fn transport_failure(error: &reqwest::Error) -> GraphError {
    if error.is_timeout() {
        GraphError::TimedOut
    } else {
        GraphError::Unreachable
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> GraphSettings {
        let mut settings = GraphSettings::public_cloud().unwrap();
        settings.max_attempts = 3;
        settings.max_total_wait = Duration::from_secs(5);
        settings
    }

    #[test]
    fn patience_ends_after_the_last_attempt() {
        let mut patience = Patience::new(&settings());
        assert!(patience.allows(1, Duration::from_secs(1)));
        assert!(patience.allows(2, Duration::from_secs(1)));
        assert!(!patience.allows(3, Duration::from_secs(1)));
    }

    #[test]
    fn patience_ends_when_the_total_wait_would_pass_its_limit() {
        let mut patience = Patience::new(&settings());
        assert!(patience.allows(1, Duration::from_secs(4)));
        assert!(!patience.allows(2, Duration::from_secs(2)));
    }

    #[test]
    fn retry_after_is_read_in_seconds() {
        let mut headers = header::HeaderMap::new();
        headers.insert(header::RETRY_AFTER, header::HeaderValue::from_static("7"));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(7)));
        headers.insert(
            header::RETRY_AFTER,
            header::HeaderValue::from_static("soon"),
        );
        assert_eq!(retry_after(&headers), None);
    }
}
