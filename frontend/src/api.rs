//! Typed calls to the REST API, reusing the server's wire types.

use gloo_net::http::{Request, RequestBuilder, Response};
use proto::{
    ApiToken, CreateApiTokenRequest, CreatedApiToken, LoginRequest, Me, Page, Problem,
    TokenResponse,
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
                .map(|detail| capitalise(&detail))
                .unwrap_or_else(|| problem.title.clone()),
            Self::Problem {
                status,
                problem: None,
            } => format!("The server answered with an error ({status})."),
        }
    }
}

fn capitalise(text: &str) -> String {
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
