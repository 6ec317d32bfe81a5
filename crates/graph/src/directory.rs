//! A tenant's Entra directory as the MSP's user source (SPEC §16), read with app-only tokens of
//! the operator's multi-tenant app once the tenant consented: the admin-consent URL, the domains,
//! one user by e-mail, and `/users/delta` rounds that report removed and disabled accounts.

use domain::{AzureClientId, AzureTenantId, ClientSecret};
use serde::Deserialize;
use url::Url;

use crate::{
    AppCredentials, GraphClient, GraphError, SignInApp, client::GraphPage, request::Patience, token,
};

/// A domain of the directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectoryDomain {
    pub name: String,
    pub verified: bool,
    /// Signs in through another identity provider (`authenticationType: Federated`).
    pub federated: bool,
    pub default: bool,
}

/// A user of the directory as it is now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectoryUser {
    pub object_id: String,
    pub user_principal_name: String,
    pub mail: Option<String>,
    pub enabled: bool,
}

/// How a user is looked up in a directory.
#[derive(Debug, Clone, Copy)]
pub enum UserLookup<'a> {
    /// By user principal name or mail.
    Email(&'a str),
    /// By Entra object ID: the user is still found after a rename.
    ObjectId(&'a str),
}

/// One entry of a delta round: a user that changed, or one that was removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DirectoryChange {
    Present(DirectoryUser),
    Removed { object_id: String },
}

