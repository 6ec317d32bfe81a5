//! Typed calls to the REST API, reusing the server's wire types.

use gloo_net::http::{Request, RequestBuilder, Response};
use proto::{
    ApiToken, AzureLogin, CreateApiTokenRequest, CreateGroupPolicy, CreatedApiToken, GroupPolicy,
    LoginRequest, Me, Page, Problem, TokenResponse, UpdateGroupPolicy, WindowsGpSettings,
    WizardProgress,
};
use serde::de::DeserializeOwned;

/// Why a call failed, in words for the person at the screen.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiFailure {
    /// The server could not be reached at all.
    Network,
    /// The server answered with an error.
    Problem {
        status: u16,
        problem: Option<Problem>,
    },
}

impl ApiFailure {
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Network => None,
            Self::Problem { status, .. } => Some(*status),
        }
    }

    /// The server's complaint about one request field, for showing next to that field. A
    /// conflict (409) is always about the field the caller names, e.g. a taken name.
    pub fn field_message(&self, field: &str) -> Option<String> {
        match self {
            Self::Problem {
                problem: Some(problem),
                status,
            } => problem
                .errors
                .iter()
                .find(|error| error.field == field)
                .map(|error| sentence(&error.message))
                .or_else(|| (*status == 409).then(|| self.message())),
            _ => None,
        }
    }

    pub fn message(&self) -> String {
        match self {
            Self::Network => {
                "The server cannot be reached. Check your connection and try again.".to_owned()
            }
            Self::Problem {
                problem: Some(problem),
                ..
            } => problem
                .detail
                .clone()
                .map(|detail| sentence(&detail))
                .unwrap_or_else(|| problem.title.clone()),
            Self::Problem {
                status,
                problem: None,
            } => format!("The server answered with an error ({status})."),
        }
    }
}

/// `text` as a sentence: capitalised, ending with a full stop.
pub fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => {
            first.to_uppercase().chain(chars).collect::<String>()
                + if text.ends_with('.') { "" } else { "." }
        }
        None => String::new(),
    }
}

async fn send(request: Result<Request, gloo_net::Error>) -> Result<Response, ApiFailure> {
    let response = request
        .map_err(|_| ApiFailure::Network)?
        .send()
        .await
        .map_err(|_| ApiFailure::Network)?;
    if response.ok() {
        Ok(response)
    } else {
        let problem = response.json::<Problem>().await.ok();
        Err(ApiFailure::Problem {
            status: response.status(),
            problem,
        })
    }
}

async fn json<T: DeserializeOwned>(
    request: Result<Request, gloo_net::Error>,
) -> Result<T, ApiFailure> {
    let response = send(request).await?;
    response.json::<T>().await.map_err(|_| ApiFailure::Network)
}

fn with_json(
    builder: RequestBuilder,
    body: &impl serde::Serialize,
) -> Result<Request, gloo_net::Error> {
    builder.json(body)
}

pub async fn login(email: String, password: String) -> Result<TokenResponse, ApiFailure> {
    json(with_json(
        Request::post("/api/v1/auth/login"),
        &LoginRequest { email, password },
    ))
    .await
}

pub async fn logout() -> Result<(), ApiFailure> {
    send(Request::post("/api/v1/auth/logout").build())
        .await
        .map(drop)
}

pub async fn me() -> Result<Me, ApiFailure> {
    json(Request::get("/api/v1/me").build()).await
}

pub async fn list_api_tokens() -> Result<Page<ApiToken>, ApiFailure> {
    json(Request::get("/api/v1/api-tokens?per_page=100").build()).await
}

pub async fn create_api_token(name: String) -> Result<CreatedApiToken, ApiFailure> {
    json(with_json(
        Request::post("/api/v1/api-tokens"),
        &CreateApiTokenRequest { name },
    ))
    .await
}

pub async fn revoke_api_token(id: uuid::Uuid) -> Result<(), ApiFailure> {
    send(Request::delete(&format!("/api/v1/api-tokens/{id}")).build())
        .await
        .map(drop)
}

pub async fn windows_gp_settings() -> Result<WindowsGpSettings, ApiFailure> {
    json(Request::get("/api/v1/endpoint-settings/windows-gp").build()).await
}

pub async fn save_windows_gp_settings(
    settings: WindowsGpSettings,
) -> Result<WindowsGpSettings, ApiFailure> {
    json(with_json(
        Request::put("/api/v1/endpoint-settings/windows-gp"),
        &settings,
    ))
    .await
}

pub async fn list_group_policies() -> Result<Page<GroupPolicy>, ApiFailure> {
    json(Request::get("/api/v1/group-policies?per_page=100").build()).await
}

pub async fn create_group_policy(name: String) -> Result<GroupPolicy, ApiFailure> {
    json(with_json(
        Request::post("/api/v1/group-policies"),
        &CreateGroupPolicy {
            name,
            enabled: false,
        },
    ))
    .await
}

pub async fn set_group_policy_enabled(
    id: uuid::Uuid,
    enabled: bool,
) -> Result<GroupPolicy, ApiFailure> {
    json(with_json(
        Request::patch(&format!("/api/v1/group-policies/{id}")),
        &UpdateGroupPolicy {
            name: None,
            enabled: Some(enabled),
        },
    ))
    .await
}

pub async fn azure_login() -> Result<AzureLogin, ApiFailure> {
    json(Request::get("/api/v1/settings/azure-login").build()).await
}

pub async fn save_azure_login(tenant_id: Option<String>) -> Result<AzureLogin, ApiFailure> {
    json(with_json(
        Request::put("/api/v1/settings/azure-login"),
        &AzureLogin { tenant_id },
    ))
    .await
}

pub async fn save_wizard_progress(progress: WizardProgress) -> Result<WizardProgress, ApiFailure> {
    json(with_json(
        Request::put("/api/v1/onboarding-wizard"),
        &progress,
    ))
    .await
}
