//! A customer's Entra tenant as the product's just-in-time accounts and LAPS reach it: Woodgrove
//! Bank's directory in the demo fixture, consented by its administrator, called over HTTPS with
//! an app-only token of the operator's app.

use super::*;

pub const WOODGROVE: &str = "3b9e4c1a-7d2f-4e8b-a6c5-0f1e2d3c4b5a";
pub const WOODGROVE_ADMIN: &str = "admin@woodgrovebank.test";
/// Dana Whitfield, an existing user of Woodgrove Bank.
pub const DANA: &str = "c5d1e2f3-0002-4a6b-8c7d-9e0f1a2b3c02";
pub const GLOBAL_ADMINISTRATOR: &str = "62e90394-69f5-4237-9190-012177145e10";
pub const USER_ADMINISTRATOR: &str = "fe930be7-5e62-47db-91af-98c3a49a38b1";
const NOT_FOUND_SUFFIX: &str =
    "does not exist or one of its queried reference-property objects are not present.";

pub struct CustomerGraph {
    pub party: RelyingParty,
    pub token: String,
}

impl CustomerGraph {
    pub async fn connect() -> Self {
        Self::connect_to(Fixture::demo().unwrap()).await
    }

    pub async fn connect_to(fixture: Fixture) -> Self {
        let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
        let party = RelyingParty::with_fake(FakeGraph::start(fixture, "127.0.0.1:0").unwrap());
        let consent = party
            .http
            .get(party.url(&format!(
                "/{WOODGROVE}/v2.0/adminconsent?{}",
                encoded(&[
                    ("client_id", CLIENT_ID),
                    ("redirect_uri", REDIRECT_URI),
                    ("scope", "https://graph.microsoft.com/.default"),
                    ("login_hint", WOODGROVE_ADMIN),
                ])
            )))
            .send()
            .await
            .unwrap();
        assert_eq!(callback(&consent).get("tenant"), WOODGROVE);
        let (status, token) = party
            .redeem(
                WOODGROVE,
                &[
                    ("grant_type", "client_credentials"),
                    ("client_id", CLIENT_ID),
                    ("client_secret", CLIENT_SECRET),
                    ("scope", "https://graph.microsoft.com/.default"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{token}");
        let token = token["access_token"].as_str().unwrap().to_owned();
        Self { party, token }
    }

    pub fn fake(&self) -> &FakeGraph {
        &self.party.fake
    }

    pub fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.party
            .http
            .request(method, format!("{}{path}", self.fake().graph_url()))
            .bearer_auth(&self.token)
    }

    /// Status and JSON body (`Null` for none) of a request with an optional JSON body.
    pub async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut request = self.request(method, path);
        if let Some(body) = body {
            request = request
                .header(header::CONTENT_TYPE, "application/json")
                .body(body.to_string());
        }
        answer(request).await
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.call(reqwest::Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.call(reqwest::Method::POST, path, Some(body)).await
    }

    pub async fn patch(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.call(reqwest::Method::PATCH, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> (StatusCode, Value) {
        self.call(reqwest::Method::DELETE, path, None).await
    }

    /// A just-in-time admin as the product would create it; its object ID.
    pub async fn create_admin(&self, local_part: &str) -> String {
        let (status, user) = self
            .post(
                "/v1.0/users",
                new_user(&format!("{local_part}@woodgrovebank.test")),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{user}");
        user["id"].as_str().unwrap().to_owned()
    }

    /// Assigns a role over the whole tenant; the assignment's ID.
    pub async fn assign(&self, role: &str, principal: &str) -> String {
        let (status, assignment) = self
            .post(
                "/v1.0/roleManagement/directory/roleAssignments",
                assignment(role, principal),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{assignment}");
        assignment["id"].as_str().unwrap().to_owned()
    }
}

pub async fn answer(request: reqwest::RequestBuilder) -> (StatusCode, Value) {
    let response = request.send().await.unwrap();
    let status = response.status();
    let bytes = response.bytes().await.unwrap();
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).unwrap()
    };
    (status, body)
}

pub fn new_user(upn: &str) -> Value {
    serde_json::json!({
        "accountEnabled": true,
        "displayName": "MSP admin (Alex Kim)",
        "mailNickname": upn.split('@').next().unwrap(),
        "userPrincipalName": upn,
        "passwordProfile": {
            "password": "Xq7!rV2m#Lp9Tz4k",
            "forceChangePasswordNextSignIn": false,
        },
    })
}

pub fn assignment(role: &str, principal: &str) -> Value {
    serde_json::json!({
        "@odata.type": "#microsoft.graph.unifiedRoleAssignment",
        "roleDefinitionId": role,
        "principalId": principal,
        "directoryScopeId": "/",
    })
}

/// Asserts Graph's error body: status, `error.code` and `error.message`.
pub fn assert_graph_error(
    answer: &(StatusCode, Value),
    status: StatusCode,
    code: &str,
    message: &str,
) {
    assert_eq!(answer.0, status, "{}", answer.1);
    assert_eq!(answer.1["error"]["code"], code, "{}", answer.1);
    assert_eq!(answer.1["error"]["message"], message, "{}", answer.1);
}

/// Graph's 404 for an object the tenant does not hold, naming it.
pub fn assert_not_found(answer: &(StatusCode, Value), id: &str) {
    let message = format!("Resource '{id}' {NOT_FOUND_SUFFIX}");
    assert_graph_error(
        answer,
        StatusCode::NOT_FOUND,
        "Request_ResourceNotFound",
        &message,
    );
}

/// Graph's 403 for an app without the permission a call needs.
pub fn assert_denied(answer: &(StatusCode, Value)) {
    assert_graph_error(
        answer,
        StatusCode::FORBIDDEN,
        "Authorization_RequestDenied",
        "Insufficient privileges to complete the operation.",
    );
}
