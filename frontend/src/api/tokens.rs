//! API tokens: the caller's own, and (admins) every token of the tenant.

use gloo_net::http::Request;
use proto::{ApiToken, CreateApiTokenRequest, CreatedApiToken, Page};
use uuid::Uuid;

use super::{ApiFailure, call, read, send};

/// Whose tokens a listing shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenScope {
    Own,
    /// Every user's of the caller's tenant (admins).
    Tenant,
}

pub async fn list_api_tokens(scope: TokenScope) -> Result<Page<ApiToken>, ApiFailure> {
    let url = match scope {
        TokenScope::Own => "/api/v1/api-tokens?per_page=100",
        TokenScope::Tenant => "/api/v1/api-tokens?scope=tenant&per_page=100",
    };
    read(call(Request::get(url).build()).await)
}

pub async fn create_api_token(
    name: String,
    expires_in_days: u16,
) -> Result<CreatedApiToken, ApiFailure> {
    read(
        call(
            Request::post("/api/v1/api-tokens").json(&CreateApiTokenRequest {
                name,
                expires_in_days: Some(expires_in_days),
            }),
        )
        .await,
    )
}

/// A token for another user of the tenant whose UI access is off (admins).
pub async fn create_user_api_token(
    user: Uuid,
    name: String,
    expires_in_days: u16,
) -> Result<CreatedApiToken, ApiFailure> {
    read(
        call(
            Request::post(&format!("/api/v1/users/{user}/api-tokens")).json(
                &CreateApiTokenRequest {
                    name,
                    expires_in_days: Some(expires_in_days),
                },
            ),
        )
        .await,
    )
}

pub async fn revoke_api_token(id: Uuid) -> Result<(), ApiFailure> {
    send(Request::delete(&format!("/api/v1/api-tokens/{id}")).build())
        .await
        .map(drop)
}
