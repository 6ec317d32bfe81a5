//! A SCIM client as Entra's provisioning service is one: the tenant's secret token as a bearer
//! token, `application/scim+json` bodies, every answer checked to be SCIM JSON.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::TestApp;

pub const USER_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
pub const PATCH_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
pub const ERROR_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:Error";

/// Entra's side of one tenant's provisioning: the Tenant URL's path and the secret token, and
/// the query every request carries (`?aadOptscim062020` for the compliant dialect).
pub struct Entra<'a> {
    pub app: &'a TestApp,
    pub token: String,
    pub flag: &'static str,
}

/// Generates the tenant's secret token as its admin (`admin_token`) would on the SSO page.
pub async fn secret_token(app: &TestApp, admin_token: &str) -> String {
    let response = app
        .post_json("/api/v1/settings/scim-token", admin_token, &json!({}))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let created: Value = response.json().await.unwrap();
    assert_eq!(created["tenant_url"], app.url("/scim/v2"));
    created["secret_token"].as_str().unwrap().to_owned()
}

impl<'a> Entra<'a> {
    pub fn new(app: &'a TestApp, token: String) -> Self {
        Self {
            app,
            token,
            flag: "",
        }
    }

    /// The compliant dialect: Entra's Tenant URL ends in `?aadOptscim062020`.
    pub fn with_flag(mut self) -> Self {
        self.flag = "aadOptscim062020";
        self
    }

    /// `path` under the base with the dialect's flag, and `query` (already encoded) after it.
    pub fn url(&self, path: &str, query: &str) -> String {
        let joined: Vec<&str> = [self.flag, query]
            .into_iter()
            .filter(|part| !part.is_empty())
            .collect();
        let mut url = self.app.url(&format!("/scim/v2{path}"));
        if !joined.is_empty() {
            url = format!("{url}?{}", joined.join("&"));
        }
        url
    }

    /// Sends a request as Entra does and returns the status and the SCIM JSON answer (null for
    /// an empty one); asserts the answer's content type.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        query: &str,
        body: Option<&Value>,
    ) -> (StatusCode, Value) {
        let mut request = self
            .app
            .client
            .request(method.clone(), self.url(path, query))
            .bearer_auth(&self.token);
        if let Some(body) = body {
            request = request
                .header("content-type", "application/scim+json; charset=utf-8")
                .body(body.to_string());
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let content_type = crate::helpers::content_type_of(&response);
        let text = response.text().await.unwrap();
        if text.is_empty() {
            return (status, Value::Null);
        }
        assert!(
            content_type.starts_with("application/scim+json"),
            "{method} {path}: {status} {content_type} {text}"
        );
        let value = serde_json::from_str(&text).unwrap();
        (status, value)
    }

    pub async fn get(&self, path: &str, query: &str) -> (StatusCode, Value) {
        self.send(Method::GET, path, query, None).await
    }

    /// Entra's lookup by a matching attribute: `filter=<attribute>+eq+%22<value>%22`, spaces as
    /// `+` (a form-encoded query string, as Entra sends it).
    pub async fn lookup(&self, attribute: &str, value: &str) -> Value {
        let query = format!("filter={attribute}+eq+%22{}%22", value.replace('@', "%40"));
        let (status, list) = self.get("/Users", &query).await;
        assert_eq!(status, StatusCode::OK, "{list}");
        list
    }

    pub async fn post(&self, path: &str, body: &Value) -> (StatusCode, Value) {
        self.send(Method::POST, path, "", Some(body)).await
    }

    pub async fn patch(&self, id: &str, operations: Value) -> (StatusCode, Value) {
        let body = json!({ "schemas": [PATCH_SCHEMA], "Operations": operations });
        self.send(Method::PATCH, &format!("/Users/{id}"), "", Some(&body))
            .await
    }

    pub async fn delete(&self, id: &str) -> StatusCode {
        self.send(Method::DELETE, &format!("/Users/{id}"), "", None)
            .await
            .0
    }
}

/// Entra's create body for a user with an app role (SPEC §13, Microsoft's SCIM tutorial).
pub fn entra_user(upn: &str, object_id: &str, display_name: &str, role: &str) -> Value {
    let (given, family) = display_name.split_once(' ').unwrap_or((display_name, ""));
    json!({
        "schemas": [USER_SCHEMA, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
        "externalId": object_id,
        "userName": upn,
        "active": true,
        "displayName": display_name,
        "emails": [{"primary": true, "type": "work", "value": upn}],
        "meta": {"resourceType": "User"},
        "name": {"formatted": display_name, "familyName": family, "givenName": given},
        "roles": [{"primary": true, "type": "WindowsAzureActiveDirectoryRole", "value": role}]
    })
}

/// The user as the product's own API shows it to an admin.
pub async fn user_in_product(app: &TestApp, admin_token: &str, id: &str) -> Value {
    let (status, user) = app
        .get_json(&format!("/api/v1/users/{id}"), admin_token)
        .await;
    assert_eq!(status, StatusCode::OK, "{user}");
    user
}

/// Asserts a SCIM error answer: its status (as a string), schema and `scimType`.
pub fn assert_scim_error(
    answer: &(StatusCode, Value),
    status: StatusCode,
    scim_type: Option<&str>,
) {
    let (got, body) = answer;
    assert_eq!(*got, status, "{body}");
    assert_eq!(body["schemas"], json!([ERROR_SCHEMA]), "{body}");
    assert_eq!(body["status"], json!(status.as_u16().to_string()), "{body}");
    assert_eq!(body["scimType"].as_str(), scim_type, "{body}");
    assert!(
        body["detail"]
            .as_str()
            .is_some_and(|detail| !detail.is_empty())
    );
}
