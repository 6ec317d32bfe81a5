//! The checks of the SSO settings (SPEC §13): a tenant's SCIM token and provisioning log are
//! its own; generating, rotating or revoking one never touches another tenant's, and another
//! tenant's provisioning calls never show.

use reqwest::{Method, StatusCode};
use serde_json::Value;
use uuid::Uuid;

use super::{
    Op,
    parties::{Party, assert_no_leak, expect, get},
};
use crate::helpers::TestApp;

/// The owner's SCIM token, generated for the check, and whether it still lists the owner's
/// users.
async fn owners_scim_token(app: &TestApp, owner: &Party) -> String {
    let created = expect(
        app,
        (Method::POST, "/api/v1/settings/scim-token"),
        &owner.token,
        None,
        StatusCode::CREATED,
    )
    .await;
    created["secret_token"].as_str().unwrap().to_owned()
}

async fn scim_status(app: &TestApp, scim_token: &str, path: &str) -> StatusCode {
    app.client
        .get(app.url(path))
        .bearer_auth(scim_token)
        .send()
        .await
        .unwrap()
        .status()
}

pub async fn check(app: &TestApp, op: Op, owner: &Party, caller: &Party) {
    let token = caller.token.as_str();
    let owners = owners_scim_token(app, owner).await;
    let owners_prefix: String = owners.chars().take(12).collect();
    // A provisioning call by the owner's Entra, naming something only the owner knows.
    let marker = format!("owner-probe-{}", Uuid::new_v4().simple());
    let lookup = format!("/scim/v2/Users?filter=userName%20eq%20%22{marker}%22");
    assert_eq!(scim_status(app, &owners, &lookup).await, StatusCode::OK);
    let leak = |context: &str, text: &str| {
        assert_no_leak(context, text, owner, caller);
        assert!(!text.contains(&owners_prefix), "{context}: {text}");
        assert!(!text.contains(&marker), "{context}: {text}");
    };
    match op {
        Op::GetScimSettings => {
            let own = expect(
                app,
                get("/api/v1/settings/scim"),
                token,
                None,
                StatusCode::OK,
            )
            .await;
            leak("GET /api/v1/settings/scim", &own.to_string());
        }
        Op::CreateScimToken | Op::RevokeScimToken => {
            let (method, expected) = match op {
                Op::CreateScimToken => (Method::POST, StatusCode::CREATED),
                _ => (Method::DELETE, StatusCode::NO_CONTENT),
            };
            let answer = expect(
                app,
                (method, "/api/v1/settings/scim-token"),
                token,
                None,
                expected,
            )
            .await;
            leak("the caller's SCIM token", &answer.to_string());
            assert_eq!(
                scim_status(app, &owners, "/scim/v2/Users").await,
                StatusCode::OK,
                "{}'s SCIM token still works after {}'s change",
                owner.label,
                caller.label
            );
        }
        Op::ListProvisioningCalls => {
            let calls: Value = expect(
                app,
                get("/api/v1/settings/scim/calls?per_page=100"),
                token,
                None,
                StatusCode::OK,
            )
            .await;
            leak("GET /api/v1/settings/scim/calls", &calls.to_string());
        }
        _ => unreachable!("not an SSO operation: {op:?}"),
    }
}
