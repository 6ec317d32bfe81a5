//! Users → User source (admins): Microsoft Entra as the source of technicians, its admin consent,
//! the directory's domains and Sync now.

use gloo_net::http::Request;
use proto::{ConsentRedirect, EntraDomain, Page, UpdateUserSource, UserSourceSettings};

use super::{ApiFailure, call, read};

const SETTINGS: &str = "/api/v1/settings/user-source";

pub async fn settings() -> Result<UserSourceSettings, ApiFailure> {
    read(call(Request::get(SETTINGS).build()).await)
}

pub async fn save(change: &UpdateUserSource) -> Result<UserSourceSettings, ApiFailure> {
    read(call(Request::put(SETTINGS).json(change)).await)
}

/// Where to send the browser for Entra's admin consent; Entra sends it back to the server, which
/// lands on `/user-source?consent=…`.
pub async fn authorize() -> Result<ConsentRedirect, ApiFailure> {
    read(call(Request::post("/api/v1/settings/user-source/authorize").build()).await)
}

/// The consented directory's domains, each with whether it can be the onboarding domain.
pub async fn domains() -> Result<Page<EntraDomain>, ApiFailure> {
    read(call(Request::get("/api/v1/settings/user-source/domains").build()).await)
}

/// Makes the offboarding sync due now; it runs after the answer, which is the settings before it.
pub async fn sync_now() -> Result<UserSourceSettings, ApiFailure> {
    read(call(Request::post("/api/v1/settings/user-source/sync").build()).await)
}
