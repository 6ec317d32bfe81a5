//! The claim matrix: every operation of the OpenAPI document, called by each demo technician
//! missing exactly one claim (SPEC §11) and by the demo admin, against what SPEC §2 and §12 say.
//! A caller missing a needed claim, or a technician calling an admin's operation, gets 403
//! `forbidden`; everyone else gets past the gate. An operation added without a decision here
//! fails the test.

use proto::Claim;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use msp_api::demo::DEMO_PASSWORD as PASSWORD;

use crate::{
    business::customer,
    helpers::{TestApp, all_items, documented_operations},
};

/// Who may call an operation.
#[derive(Debug, Clone, Copy)]
enum Gate {
    /// Any signed-in user (or anyone: sign-in, health).
    Anyone,
    /// A user holding every one of these claims.
    Claims(&'static [Claim]),
    /// An admin of the tenant (SPEC §12).
    Admin,
}

const DECISIONS: &[(&str, &str, Gate)] = &[
    ("get", "/healthz", Gate::Anyone),
    ("get", "/readyz", Gate::Anyone),
    ("post", "/api/v1/auth/login", Gate::Anyone),
    ("post", "/api/v1/auth/login/totp", Gate::Anyone),
    ("post", "/api/v1/auth/logout", Gate::Anyone),
    ("post", "/api/v1/auth/accept-invitation", Gate::Anyone),
    ("get", "/api/v1/auth/providers", Gate::Anyone),
    ("get", "/api/v1/auth/microsoft", Gate::Anyone),
    ("get", "/api/v1/auth/microsoft/callback", Gate::Anyone),
    ("get", "/api/v1/me", Gate::Anyone),
    ("put", "/api/v1/me/password", Gate::Anyone),
    ("post", "/api/v1/me/mfa/totp", Gate::Anyone),
    ("post", "/api/v1/me/mfa/totp/confirm", Gate::Anyone),
    ("post", "/api/v1/me/mfa/recovery-codes", Gate::Anyone),
    (
        "get",
        "/api/v1/onboarding-wizard",
        Gate::Claims(&[Claim::ManageCustomerSettings]),
    ),
    (
        "put",
        "/api/v1/onboarding-wizard",
        Gate::Claims(&[Claim::ManageCustomerSettings]),
    ),
    ("get", "/api/v1/api-tokens", Gate::Anyone),
    ("post", "/api/v1/api-tokens", Gate::Anyone),
    ("delete", "/api/v1/api-tokens/{id}", Gate::Anyone),
    ("get", "/api/v1/audit-log", Gate::Admin),
    (
        "get",
        "/api/v1/customers",
        Gate::Claims(&[Claim::ViewCustomers]),
    ),
    (
        "post",
        "/api/v1/customers/batch",
        Gate::Claims(&[Claim::CreateCustomer]),
    ),
    (
        "get",
        "/api/v1/customers/export",
        Gate::Claims(&[Claim::ViewCustomers]),
    ),
    (
        "post",
        "/api/v1/customers",
        Gate::Claims(&[Claim::CreateCustomer]),
    ),
    (
        "get",
        "/api/v1/customers/{id}",
        Gate::Claims(&[Claim::ViewCustomers]),
    ),
    (
        "patch",
        "/api/v1/customers/{id}",
        Gate::Claims(&[Claim::CreateCustomer, Claim::ViewCustomers]),
    ),
    ("delete", "/api/v1/customers/{id}", Gate::Admin),
    ("get", "/api/v1/customers/{id}/delegation", Gate::Admin),
    ("put", "/api/v1/customers/{id}/delegation", Gate::Admin),
    // Delegation, not a claim, lets a technician in: a 404 for the others, never a 403.
    ("post", "/api/v1/customers/{id}/open", Gate::Anyone),
    ("delete", "/api/v1/me/customer-tenant", Gate::Anyone),
    ("get", "/api/v1/customer-tenants", Gate::Anyone),
    ("get", "/api/v1/customer-tenants/{address}", Gate::Anyone),
    ("get", "/api/v1/host-address", Gate::Anyone),
    (
        "post",
        "/api/v1/licensing/activations",
        Gate::Claims(&[Claim::CreateCustomer]),
    ),
    (
        "post",
        "/api/v1/licensing/deactivations",
        Gate::Claims(&[Claim::CreateCustomer]),
    ),
    (
        "get",
        "/api/v1/settings/azure-login",
        Gate::Claims(&[Claim::ManageCustomerSettings]),
    ),
    (
        "put",
        "/api/v1/settings/azure-login",
        Gate::Claims(&[Claim::ManageCustomerSettings]),
    ),
    (
        "get",
        "/api/v1/settings/new-sub-tenants",
        Gate::Claims(&[Claim::ManageCustomerSettings]),
    ),
    (
        "put",
        "/api/v1/settings/new-sub-tenants",
        Gate::Claims(&[Claim::ManageCustomerSettings]),
    ),
    (
        "get",
        "/api/v1/endpoint-settings/windows-gp",
        Gate::Claims(&[Claim::ViewEndpointSettings]),
    ),
    (
        "put",
        "/api/v1/endpoint-settings/windows-gp",
        Gate::Claims(&[Claim::EditEndpointSettings]),
    ),
    (
        "get",
        "/api/v1/group-policies",
        Gate::Claims(&[Claim::ViewEndpointSettings]),
    ),
    (
        "post",
        "/api/v1/group-policies",
        Gate::Claims(&[Claim::EditEndpointSettings]),
    ),
    (
        "patch",
        "/api/v1/group-policies/{id}",
        Gate::Claims(&[Claim::EditEndpointSettings]),
    ),
    (
        "delete",
        "/api/v1/group-policies/{id}",
        Gate::Claims(&[Claim::EditEndpointSettings]),
    ),
    // Listed to everyone; Corporate customers are left out without `view_customers`.
    ("get", "/api/v1/tenants", Gate::Anyone),
    ("get", "/api/v1/tenants/{id}", Gate::Anyone),
    (
        "post",
        "/api/v1/msp-onboarding/azure-customers",
        Gate::Claims(&[Claim::ManageCustomerSettings, Claim::ViewCustomers]),
    ),
    (
        "post",
        "/api/v1/msp-onboarding/azure-customers/{tenant_id}/link",
        Gate::Claims(&[
            Claim::ManageCustomerSettings,
            Claim::ViewCustomers,
            Claim::CreateCustomer,
        ]),
    ),
    (
        "post",
        "/api/v1/msp-onboarding/azure-customers/{tenant_id}/rejected-matches",
        Gate::Claims(&[
            Claim::ManageCustomerSettings,
            Claim::ViewCustomers,
            Claim::CreateCustomer,
        ]),
    ),
    (
        "post",
        "/api/v1/msp-onboarding/azure-customers/{tenant_id}/rename-customer",
        Gate::Claims(&[
            Claim::ManageCustomerSettings,
            Claim::ViewCustomers,
            Claim::CreateCustomer,
        ]),
    ),
    ("get", "/api/v1/jobs", Gate::Admin),
    (
        "get",
        "/api/v1/customers/{id}/entra-connection",
        Gate::Admin,
    ),
    (
        "put",
        "/api/v1/customers/{id}/entra-connection",
        Gate::Admin,
    ),
    (
        "post",
        "/api/v1/customers/{id}/entra-connection/authorize",
        Gate::Admin,
    ),
    (
        "get",
        "/api/v1/customer-entra/consent-callback",
        Gate::Anyone,
    ),
    (
        "get",
        "/api/v1/customers/{id}/entra-connection/domains",
        Gate::Admin,
    ),
    (
        "get",
        "/api/v1/customers/{id}/entra-connection/roles",
        Gate::Admin,
    ),
    // Just-in-time accounts and LAPS: whoever may go into the customer tenant (delegation, not
    // a claim, decides; anyone else is told the customer does not exist).
    ("get", "/api/v1/customers/{id}/jit-accounts", Gate::Anyone),
    ("post", "/api/v1/customers/{id}/jit-accounts", Gate::Anyone),
    (
        "delete",
        "/api/v1/customers/{id}/jit-accounts/{account_id}",
        Gate::Anyone,
    ),
    ("get", "/api/v1/me/jit-accounts", Gate::Anyone),
    ("get", "/api/v1/customers/{id}/laps-devices", Gate::Anyone),
    (
        "post",
        "/api/v1/customers/{id}/laps-devices/{device_id}/reveal",
        Gate::Anyone,
    ),
    ("get", "/api/v1/settings/user-source", Gate::Admin),
    ("put", "/api/v1/settings/user-source", Gate::Admin),
    (
        "post",
        "/api/v1/settings/user-source/authorize",
        Gate::Admin,
    ),
    (
        "get",
        "/api/v1/settings/user-source/consent-callback",
        Gate::Anyone,
    ),
    ("get", "/api/v1/settings/user-source/domains", Gate::Admin),
    ("post", "/api/v1/settings/user-source/sync", Gate::Admin),
    ("get", "/api/v1/users", Gate::Anyone),
    ("post", "/api/v1/users", Gate::Admin),
    ("get", "/api/v1/users/{id}", Gate::Anyone),
    ("patch", "/api/v1/users/{id}", Gate::Anyone),
    ("delete", "/api/v1/users/{id}", Gate::Admin),
    ("delete", "/api/v1/users/{id}/mfa", Gate::Admin),
    ("post", "/api/v1/users/{id}/api-tokens", Gate::Admin),
    ("get", "/api/v1/settings/scim", Gate::Admin),
    ("post", "/api/v1/settings/scim-token", Gate::Admin),
    ("delete", "/api/v1/settings/scim-token", Gate::Admin),
    ("get", "/api/v1/settings/scim/calls", Gate::Admin),
    ("post", "/api/v1/auth/login/duo", Gate::Anyone),
    ("get", "/api/v1/auth/duo/callback", Gate::Anyone),
    ("post", "/api/v1/me/duo", Gate::Anyone),
    ("delete", "/api/v1/me/duo", Gate::Anyone),
    ("get", "/api/v1/technician-groups", Gate::Admin),
    ("post", "/api/v1/technician-groups", Gate::Admin),
    ("get", "/api/v1/technician-groups/{id}", Gate::Admin),
    ("patch", "/api/v1/technician-groups/{id}", Gate::Admin),
    ("delete", "/api/v1/technician-groups/{id}", Gate::Admin),
    (
        "put",
        "/api/v1/technician-groups/{id}/members/{user_id}",
        Gate::Admin,
    ),
    (
        "delete",
        "/api/v1/technician-groups/{id}/members/{user_id}",
        Gate::Admin,
    ),
    ("get", "/api/v1/settings/security-integrations", Gate::Admin),
    (
        "post",
        "/api/v1/settings/security-integrations",
        Gate::Admin,
    ),
    (
        "get",
        "/api/v1/settings/security-integrations/{id}",
        Gate::Admin,
    ),
    (
        "patch",
        "/api/v1/settings/security-integrations/{id}",
        Gate::Admin,
    ),
    (
        "delete",
        "/api/v1/settings/security-integrations/{id}",
        Gate::Admin,
    ),
    (
        "post",
        "/api/v1/settings/security-integrations/{id}/check",
        Gate::Admin,
    ),
];

#[test]
fn every_operation_of_the_openapi_document_has_a_claim_decision() {
    let documented = documented_operations();
    let undecided: Vec<_> = documented
        .iter()
        .filter(|(m, p)| !DECISIONS.iter().any(|(dm, dp, _)| dm == m && dp == p))
        .collect();
    assert!(
        undecided.is_empty(),
        "operations without a claim decision: {undecided:?}"
    );
    let stale: Vec<_> = DECISIONS
        .iter()
        .filter(|(dm, dp, _)| !documented.iter().any(|(m, p)| dm == m && dp == p))
        .collect();
    assert!(
        stale.is_empty(),
        "decisions for operations the document lacks: {stale:?}"
    );
}

/// The demo data a call needs, read or made as the admin.
struct Fixtures {
    admin_token: String,
    customer_id: String,
    customer_address: String,
    licence_key: String,
    reseller_id: String,
    api_only_id: String,
    /// The demo's Duo integration (against the demo's fake Duo).
    integration_id: String,
}

/// A signed-in caller: the admin, or a technician missing one claim.
struct Caller {
    email: String,
    id: String,
    token: String,
    missing: Option<Claim>,
    admin: bool,
}

/// A request that reaches `path`'s gate with a well-formed body; targets that the call could
/// destroy are made fresh for it.
async fn request_for(
    app: &TestApp,
    fx: &Fixtures,
    caller: &Caller,
    method: &str,
    path: &str,
    round: usize,
) -> (Method, String, Option<Value>, String) {
    let unique = format!("{}-{round}", caller.email.split('@').next().unwrap_or("x"));
    let mut token = caller.token.clone();
    let (method, url, body) = match (method, path) {
        ("get", "/healthz" | "/readyz") => (Method::GET, path.to_owned(), None),
        ("post", "/api/v1/auth/login") => (
            Method::POST,
            path.to_owned(),
            Some(json!({ "email": caller.email, "password": PASSWORD })),
        ),
        ("post", "/api/v1/auth/login/totp") => (
            Method::POST,
            path.to_owned(),
            Some(json!({ "mfa_token": "not-a-token", "code": "123456" })),
        ),
        ("post", "/api/v1/auth/logout") => {
            // A session of its own: ending the caller's would end the rest of the matrix.
            token = app.sign_in(&caller.email, PASSWORD).await;
            (Method::POST, path.to_owned(), None)
        }
        ("post", "/api/v1/auth/accept-invitation") => (
            Method::POST,
            path.to_owned(),
            Some(json!({ "token": "not-a-token", "password": "a-long-enough-password" })),
        ),
        ("put", "/api/v1/me/password") => (
            Method::PUT,
            path.to_owned(),
            Some(json!({ "current_password": PASSWORD, "new_password": "short" })),
        ),
        ("post", "/api/v1/me/mfa/totp/confirm") => (
            Method::POST,
            path.to_owned(),
            Some(json!({ "code": "000000" })),
        ),
        ("post", "/api/v1/me/mfa/totp" | "/api/v1/me/mfa/recovery-codes") => {
            (Method::POST, path.to_owned(), None)
        }
        ("get", _) if !path.contains('{') => (Method::GET, path.to_owned(), None),
        ("put", "/api/v1/onboarding-wizard") => (
            Method::PUT,
            path.to_owned(),
            Some(json!({ "status": "in_progress", "step": 1, "history": [] })),
        ),
        ("post", "/api/v1/api-tokens") => (
            Method::POST,
            path.to_owned(),
            Some(json!({ "name": unique })),
        ),
        ("delete", "/api/v1/api-tokens/{id}") => {
            let created = app
                .post_json(
                    "/api/v1/api-tokens",
                    &caller.token,
                    &json!({ "name": unique }),
                )
                .await;
            let id = created.json::<Value>().await.unwrap()["id"]
                .as_str()
                .unwrap()
                .to_owned();
            (Method::DELETE, format!("/api/v1/api-tokens/{id}"), None)
        }
        ("post", "/api/v1/customers") => (
            Method::POST,
            path.to_owned(),
            Some(customer(&format!("Claim Matrix {unique}"))),
        ),
        ("get", "/api/v1/customers/{id}") => (
            Method::GET,
            format!("/api/v1/customers/{}", fx.customer_id),
            None,
        ),
        ("patch", "/api/v1/customers/{id}") => (
            Method::PATCH,
            format!("/api/v1/customers/{}", fx.customer_id),
            Some(json!({})),
        ),
        ("post", "/api/v1/customers/{id}/open") => (
            Method::POST,
            format!("/api/v1/customers/{}/open", fx.customer_id),
            None,
        ),
        ("delete", "/api/v1/me/customer-tenant") => (Method::DELETE, path.to_owned(), None),
        ("get", "/api/v1/customer-tenants/{address}") => (
            Method::GET,
            format!("/api/v1/customer-tenants/{}", fx.customer_address),
            None,
        ),
        (
            "get",
            "/api/v1/customers/{id}/entra-connection"
            | "/api/v1/customers/{id}/entra-connection/domains"
            | "/api/v1/customers/{id}/entra-connection/roles",
        ) => (Method::GET, path.replace("{id}", &fx.customer_id), None),
        ("put", "/api/v1/customers/{id}/entra-connection") => (
            Method::PUT,
            path.replace("{id}", &fx.customer_id),
            Some(json!({ "app_name": "Entra ID - claim matrix" })),
        ),
        ("post", "/api/v1/customers/{id}/entra-connection/authorize") => {
            (Method::POST, path.replace("{id}", &fx.customer_id), None)
        }
        ("get", "/api/v1/customers/{id}/jit-accounts" | "/api/v1/customers/{id}/laps-devices") => {
            (Method::GET, path.replace("{id}", &fx.customer_id), None)
        }
        ("post", "/api/v1/customers/{id}/jit-accounts") => (
            Method::POST,
            path.replace("{id}", &fx.customer_id),
            Some(json!({})),
        ),
        ("delete", "/api/v1/customers/{id}/jit-accounts/{account_id}") => (
            Method::DELETE,
            path.replace("{id}", &fx.customer_id)
                .replace("{account_id}", &uuid::Uuid::new_v4().to_string()),
            None,
        ),
        ("post", "/api/v1/customers/{id}/laps-devices/{device_id}/reveal") => (
            Method::POST,
            path.replace("{id}", &fx.customer_id)
                .replace("{device_id}", "WGB-LT-0142"),
            None,
        ),
        ("get", "/api/v1/customers/{id}/delegation") => (
            Method::GET,
            format!("/api/v1/customers/{}/delegation", fx.customer_id),
            None,
        ),
        ("put", "/api/v1/customers/{id}/delegation") => (
            Method::PUT,
            format!("/api/v1/customers/{}/delegation", fx.customer_id),
            Some(json!({ "user_ids": [caller.id], "group_ids": [] })),
        ),
        ("post", "/api/v1/customers/batch") => (
            Method::POST,
            path.to_owned(),
            Some(json!({ "items": [customer(&format!("Claim Batch {unique}"))] })),
        ),
        ("delete", "/api/v1/customers/{id}") => {
            // A customer of its own for each call: the admin's call deletes it.
            let created = app
                .post_json(
                    "/api/v1/customers",
                    &fx.admin_token,
                    &customer(&format!("Doomed {unique}")),
                )
                .await;
            let id = created.json::<Value>().await.unwrap()["id"]
                .as_str()
                .unwrap()
                .to_owned();
            (Method::DELETE, format!("/api/v1/customers/{id}"), None)
        }
        ("post", "/api/v1/licensing/activations" | "/api/v1/licensing/deactivations") => (
            Method::POST,
            path.to_owned(),
            Some(json!({ "licence_key": fx.licence_key, "device_id": format!("device-{unique}") })),
        ),
        ("put", "/api/v1/settings/azure-login") => (
            Method::PUT,
            path.to_owned(),
            Some(json!({ "tenant_id": "5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f" })),
        ),
        (
            "post",
            "/api/v1/settings/user-source/authorize" | "/api/v1/settings/user-source/sync",
        ) => (Method::POST, path.to_owned(), None),
        ("put", "/api/v1/settings/user-source") => (
            Method::PUT,
            path.to_owned(),
            Some(json!({ "source": "local" })),
        ),
        ("put", "/api/v1/settings/new-sub-tenants") => (
            Method::PUT,
            path.to_owned(),
            Some(json!({ "show_new_sub_tenants": true })),
        ),
        ("post", "/api/v1/msp-onboarding/azure-customers/{tenant_id}/rename-customer") => (
            Method::POST,
            format!(
                "/api/v1/msp-onboarding/azure-customers/{}/rename-customer",
                uuid::Uuid::new_v4()
            ),
            None,
        ),
        ("put", "/api/v1/endpoint-settings/windows-gp") => (
            Method::PUT,
            path.to_owned(),
            Some(json!({ "master_gp_distribution": true })),
        ),
        ("post", "/api/v1/group-policies") => (
            Method::POST,
            path.to_owned(),
            Some(json!({ "name": format!("GP {unique}"), "enabled": true })),
        ),
        ("patch" | "delete", "/api/v1/group-policies/{id}") => {
            let created = app
                .post_json(
                    "/api/v1/group-policies",
                    &fx.admin_token,
                    &json!({ "name": format!("Target GP {unique} {method}"), "enabled": true }),
                )
                .await;
            let id = created.json::<Value>().await.unwrap()["id"]
                .as_str()
                .unwrap()
                .to_owned();
            let url = format!("/api/v1/group-policies/{id}");
            if method == "patch" {
                (Method::PATCH, url, Some(json!({ "enabled": false })))
            } else {
                (Method::DELETE, url, None)
            }
        }
        ("get", "/api/v1/tenants/{id}") => (
            Method::GET,
            format!("/api/v1/tenants/{}", fx.reseller_id),
            None,
        ),
        ("post", "/api/v1/msp-onboarding/azure-customers") => (
            Method::POST,
            path.to_owned(),
            Some(json!({
                "client_id": "0b6e3c1a-2f4d-4e8a-9c7b-1d2e3f4a5b6c",
                "client_secret": "demo-secret"
            })),
        ),
        ("post", "/api/v1/msp-onboarding/azure-customers/{tenant_id}/link") => {
            // A customer of its own for each call, linked to a sub-tenant of its own.
            let created = app
                .post_json(
                    "/api/v1/customers",
                    &fx.admin_token,
                    &customer(&format!("Unlinked {unique}")),
                )
                .await;
            let id = created.json::<Value>().await.unwrap()["id"].clone();
            let tenant_id = uuid::Uuid::new_v4();
            (
                Method::POST,
                format!("/api/v1/msp-onboarding/azure-customers/{tenant_id}/link"),
                Some(json!({ "customer_id": id })),
            )
        }
        ("post", "/api/v1/msp-onboarding/azure-customers/{tenant_id}/rejected-matches") => (
            Method::POST,
            format!(
                "/api/v1/msp-onboarding/azure-customers/{}/rejected-matches",
                uuid::Uuid::new_v4()
            ),
            Some(json!({ "customer_id": fx.customer_id })),
        ),
        ("post" | "delete", "/api/v1/settings/scim-token") => {
            let method = if method == "post" {
                Method::POST
            } else {
                Method::DELETE
            };
            (method, path.to_owned(), None)
        }
        ("post", "/api/v1/users") => (
            Method::POST,
            path.to_owned(),
            Some(json!({ "email": format!("invitee-{unique}@demo-reseller.test") })),
        ),
        ("get", "/api/v1/users/{id}") => {
            (Method::GET, format!("/api/v1/users/{}", caller.id), None)
        }
        ("patch", "/api/v1/users/{id}") => (
            Method::PATCH,
            format!("/api/v1/users/{}", caller.id),
            Some(json!({ "display_name": format!("Name {unique}") })),
        ),
        ("delete", "/api/v1/users/{id}") => {
            let invited = app
                .post_json(
                    "/api/v1/users",
                    &fx.admin_token,
                    &json!({ "email": format!("doomed-{unique}@demo-reseller.test") }),
                )
                .await;
            let id = invited.json::<Value>().await.unwrap()["user"]["id"]
                .as_str()
                .unwrap()
                .to_owned();
            (Method::DELETE, format!("/api/v1/users/{id}"), None)
        }
        ("delete", "/api/v1/users/{id}/mfa") => (
            Method::DELETE,
            format!("/api/v1/users/{}/mfa", fx.api_only_id),
            None,
        ),
        ("post", "/api/v1/users/{id}/api-tokens") => (
            Method::POST,
            format!("/api/v1/users/{}/api-tokens", fx.api_only_id),
            Some(json!({ "name": format!("Integration {unique}") })),
        ),
        ("post", "/api/v1/auth/login/duo") => (
            Method::POST,
            path.to_owned(),
            Some(json!({ "mfa_token": "not-a-token" })),
        ),
        ("post", "/api/v1/me/duo") => (Method::POST, path.to_owned(), None),
        ("delete", "/api/v1/me/duo") => (Method::DELETE, path.to_owned(), None),
        ("post", "/api/v1/settings/security-integrations") => (
            Method::POST,
            path.to_owned(),
            Some(json!({
                "kind": "duo_web_sdk",
                "name": format!("Duo {unique}"),
                "client_id": "DIWJ8X6AEYOR5OMC6TQ1",
                "client_secret": "a".repeat(40),
                "api_hostname": "api-1a2b3c4d.duosecurity.com",
            })),
        ),
        (
            verb,
            "/api/v1/settings/security-integrations/{id}"
            | "/api/v1/settings/security-integrations/{id}/check",
        ) => {
            // The demo's one integration: a delete by the admin leaves 404s for the later
            // calls, which are past the gate all the same.
            let url = path.replace("{id}", &fx.integration_id);
            match verb {
                "get" => (Method::GET, url, None),
                "patch" => (Method::PATCH, url, Some(json!({ "name": "Duo" }))),
                "delete" => (Method::DELETE, url, None),
                _ => (Method::POST, url, None),
            }
        }
        ("post", "/api/v1/technician-groups") => (
            Method::POST,
            path.to_owned(),
            Some(json!({ "name": format!("Group {unique}") })),
        ),
        (verb, group_path) if group_path.starts_with("/api/v1/technician-groups/{id}") => {
            // A group of its own for each call: the admin's delete removes it.
            let created = app
                .post_json(
                    "/api/v1/technician-groups",
                    &fx.admin_token,
                    &json!({ "name": format!("Target {unique} {verb} {group_path}") }),
                )
                .await;
            let id = created.json::<Value>().await.unwrap()["id"]
                .as_str()
                .unwrap()
                .to_owned();
            let url = group_path
                .replace("{id}", &id)
                .replace("{user_id}", &caller.id);
            match verb {
                "get" => (Method::GET, url, None),
                "patch" => (
                    Method::PATCH,
                    url,
                    Some(json!({ "name": format!("Renamed {unique}") })),
                ),
                "put" => (Method::PUT, url, None),
                _ => (Method::DELETE, url, None),
            }
        }
        other => panic!("the claim matrix has no request for {other:?}"),
    };
    (method, url, body, token)
}

async fn fixtures(app: &TestApp) -> Fixtures {
    let admin_token = app.sign_in(msp_api::demo::DEMO_ADMIN_EMAIL, PASSWORD).await;
    let customers = all_items(app, "/api/v1/customers", &admin_token).await;
    let me = app.me(&admin_token).await;
    let users = all_items(app, "/api/v1/users?q=api-only", &admin_token).await;
    let (_, integrations) = app
        .get_json("/api/v1/settings/security-integrations", &admin_token)
        .await;
    Fixtures {
        integration_id: integrations[0]["id"].as_str().unwrap().to_owned(),
        customer_id: customers[0]["id"].as_str().unwrap().to_owned(),
        customer_address: customers[0]["address"].as_str().unwrap().to_owned(),
        licence_key: customers[0]["licence_key"]["key"]
            .as_str()
            .unwrap()
            .to_owned(),
        reseller_id: me["tenant"]["id"].as_str().unwrap().to_owned(),
        api_only_id: users[0]["id"].as_str().unwrap().to_owned(),
        admin_token,
    }
}

async fn callers(app: &TestApp) -> Vec<Caller> {
    let mut callers = Vec::new();
    let missing_one = Claim::ALL.iter().map(|claim| (false, Some(*claim)));
    for (admin, missing) in std::iter::once((true, None)).chain(missing_one) {
        let email = match missing {
            None => msp_api::demo::DEMO_ADMIN_EMAIL.to_owned(),
            Some(claim) => format!("no-{}@demo-reseller.test", claim.as_str().replace('_', "-")),
        };
        let token = app.sign_in(&email, PASSWORD).await;
        let id = app.me(&token).await["user"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        callers.push(Caller {
            email,
            id,
            token,
            missing,
            admin,
        });
    }
    callers
}

db_test!(
    every_operation_refuses_exactly_the_callers_section_2_and_12_refuse,
    demo,
    |app| async move {
        let fx = fixtures(&app).await;
        let callers = callers(&app).await;
        let mut checked = 0;
        for (round, (method, path)) in documented_operations().iter().enumerate() {
            let gate = DECISIONS
                .iter()
                .find(|(m, p, _)| m == method && p == path)
                .map(|(.., gate)| *gate)
                .unwrap();
            for caller in &callers {
                let refused = match gate {
                    Gate::Anyone => false,
                    Gate::Admin => !caller.admin,
                    Gate::Claims(needed) => caller.missing.is_some_and(|m| needed.contains(&m)),
                };
                let (verb, url, body, token) =
                    request_for(&app, &fx, caller, method, path, round).await;
                let mut request = app.client.request(verb, app.url(&url)).bearer_auth(&token);
                if let Some(body) = &body {
                    request = request.json(body);
                }
                let response = request.send().await.unwrap();
                let status = response.status();
                let text = response.text().await.unwrap();
                let code = serde_json::from_str::<Value>(&text)
                    .ok()
                    .and_then(|body| body["code"].as_str().map(str::to_owned))
                    .unwrap_or_default();
                let forbidden = status == StatusCode::FORBIDDEN && code == "forbidden";
                assert_eq!(
                    forbidden,
                    refused,
                    "{} {path} as {}: expected {}, got {status} {text}",
                    method.to_uppercase(),
                    caller.email,
                    if refused {
                        "403 forbidden"
                    } else {
                        "past the gate"
                    },
                );
                assert!(
                    status.as_u16() < 500,
                    "{method} {path} as {}: {status} {text}",
                    caller.email
                );
                checked += 1;
            }
        }
        assert_eq!(checked, DECISIONS.len() * callers.len());
    }
);
