//! What the technicians' tests share: an admin and a technician of one reseller, TOTP codes
//! computed from a secret, inviting and accepting.

use msp_api::infra::auth::TotpFactor;
use proto::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::{
    business::patch_json,
    helpers::{Account, PASSWORD, TestApp},
};

pub struct Team {
    pub admin: Account,
    pub admin_token: String,
    pub technician: Account,
    pub technician_token: String,
}

/// A reseller with an admin and a technician (every claim), both signed in.
pub async fn team(app: &TestApp) -> Team {
    let (tenant, admin) = app.reseller_with_admin("Acme Reseller").await;
    let technician = app
        .create_user(
            tenant.id,
            "tech@acme-reseller.test",
            Role::Technician,
            domain::ClaimSet::all(),
        )
        .await;
    Team {
        admin_token: app.sign_in(&admin.email, PASSWORD).await,
        technician_token: app.sign_in(&technician.email, PASSWORD).await,
        admin,
        technician,
    }
}

/// The code an authenticator app shows for `secret` at `offset_steps` 30-second steps from now.
pub fn totp_code(secret: &str, offset_steps: i64) -> String {
    let now = chrono::Utc::now().timestamp() + offset_steps * 30;
    TotpFactor::from_base32(secret, "test")
        .unwrap()
        .code_at(u64::try_from(now).unwrap())
}

pub async fn patch_user(
    app: &TestApp,
    token: &str,
    id: impl std::fmt::Display,
    body: Value,
) -> reqwest::Response {
    patch_json(app, &format!("/api/v1/users/{id}"), token, &body).await
}

/// Invites `email` as the bearer of `admin_token` with `extra` fields; returns the 201 body.
pub async fn invite(app: &TestApp, admin_token: &str, email: &str, extra: Value) -> Value {
    let mut body = json!({ "email": email });
    if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
        body.extend(extra.clone());
    }
    let response = app.post_json("/api/v1/users", admin_token, &body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.unwrap()
}

/// The token of an invitation link.
pub fn invitation_token(invited: &Value) -> String {
    let url = invited["invitation_url"].as_str().unwrap();
    url.split_once("#token=").unwrap().1.to_owned()
}

pub async fn accept(app: &TestApp, token: &str, password: &str) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/auth/accept-invitation"))
        .json(&json!({ "token": token, "password": password }))
        .send()
        .await
        .unwrap()
}

/// Signs in with a password; returns the JSON answer (a token or an MFA challenge).
pub async fn login_answer(app: &TestApp, email: &str) -> Value {
    let response = app.login(email, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

pub async fn login_totp(app: &TestApp, mfa_token: &str, code: &str) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/auth/login/totp"))
        .json(&json!({ "mfa_token": mfa_token, "code": code }))
        .send()
        .await
        .unwrap()
}
