//! Just-in-time admin accounts in a customer's Entra directory and its devices' local
//! administrator passwords (SPEC §16), for anyone who may go into the customer tenant.

use gloo_net::http::Request;
use proto::{GrantedJitAccount, JitAccess, JitAccount, LapsDevice, Page, RevealedLapsPassword};
use uuid::Uuid;

use super::{ApiFailure, call, encoded, read};

fn accounts(customer_id: Uuid) -> String {
    format!("/api/v1/customers/{customer_id}/jit-accounts")
}

/// The customer's application, whether accounts can be requested, and its accounts.
pub async fn access(customer_id: Uuid) -> Result<JitAccess, ApiFailure> {
    read(call(Request::get(&accounts(customer_id)).build()).await)
}

/// Makes the caller's account (its password is in this answer only) or extends the active one.
pub async fn request(customer_id: Uuid) -> Result<GrantedJitAccount, ApiFailure> {
    // The API takes an empty JSON object: nothing about the account is the caller's choice.
    let empty = serde_json::Map::new();
    read(call(Request::post(&accounts(customer_id)).json(&empty)).await)
}

/// Ends an account before its time; answers with it, now being removed.
pub async fn end(customer_id: Uuid, account_id: Uuid) -> Result<JitAccount, ApiFailure> {
    let url = format!("{}/{account_id}", accounts(customer_id));
    read(call(Request::delete(&url).build()).await)
}

/// The caller's own accounts in every customer's directory, soonest expiry first.
pub async fn mine() -> Result<Page<JitAccount>, ApiFailure> {
    read(call(Request::get("/api/v1/me/jit-accounts").build()).await)
}

/// The customer directory's devices with a backed-up local administrator password.
pub async fn laps_devices(customer_id: Uuid) -> Result<Page<LapsDevice>, ApiFailure> {
    let url = format!("/api/v1/customers/{customer_id}/laps-devices");
    read(call(Request::get(&url).build()).await)
}

/// A device's newest local administrator password (audited by the server, never stored).
pub async fn reveal(
    customer_id: Uuid,
    device_id: &str,
) -> Result<RevealedLapsPassword, ApiFailure> {
    let url = format!(
        "/api/v1/customers/{customer_id}/laps-devices/{}/reveal",
        encoded(device_id)
    );
    read(call(Request::post(&url).build()).await)
}
