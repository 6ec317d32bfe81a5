//! Shared set-up for the business-rule tests: a reseller with an admin, and request helpers for
//! the verbs the base helpers do not cover.

use domain::ClaimSet;
use proto::{Claim, Role};
use reqwest::Response;
use serde_json::{Value, json};

use crate::helpers::{Account, PASSWORD, TestApp};

pub struct Reseller {
    pub tenant: entity::tenant::Model,
    pub admin: Account,
    pub token: String,
}

pub async fn reseller(app: &TestApp, name: &str) -> Reseller {
    let (tenant, admin) = app.reseller_with_admin(name).await;
    let token = app.sign_in(&admin.email, PASSWORD).await;
    Reseller {
        tenant,
        admin,
        token,
    }
}

/// A user of `reseller` holding every claim but `missing`, signed in.
pub async fn user_without(app: &TestApp, reseller: &Reseller, missing: Claim) -> String {
    let email = format!(
        "no-{}@{}.test",
        missing.as_str().replace('_', "-"),
        reseller.tenant.id.simple()
    );
    app.create_user(
        reseller.tenant.id,
        &email,
        Role::Technician,
        ClaimSet::all_but(missing),
    )
    .await;
    app.sign_in(&email, PASSWORD).await
}

pub async fn put_json(app: &TestApp, path: &str, token: &str, body: &Value) -> Response {
    app.client
        .put(app.url(path))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .expect("the request failed")
}

pub async fn patch_json(app: &TestApp, path: &str, token: &str, body: &Value) -> Response {
    app.client
        .patch(app.url(path))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .expect("the request failed")
}

pub async fn json_of(response: Response) -> Value {
    response.json().await.expect("a JSON body")
}

/// A valid customer body named `name`.
pub fn customer(name: &str) -> Value {
    json!({ "name": name, "total_licenses": 10, "email": "it@customer.example" })
}

/// `body` with `field` set to `value`.
pub fn with(mut body: Value, field: &str, value: Value) -> Value {
    body[field] = value;
    body
}

/// Creates a customer and returns its JSON, asserting 201.
pub async fn create_customer(app: &TestApp, token: &str, body: &Value) -> Value {
    let response = app.post_json("/api/v1/customers", token, body).await;
    let status = response.status();
    let created = json_of(response).await;
    assert_eq!(
        status,
        reqwest::StatusCode::CREATED,
        "creating {body}: {created}"
    );
    created
}
