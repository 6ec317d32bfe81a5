//! Lists the reseller's sub-tenants, following every `@odata.nextLink`, retrying throttled
//! pages within the limits of [`GraphSettings`].

use std::{collections::HashMap, sync::Arc};

use domain::{AzureClientId, AzureTenantId, ClientSecret};
use reqwest::{Method, StatusCode};
use serde::{Deserialize, de::DeserializeOwned};
use url::Url;

use crate::{
    GraphError, GraphSettings, GraphSetupError,
    request::{Patience, unexpected_status},
    token,
};

/// Every request names the product: Graph requires a `User-Agent` on some endpoints (LAPS) and
/// Microsoft's support reads it when a tenant's admin asks who called.
const USER_AGENT: &str = concat!("msp-onboarding/", env!("CARGO_PKG_VERSION"));

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
        .user_agent(USER_AGENT)
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
        let answer = self.send(Method::GET, url, token, None, patience).await?;
        match answer.status {
            status if status.is_success() => answer.json("a page"),
            StatusCode::FORBIDDEN => Err(GraphError::MissingPermission),
            status => Err(unexpected_status(status)),
        }
    }
}
