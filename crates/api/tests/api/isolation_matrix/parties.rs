//! The three parties of the matrix, each owning one of everything, made through the API; and the
//! requests and assertions every check uses.

use entity::tenant;
use proto::TenantType;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{Account, PASSWORD, TestApp};

/// What one party owns, created through the API.
pub struct Party {
    pub label: &'static str,
    pub tenant: tenant::Model,
    pub admin: Account,
    pub token: String,
    pub azure_login: String,
    pub master_gp_distribution: bool,
    pub wizard: Value,
    pub group_policy: (String, String),
    pub api_token: (String, String, String),
    pub customer: Option<OwnedCustomer>,
}

pub struct OwnedCustomer {
    pub id: String,
    pub name: String,
    pub azure_tenant_id: String,
    pub licence_key: String,
    pub device_id: String,
    pub idempotency_key: String,
}

impl Party {
    pub fn is_reseller(&self) -> bool {
        self.tenant.tenant_type == TenantType::Reseller
    }

    /// Whether `self` lies in `caller`'s subtree (itself excluded).
    pub fn is_below(&self, caller: &Party) -> bool {
        self.tenant.id != caller.tenant.id && self.tenant.path.starts_with(&caller.tenant.path)
    }

    /// Strings of the party's data that must not reach `caller` unless visible. The tenant ID
    /// of an ancestor is no secret to its descendant (it is their `parent_id`).
    pub fn markers_for(&self, caller: &Party) -> Vec<String> {
        let mut markers = vec![
            self.tenant.name.clone(),
            self.admin.email.clone(),
            self.admin.id.to_string(),
            self.azure_login.clone(),
            self.group_policy.0.clone(),
            self.group_policy.1.clone(),
            self.api_token.0.clone(),
            self.api_token.1.clone(),
            self.api_token.2.clone(),
        ];
        if !caller.is_below(self) {
            markers.push(self.tenant.id.to_string());
        }
        if let Some(customer) = &self.customer {
            markers.extend([
                customer.id.clone(),
                customer.name.clone(),
                customer.azure_tenant_id.clone(),
                customer.licence_key.clone(),
                customer.device_id.clone(),
            ]);
        }
        markers
    }

    /// The ID a customer operation is probed with: the customer's, or for a party without
    /// customers its own tenant's (a tenant that is not a customer).
    pub fn customer_id(&self) -> String {
        self.customer.as_ref().map_or_else(
            || self.tenant.id.to_string(),
            |customer| customer.id.clone(),
        )
    }
}

/// Sends `method path` with the bearer `token` and JSON `body`; returns status, content type
/// and body text.
pub async fn call(
    app: &TestApp,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<&Value>,
) -> (StatusCode, String, String) {
    let mut request = app.client.request(method, app.url(path));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(body);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let content_type = crate::helpers::content_type_of(&response);
    (status, content_type, response.text().await.unwrap())
}