/// The changes since the round's starting point, and where the next round starts.
#[derive(Debug, Clone)]
pub struct DeltaRound {
    pub changes: Vec<DirectoryChange>,
    pub delta_link: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DomainJson {
    id: String,
    #[serde(default)]
    is_verified: bool,
    #[serde(default)]
    authentication_type: String,
    #[serde(default)]
    is_default: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct UserJson {
    id: String,
    user_principal_name: Option<String>,
    mail: Option<String>,
    account_enabled: Option<bool>,
    #[serde(rename = "@removed")]
    removed: Option<serde_json::Value>,
}

impl UserJson {
    pub(crate) fn into_change(self) -> DirectoryChange {
        if self.removed.is_some() {
            return DirectoryChange::Removed { object_id: self.id };
        }
        DirectoryChange::Present(DirectoryUser {
            object_id: self.id,
            user_principal_name: self.user_principal_name.unwrap_or_default(),
            mail: self.mail,
            // Absent from a delta entry means unchanged; a full round always carries it.
            enabled: self.account_enabled.unwrap_or(true),
        })
    }
}

/// The operator app's credentials for `tenant_id`.
fn credentials(app: &SignInApp, tenant_id: &AzureTenantId) -> Result<AppCredentials, GraphError> {
    let misconfigured =
        |_| GraphError::UnexpectedAnswer("the operator's app registration is not valid".to_owned());
    Ok(AppCredentials {
        tenant_id: *tenant_id,
        client_id: AzureClientId::parse(&app.client_id).map_err(misconfigured)?,
        client_secret: ClientSecret::parse(&app.client_secret).map_err(misconfigured)?,
    })
}

impl GraphClient {
    /// Where an administrator grants the operator's app its permissions in their directory:
    /// `{authority}/organizations/v2.0/adminconsent`, back at `redirect_uri` with `state`.
    pub fn admin_consent_url(
        &self,
        app: &SignInApp,
        redirect_uri: &str,
        state: &str,
    ) -> Result<Url, GraphError> {
        let mut url = self
            .settings
            .authority_url
            .join("organizations/v2.0/adminconsent")
            .map_err(|_| {
                GraphError::UnexpectedAnswer("the authority URL is not valid".to_owned())
            })?;
        url.query_pairs_mut()
            .append_pair("client_id", &app.client_id)
            .append_pair("scope", token::GRAPH_SCOPE)
            .append_pair("redirect_uri", redirect_uri)
            .append_pair("state", state);
        Ok(url)
    }

    pub(crate) async fn directory_token(
        &self,
        app: &SignInApp,
        tenant_id: &AzureTenantId,
    ) -> Result<token::AccessToken, GraphError> {
        token::app_only_token(&self.http, &self.settings, &credentials(app, tenant_id)?).await
    }

    pub(crate) fn graph_path(&self, path: &str) -> Result<Url, GraphError> {
        self.settings
            .graph_url
            .join(path)
            .map_err(|_| GraphError::UnexpectedAnswer("the Graph URL is not valid".to_owned()))
    }

    /// The directory's domains (`/v1.0/domains`).
    pub async fn list_domains(
        &self,
        app: &SignInApp,
        tenant_id: &AzureTenantId,
    ) -> Result<Vec<DirectoryDomain>, GraphError> {
        let token = self.directory_token(app, tenant_id).await?;
        let mut patience = Patience::new(&self.settings);
        let page: GraphPage<DomainJson> = self
            .fetch_page(&self.graph_path("v1.0/domains")?, &token, &mut patience)
            .await?;
        Ok(page
            .value
            .into_iter()
            .map(|domain| DirectoryDomain {
                federated: domain.authentication_type.eq_ignore_ascii_case("Federated"),
                name: domain.id,
                verified: domain.is_verified,
                default: domain.is_default,
            })
            .collect())
    }

    /// The directory's user `lookup` names, if any.
    pub async fn find_user(
        &self,
        app: &SignInApp,
        tenant_id: &AzureTenantId,
        lookup: UserLookup<'_>,
    ) -> Result<Option<DirectoryUser>, GraphError> {
        let token = self.directory_token(app, tenant_id).await?;
        let mut patience = Patience::new(&self.settings);
        let filter = match lookup {
            UserLookup::Email(email) => {
                let quoted = email.replace('\'', "''");
                format!("userPrincipalName eq '{quoted}' or mail eq '{quoted}'")
            }
            UserLookup::ObjectId(object_id) => {
                format!("id eq '{}'", object_id.replace('\'', "''"))
            }
        };
        let mut url = self.graph_path("v1.0/users")?;
        url.query_pairs_mut()
            .append_pair("$filter", &filter)
            .append_pair("$select", "id,userPrincipalName,mail,accountEnabled");
        let page: GraphPage<UserJson> = self.fetch_page(&url, &token, &mut patience).await?;
        Ok(page
            .value
            .into_iter()
            .find_map(|user| match user.into_change() {
                DirectoryChange::Present(user) => Some(user),
                DirectoryChange::Removed { .. } => None,
            }))
    }

    /// One delta round: from `delta_link` (a previous round's) or, without one, a full round of
    /// every user; every page followed, throttling retried within the settings' bounds.
    pub async fn users_delta(
        &self,
        app: &SignInApp,
        tenant_id: &AzureTenantId,
        delta_link: Option<&str>,
    ) -> Result<DeltaRound, GraphError> {
        let token = self.directory_token(app, tenant_id).await?;
        let mut patience = Patience::new(&self.settings);
        let mut url = match delta_link {
            Some(link) => self.next_page_url(link)?,
            None => {
                let mut url = self.graph_path("v1.0/users/delta")?;
                url.query_pairs_mut()
                    .append_pair("$select", "id,userPrincipalName,mail,accountEnabled");
                url
            }
        };
        let mut changes = Vec::new();
        loop {
            let page: GraphPage<UserJson> = self.fetch_page(&url, &token, &mut patience).await?;
            changes.extend(page.value.into_iter().map(UserJson::into_change));
            match (page.next_link, page.delta_link) {
                (Some(next), _) => url = self.next_page_url(&next)?,
                (None, Some(delta_link)) => {
                    // A delta link outside Graph would receive the token next time: refuse it.
                    self.next_page_url(&delta_link)?;
                    return Ok(DeltaRound {
                        changes,
                        delta_link,
                    });
                }
                (None, None) => {
                    return Err(GraphError::UnexpectedAnswer(
                        "a delta round that ended without a deltaLink".to_owned(),
                    ));
                }
            }
        }
    }
}
