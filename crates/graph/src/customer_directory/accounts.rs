//! Just-in-time admin accounts: create one (`POST /users`), read it, disable it, revoke its
//! sign-in sessions and delete it. Every step after the create is idempotent, so the expiry job
//! may repeat any of them.

use domain::AzureTenantId;
use reqwest::{Method, StatusCode};
use serde::Deserialize;
use serde_json::json;

use super::{AccountPassword, CustomerDirectoryError, DirectoryPermission, Removal, refused};
use crate::{
    DirectoryUser, GraphClient, SignInApp,
    directory::UserJson,
    request::{Answer, Patience},
};

const USERS: &str = "v1.0/users";
const PERMISSION: DirectoryPermission = DirectoryPermission::UserReadWriteAll;

/// The account to create: enabled, with a password the technician need not change.
#[derive(Debug, Clone)]
pub struct NewDirectoryAccount {
    pub user_principal_name: String,
    pub display_name: String,
    pub mail_nickname: String,
    pub password: AccountPassword,
}

/// The account Graph created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedAccount {
    pub object_id: String,
    pub user_principal_name: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreatedJson {
    id: String,
    user_principal_name: Option<String>,
}

impl GraphClient {
    /// Creates the account. A lost answer is retried; if the retry then meets `ObjectConflict`,
    /// the account found may be the one just created, but it cannot be told from someone else's
    /// of the same name, so the answer is [`CustomerDirectoryError::UpnTaken`] with
    /// `after_lost_answer` set, and the caller decides (for instance by asking a person).
    pub async fn create_user(
        &self,
        app: &SignInApp,
        tenant_id: &AzureTenantId,
        account: &NewDirectoryAccount,
    ) -> Result<CreatedAccount, CustomerDirectoryError> {
        let token = self.directory_token(app, tenant_id).await?;
        let mut patience = Patience::new(&self.settings);
        let body = json!({
            "accountEnabled": true,
            "displayName": account.display_name,
            "mailNickname": account.mail_nickname,
            "userPrincipalName": account.user_principal_name,
            "passwordProfile": {
                "password": account.password.expose(),
                "forceChangePasswordNextSignIn": false,
            },
        });
        let answer = self
            .send(
                Method::POST,
                &self.graph_path(USERS)?,
                &token,
                Some(&body),
                &mut patience,
            )
            .await?;
        if !answer.status.is_success() {
            return Err(create_refused(&answer));
        }
        let created: CreatedJson = answer.json("a created user")?;
        tracing::info!(tenant = %tenant_id, object_id = %created.id, "created a just-in-time account");
        Ok(CreatedAccount {
            object_id: created.id,
            user_principal_name: created
                .user_principal_name
                .unwrap_or_else(|| account.user_principal_name.clone()),
        })
    }

    /// The user `object_id`, or `None` when the directory has none.
    pub async fn get_user_by_id(
        &self,
        app: &SignInApp,
        tenant_id: &AzureTenantId,
        object_id: &str,
    ) -> Result<Option<DirectoryUser>, CustomerDirectoryError> {
        let mut url = match self.object_url(USERS, object_id, None) {
            Ok(url) => url,
            Err(CustomerDirectoryError::NotFound) => return Ok(None),
            Err(error) => return Err(error),
        };
        url.query_pairs_mut()
            .append_pair("$select", "id,userPrincipalName,mail,accountEnabled");
        let token = self.directory_token(app, tenant_id).await?;
        let mut patience = Patience::new(&self.settings);
        let answer = self
            .send(Method::GET, &url, &token, None, &mut patience)
            .await?;
        match answer.status {
            StatusCode::NOT_FOUND => Ok(None),
            status if status.is_success() => {
                let user: UserJson = answer.json("a user")?;
                Ok(match user.into_change() {
                    crate::DirectoryChange::Present(user) => Some(user),
                    crate::DirectoryChange::Removed { .. } => None,
                })
            }
            _ => Err(refused(&answer, PERMISSION)),
        }
    }

    /// Enables or disables the account; [`CustomerDirectoryError::NotFound`] when it is gone.
    pub async fn set_account_enabled(
        &self,
        app: &SignInApp,
        tenant_id: &AzureTenantId,
        object_id: &str,
        enabled: bool,
    ) -> Result<(), CustomerDirectoryError> {
        let url = self.object_url(USERS, object_id, None)?;
        let body = json!({ "accountEnabled": enabled });
        self.account_step(app, tenant_id, Method::PATCH, &url, Some(&body))
            .await
            .map(|_| ())
    }

    /// Ends the account's sign-in sessions and refresh tokens;
    /// [`CustomerDirectoryError::NotFound`] when it is gone.
    pub async fn revoke_sign_in_sessions(
        &self,
        app: &SignInApp,
        tenant_id: &AzureTenantId,
        object_id: &str,
    ) -> Result<(), CustomerDirectoryError> {
        let url = self.object_url(USERS, object_id, Some("revokeSignInSessions"))?;
        self.account_step(app, tenant_id, Method::POST, &url, None)
            .await
            .map(|_| ())
    }

    /// Deletes the account (into Entra's deleted users for 30 days).
    pub async fn delete_user(
        &self,
        app: &SignInApp,
        tenant_id: &AzureTenantId,
        object_id: &str,
    ) -> Result<Removal, CustomerDirectoryError> {
        let url = self.object_url(USERS, object_id, None)?;
        match self
            .account_step(app, tenant_id, Method::DELETE, &url, None)
            .await
        {
            Ok(_) => {
                tracing::info!(tenant = %tenant_id, object_id, "deleted a just-in-time account");
                Ok(Removal::Removed)
            }
            Err(CustomerDirectoryError::NotFound) => Ok(Removal::AlreadyGone),
            Err(error) => Err(error),
        }
    }

    async fn account_step(
        &self,
        app: &SignInApp,
        tenant_id: &AzureTenantId,
        method: Method,
        url: &url::Url,
        body: Option<&serde_json::Value>,
    ) -> Result<Answer, CustomerDirectoryError> {
        let token = self.directory_token(app, tenant_id).await?;
        let mut patience = Patience::new(&self.settings);
        let answer = self.send(method, url, &token, body, &mut patience).await?;
        if answer.status.is_success() {
            Ok(answer)
        } else {
            Err(refused(&answer, PERMISSION))
        }
    }
}

/// Graph words each refusal of `POST /users` in its message; `details` name the property.
fn create_refused(answer: &Answer) -> CustomerDirectoryError {
    if answer.status != StatusCode::BAD_REQUEST {
        return refused(answer, PERMISSION);
    }
    let refusal = answer.refusal();
    let message = refusal.message.to_ascii_lowercase();
    if refusal.has_detail("ObjectConflict") || message.contains("another object with the same") {
        CustomerDirectoryError::UpnTaken {
            after_lost_answer: answer.after_lost_answer,
        }
    } else if message.contains("verified domain") || message.contains("domain portion") {
        CustomerDirectoryError::DomainNotVerified
    } else if message.contains("password complexity") {
        CustomerDirectoryError::PasswordRefused
    } else {
        refused(answer, PERMISSION)
    }
}
