//! Settings → User Management → SSO: the SCIM Tenant URL and secret token, and the
//! provisioning log (admins).

use gloo_net::http::Request;
use proto::{CreatedScimToken, Page, ProvisioningCall, ScimSettings};

use super::{ApiFailure, call, read, send};

/// Rows per page of the provisioning log.
pub const CALLS_PER_PAGE: u64 = 20;

pub async fn scim_settings() -> Result<ScimSettings, ApiFailure> {
    read(call(Request::get("/api/v1/settings/scim").build()).await)
}

/// A new secret token, shown once; an earlier one stops working at once.
pub async fn create_scim_token() -> Result<CreatedScimToken, ApiFailure> {
    read(call(Request::post("/api/v1/settings/scim-token").build()).await)
}

pub async fn revoke_scim_token() -> Result<(), ApiFailure> {
    send(Request::delete("/api/v1/settings/scim-token").build())
        .await
        .map(drop)
}

pub async fn provisioning_calls(page: u64) -> Result<Page<ProvisioningCall>, ApiFailure> {
    read(
        call(
            Request::get(&format!(
                "/api/v1/settings/scim/calls?page={page}&per_page={CALLS_PER_PAGE}"
            ))
            .build(),
        )
        .await,
    )
}
