//! Settings → Integrations → Security integrations (SPEC §14, admins): the tenant's Duo Web SDK
//! application. The Client Secret is sent, never read back.

use gloo_net::http::Request;
use proto::{
    NewSecurityIntegration, SecurityIntegration, SecurityIntegrationChanges,
    SecurityIntegrationCheck,
};
use uuid::Uuid;

use super::{ApiFailure, call, read, send};

const PATH: &str = "/api/v1/settings/security-integrations";

pub async fn list() -> Result<Vec<SecurityIntegration>, ApiFailure> {
    read(call(Request::get(PATH).build()).await)
}

/// Duo's health check runs with these credentials before the server saves anything.
pub async fn create(new: &NewSecurityIntegration) -> Result<SecurityIntegration, ApiFailure> {
    read(call(Request::post(PATH).json(new)).await)
}

pub async fn update(
    id: Uuid,
    changes: &SecurityIntegrationChanges,
) -> Result<SecurityIntegration, ApiFailure> {
    read(call(Request::patch(&format!("{PATH}/{id}")).json(changes)).await)
}

pub async fn delete(id: Uuid) -> Result<(), ApiFailure> {
    send(Request::delete(&format!("{PATH}/{id}")).build())
        .await
        .map(drop)
}

/// "Test": Duo's health check with the stored credentials.
pub async fn check(id: Uuid) -> Result<SecurityIntegrationCheck, ApiFailure> {
    read(call(Request::post(&format!("{PATH}/{id}/check")).build()).await)
}
