//! The app-only token, obtained through azure_identity's client-secret credential.

use std::sync::Arc;

use azure_core::{
    cloud::{CloudConfiguration, CustomConfiguration},
    credentials::{Secret, TokenCredential},
    error::ErrorKind,
    http::{ClientOptions, RetryOptions, Transport},
};
use azure_identity::{ClientSecretCredential, ClientSecretCredentialOptions};

use crate::{AppCredentials, GraphError, GraphSettings};

pub(crate) const GRAPH_SCOPE: &str = "https://graph.microsoft.com/.default";

/// An access token; its `Debug` is redacted because it opens the reseller's directory.
pub(crate) struct AccessToken(String);

impl AccessToken {
    pub fn bearer(&self) -> String {
        format!("Bearer {}", self.0)
    }
}

impl std::fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AccessToken(<redacted>)")
    }
}

pub(crate) async fn app_only_token(
    http: &reqwest::Client,
    settings: &GraphSettings,
    credentials: &AppCredentials,
) -> Result<AccessToken, GraphError> {
    let mut cloud = CustomConfiguration::default();
    cloud.authority_host = settings
        .authority_url
        .as_str()
        .trim_end_matches('/')
        .to_owned();
    let options = ClientSecretCredentialOptions {
        client_options: ClientOptions {
            transport: Some(Transport::new(Arc::new(http.clone()))),
            cloud: Some(Arc::new(CloudConfiguration::from(cloud))),
            // Entra's answers here are final (a wrong secret stays wrong); Graph calls retry.
            retry: RetryOptions::none(),
            ..Default::default()
        },
    };
    let credential = ClientSecretCredential::new(
        &credentials.tenant_id.to_string(),
        credentials.client_id.to_string(),
        Secret::new(credentials.client_secret.expose().to_owned()),
        Some(options),
    )
    .map_err(|error| classify(&error))?;
    let token = credential
        .get_token(&[GRAPH_SCOPE], None)
        .await
        .map_err(|error| classify(&error))?;
    Ok(AccessToken(token.token.secret().to_owned()))
}

/// Reads Entra's AADSTS code or the transport failure out of the credential's error chain.
fn classify(error: &azure_core::Error) -> GraphError {
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(error);
    let mut transport_failure = None;
    while let Some(layer) = current {
        if let Some(azure) = layer.downcast_ref::<azure_core::Error>() {
            match azure.kind() {
                ErrorKind::HttpResponse {
                    status, error_code, ..
                } => return from_entra_codes(u16::from(*status), error_code.as_deref()),
                ErrorKind::Io | ErrorKind::Connection => {
                    transport_failure.get_or_insert(GraphError::Unreachable);
                }
                _ => {}
            }
        }
        if let Some(http) = layer.downcast_ref::<reqwest::Error>() {
            return crate::request::transport_failure(http);
        }
        current = layer.source();
    }
    transport_failure.unwrap_or_else(|| {
        GraphError::UnexpectedAnswer("the sign-in service's answer could not be read".to_owned())
    })
}

fn from_entra_codes(status: u16, codes: Option<&str>) -> GraphError {
    let codes: Vec<&str> = codes
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .collect();
    let has = |code: &str| codes.contains(&code);
    // AADSTS90002: tenant not found; 900023: not a valid tenant identifier; 90072/500011 are
    // the tenant-side variants of "this directory is not the one the app lives in".
    if has("90002") || has("900023") || has("90072") {
        GraphError::UnknownTenant
    } else if has("700016") {
        GraphError::UnknownClient
    } else if has("7000222") {
        GraphError::ExpiredSecret
    } else if has("7000215") || has("7000216") {
        GraphError::WrongSecret
    } else if status == 429 {
        GraphError::Throttled {
            retry_after: std::time::Duration::from_secs(1),
        }
    } else {
        let shown = if codes.iter().all(|code| code.is_empty()) {
            format!("HTTP {status} from the sign-in service")
        } else {
            format!("sign-in error AADSTS{}", codes.join(", AADSTS"))
        };
        GraphError::UnexpectedAnswer(shown)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_entra_code_maps_to_its_own_error() {
        let cases = [
            ("90002", GraphError::UnknownTenant),
            ("700016", GraphError::UnknownClient),
            ("7000215", GraphError::WrongSecret),
            ("7000222", GraphError::ExpiredSecret),
        ];
        for (code, expected) in cases {
            assert_eq!(from_entra_codes(400, Some(code)), expected, "code {code}");
        }
    }

    #[test]
    fn an_unknown_entra_code_is_named_in_the_message() {
        let error = from_entra_codes(400, Some("50034"));
        assert!(error.to_string().contains("AADSTS50034"), "{error}");
    }
}