/// `call` expecting `expected`; returns the JSON body (null when empty).
pub async fn expect(
    app: &TestApp,
    (method, path): (Method, &str),
    token: &str,
    body: Option<&Value>,
    expected: StatusCode,
) -> Value {
    let (status, _, text) = call(app, method.clone(), path, Some(token), body).await;
    assert_eq!(status, expected, "{method} {path}: {text}");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

pub fn assert_no_leak(context: &str, text: &str, owner: &Party, caller: &Party) {
    for marker in owner.markers_for(caller) {
        assert!(
            !text.contains(&marker),
            "{context}: {} sees {}'s {marker:?} in {text}",
            caller.label,
            owner.label
        );
    }
}

/// A refusal: 403 or 404 problem+json that says nothing of the owner's data.
pub async fn assert_denied(
    app: &TestApp,
    (method, path): (Method, &str),
    body: Option<&Value>,
    owner: &Party,
    caller: &Party,
) {
    let context = format!("{method} {path}");
    let (status, content_type, text) = call(app, method, path, Some(&caller.token), body).await;
    assert!(
        status == StatusCode::NOT_FOUND || status == StatusCode::FORBIDDEN,
        "{context} as {} on {}'s data: {status} {text}",
        caller.label,
        owner.label
    );
    assert!(
        content_type.starts_with(proto::PROBLEM_CONTENT_TYPE),
        "{context}: {content_type}"
    );
    assert_no_leak(&context, &text, owner, caller);
}

pub fn get(path: &str) -> (Method, &str) {
    (Method::GET, path)
}

pub fn text_of(items: &[Value]) -> String {
    Value::Array(items.to_vec()).to_string()
}

pub fn probe_name() -> String {
    format!("Probe {}", Uuid::new_v4().simple())
}

pub async fn create_party(
    app: &TestApp,
    label: &'static str,
    tenant: tenant::Model,
    wizard: Value,
) -> Party {
    let slug = label.to_lowercase().replace(' ', "-");
    let admin = app.admin_of(&tenant).await;
    let token = app.sign_in(&admin.email, PASSWORD).await;
    let post = |path| (Method::POST, path);
    let put = |path| (Method::PUT, path);
    let azure_login = Uuid::new_v4().to_string();
    let body = json!({ "tenant_id": azure_login });
    expect(
        app,
        put("/api/v1/settings/azure-login"),
        &token,
        Some(&body),
        StatusCode::OK,
    )
    .await;
    let master_gp_distribution = tenant.parent_id.is_some();
    let body = json!({ "master_gp_distribution": master_gp_distribution });
    let path = "/api/v1/endpoint-settings/windows-gp";
    expect(app, put(path), &token, Some(&body), StatusCode::OK).await;
    expect(
        app,
        put("/api/v1/onboarding-wizard"),
        &token,
        Some(&wizard),
        StatusCode::OK,
    )
    .await;
    let body = json!({ "name": format!("{label} Policy"), "enabled": true });
    let policy = expect(
        app,
        post("/api/v1/group-policies"),
        &token,
        Some(&body),
        StatusCode::CREATED,
    )
    .await;
    let body = json!({ "name": format!("{label} script") });
    let api_token = expect(
        app,
        post("/api/v1/api-tokens"),
        &token,
        Some(&body),
        StatusCode::CREATED,
    )
    .await;
    let mut party = Party {
        label,
        tenant,
        admin,
        token,
        azure_login,
        master_gp_distribution,
        wizard,
        group_policy: (
            policy["id"].as_str().unwrap().to_owned(),
            format!("{label} Policy"),
        ),
        api_token: (
            api_token["id"].as_str().unwrap().to_owned(),
            format!("{label} script"),
            api_token["token"].as_str().unwrap().to_owned(),
        ),
        customer: None,
    };
    if party.is_reseller() {
        party.customer = Some(create_owned_customer(app, &party, &slug).await);
    }
    party
}

pub async fn create_owned_customer(app: &TestApp, party: &Party, slug: &str) -> OwnedCustomer {
    let name = format!("{} Customer Ltd", party.label.split(' ').next().unwrap());
    let azure_tenant_id = Uuid::new_v4().to_string();
    let idempotency_key = format!("matrix-create-{slug}");
    let response = app
        .client
        .post(app.url("/api/v1/customers"))
        .bearer_auth(&party.token)
        .header("Idempotency-Key", &idempotency_key)
        .json(&json!({
            "name": name, "total_licenses": 10, "email": format!("it@{slug}-customer.test"),
            "azure_tenant_id": azure_tenant_id,
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let created: Value = response.json().await.unwrap();
    let licence_key = created["licence_key"]["key"].as_str().unwrap().to_owned();
    let device_id = format!("{slug}-laptop-1");
    let body = json!({ "licence_key": licence_key, "device_id": device_id });
    let activations = (Method::POST, "/api/v1/licensing/activations");
    expect(
        app,
        activations,
        &party.token,
        Some(&body),
        StatusCode::CREATED,
    )
    .await;
    OwnedCustomer {
        id: created["id"].as_str().unwrap().to_owned(),
        name,
        azure_tenant_id,
        licence_key,
        device_id,
        idempotency_key,
    }
}

/// Delta (distributor) → Alpha (reseller); Bravo (reseller) on its own.
pub async fn three_parties(app: &TestApp) -> [Party; 3] {
    let delta = app
        .create_tenant("Delta Distribution", TenantType::Distributor, None, true)
        .await;
    let alpha = app
        .create_tenant("Alpha Reseller", TenantType::Reseller, Some(delta.id), true)
        .await;
    let bravo = app
        .create_tenant("Bravo Reseller", TenantType::Reseller, None, true)
        .await;
    let wizard = |step: u8, history: &[u8]| json!({ "status": "in_progress", "step": step, "history": history });
    [
        create_party(app, "Alpha Reseller", alpha, wizard(9, &[1, 3])).await,
        create_party(app, "Bravo Reseller", bravo, wizard(3, &[1, 2])).await,
        create_party(app, "Delta Distribution", delta, wizard(4, &[1, 2, 3])).await,
    ]
}
