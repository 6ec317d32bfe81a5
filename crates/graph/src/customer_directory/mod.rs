//! A customer's Entra directory as just-in-time admin accounts and LAPS change and read it
//! (SPEC §16), with app-only tokens of the operator's multi-tenant app once the customer's
//! administrator consented: accounts, directory roles, devices' local administrator passwords.
//! Every call retries throttling and cut connections within [`GraphSettings`]'s bounds and
//! reports each refusal Graph makes as its own [`CustomerDirectoryError`].
//!
//! [`GraphSettings`]: crate::GraphSettings

mod accounts;
mod error;
mod laps;
mod password;
mod roles;

use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use url::Url;

use crate::{
    GraphClient,
    client::GraphPage,
    request::{Answer, Patience},
    token::AccessToken,
};

pub use accounts::{CreatedAccount, NewDirectoryAccount};
pub use error::{CustomerDirectoryError, DirectoryPermission, Removal};
pub use laps::{DeviceCredentialInfo, DevicePassword, LapsPassword};
pub use password::{AccountPassword, RandomnessUnavailable};
pub use roles::{RoleAssignment, RoleDefinition};

impl GraphClient {
    /// `v1.0/<collection>/<id>[/<action>]` with the ID as one path segment, so that an ID can
    /// never reach another resource. `.` and `..` name nothing.
    fn object_url(
        &self,
        collection: &str,
        id: &str,
        action: Option<&str>,
    ) -> Result<Url, CustomerDirectoryError> {
        if id.trim().is_empty() || id == "." || id == ".." {
            return Err(CustomerDirectoryError::NotFound);
        }
        let mut url = self.graph_path(collection)?;
        {
            let mut segments = url.path_segments_mut().map_err(|()| {
                crate::GraphError::UnexpectedAnswer("the Graph URL is not valid".to_owned())
            })?;
            segments.push(id);
            if let Some(action) = action {
                segments.push(action);
            }
        }
        Ok(url)
    }

    /// Every item from `url` on, following `@odata.nextLink`.
    async fn every_page<T: DeserializeOwned>(
        &self,
        mut url: Url,
        token: &AccessToken,
        patience: &mut Patience,
        permission: DirectoryPermission,
    ) -> Result<Vec<T>, CustomerDirectoryError> {
        let mut items = Vec::new();
        loop {
            let answer = self.send(Method::GET, &url, token, None, patience).await?;
            if !answer.status.is_success() {
                return Err(refused(&answer, permission));
            }
            let page: GraphPage<T> = answer.json("a page")?;
            items.extend(page.value);
            match page.next_link {
                None => return Ok(items),
                Some(link) => url = self.next_page_url(&link)?,
            }
        }
    }
}

/// The error for a refusal the call has no meaning of its own for.
fn refused(answer: &Answer, permission: DirectoryPermission) -> CustomerDirectoryError {
    match answer.status {
        StatusCode::FORBIDDEN => CustomerDirectoryError::PermissionDenied { permission },
        StatusCode::NOT_FOUND => CustomerDirectoryError::NotFound,
        status => {
            let refusal = answer.refusal();
            if refusal.message.is_empty() {
                CustomerDirectoryError::Refused(format!("HTTP {}", status.as_u16()))
            } else {
                CustomerDirectoryError::Refused(refusal.message)
            }
        }
    }
}
