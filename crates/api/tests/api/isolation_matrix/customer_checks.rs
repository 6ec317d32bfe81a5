//! The checks of the customer operations: the customers, their licences and the Azure
//! customers listing.

use reqwest::{Method, StatusCode};
use serde_json::json;
use uuid::Uuid;

use super::{
    Op,
    parties::{Party, assert_denied, assert_no_leak, call, expect, get, probe_name, text_of},
};
use crate::helpers::{TestApp, all_items};

/// Calls the customer operation `op` as `caller` against `owner`'s data.
pub async fn check(app: &TestApp, op: Op, owner: &Party, caller: &Party, visible: bool) {
    let token = caller.token.as_str();
    let owner_token = owner.token.as_str();
    let leak = |context: &str, text: &str| assert_no_leak(context, text, owner, caller);
    match op {
        Op::ListCustomers => {
            let text = text_of(&all_items(app, "/api/v1/customers", token).await);
            if visible {
                assert!(
                    text.contains(&owner.customer_id()),
                    "{} lists {}'s customer",
                    caller.label,
                    owner.label
                );
                return;
            }
            leak("GET /api/v1/customers", &text);
            let name = owner
                .customer
                .as_ref()
                .map_or(&owner.tenant.name, |customer| &customer.name);
            let search = format!("/api/v1/customers?q={}", name.replace(' ', "%20"));
            let found = expect(app, get(&search), token, None, StatusCode::OK).await;
            assert_eq!(found["total"], 0, "searching for {name:?}: {found}");
        }
        Op::ExportCustomers => {
            let (status, _, text) = call(
                app,
                Method::GET,
                "/api/v1/customers/export",
                Some(token),
                None,
            )
            .await;
            assert_eq!(status, StatusCode::OK, "{text}");
            if visible {
                assert!(
                    text.contains(&owner.customer_id()),
                    "{}'s export lists {}'s customer",
                    caller.label,
                    owner.label
                );
            } else {
                leak("GET /api/v1/customers/export", &text);
            }
        }
        Op::GetCustomer => {
            let path = format!("/api/v1/customers/{}", owner.customer_id());
            if visible {
                let found = expect(app, get(&path), token, None, StatusCode::OK).await;
                assert_eq!(found["id"], owner.customer_id());
            } else {
                assert_denied(app, get(&path), None, owner, caller).await;
            }
        }
        Op::UpdateCustomer => {
            let path = format!("/api/v1/customers/{}", owner.customer_id());
            let body = json!({ "details": format!("changed by {}", caller.label) });
            if visible {
                let updated = expect(
                    app,
                    (Method::PATCH, &path),
                    token,
                    Some(&body),
                    StatusCode::OK,
                )
                .await;
                assert_eq!(updated["details"], body["details"]);
            } else {
                assert_denied(app, (Method::PATCH, &path), Some(&body), owner, caller).await;
                if owner.customer.is_some() {
                    let own = expect(app, get(&path), owner_token, None, StatusCode::OK).await;
                    assert_ne!(
                        own["details"], body["details"],
                        "{}'s customer is untouched",
                        owner.label
                    );
                }
            }
        }
        Op::DeleteCustomer => delete_customer_as(app, owner, caller, visible).await,
        Op::GetDelegation | Op::PutDelegation => {
            let path = format!("/api/v1/customers/{}/delegation", owner.customer_id());
            // The caller's own admin: a user of another MSP, refused where the owner's is seen.
            let body = json!({ "user_ids": [caller.admin.id], "group_ids": [] });
            let request = match op {
                Op::GetDelegation => (Method::GET, path.as_str(), None),
                _ => (Method::PUT, path.as_str(), Some(&body)),
            };
            if !visible {
                assert_denied(app, (request.0, request.1), request.2, owner, caller).await;
                return;
            }
            let (status, _, text) = call(app, request.0, request.1, Some(token), request.2).await;
            match op {
                Op::GetDelegation => assert_eq!(status, StatusCode::OK, "{text}"),
                // Visible, but the caller's admin is no user of the customer's MSP.
                _ => assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{text}"),
            }
        }
        Op::CreateCustomer => create_customer_as(app, owner, caller).await,
        Op::CreateCustomersBatch => create_batch_as(app, owner, caller).await,
        Op::AzureCustomers => azure_customers_as(app, owner, caller).await,
        Op::LinkAzureCustomer | Op::RejectAzureMatch => {
            match_as(app, op, owner, caller, visible).await;
        }
        Op::RenameCustomerAfterAzure => rename_as(app, owner, caller, visible).await,
        Op::Activate | Op::Deactivate => licence_as(app, op, owner, caller, visible).await,
        _ => unreachable!("{op:?} is not a customer operation"),
    }
}

/// The listing takes no ID and no tenant ID: it always uses the caller's saved one (a listing
/// through the fake Graph with it is `azure_customers::a_reseller_lists_with_its_own_saved_tenant_id_only`).
/// Here: the owner's tenant ID cannot be slipped into the body, and refusals say nothing of it.
async fn azure_customers_as(app: &TestApp, owner: &Party, caller: &Party) {
    let request = (Method::POST, "/api/v1/msp-onboarding/azure-customers");
    let client_id = Uuid::new_v4().to_string();
    let pointed = json!({
        "client_id": client_id, "client_secret": "matrix-probe-secret", "tenant_id": owner.azure_login,
    });
    let (status, _, text) = call(
        app,
        request.0.clone(),
        request.1,
        Some(&caller.token),
        Some(&pointed),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "a tenant ID in the body is refused: {text}"
    );
    assert_no_leak(
        "POST azure-customers with the owner's tenant ID",
        &text,
        owner,
        caller,
    );
    let malformed = json!({ "client_id": "not-a-guid", "client_secret": "matrix-probe-secret" });
    let (status, _, text) = call(
        app,
        request.0,
        request.1,
        Some(&caller.token),
        Some(&malformed),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{text}");
    assert_no_leak(
        "POST azure-customers with a malformed client ID",
        &text,
        owner,
        caller,
    );
}

/// Link and Not this one name a customer: another tenant's is a 404 (or 403) that tells
/// nothing, and stays as it was; a customer below the caller is linked again to its own tenant ID
/// (no change), or turned down for a sub-tenant.
async fn match_as(app: &TestApp, op: Op, owner: &Party, caller: &Party, visible: bool) {
    let own_tenant_id = owner
        .customer
        .as_ref()
        .map(|customer| customer.azure_tenant_id.clone());
    let tenant_id = match (visible, &own_tenant_id) {
        (true, Some(linked)) => linked.clone(),
        _ => Uuid::new_v4().to_string(),
    };
    let path = match op {
        Op::LinkAzureCustomer => {
            format!("/api/v1/msp-onboarding/azure-customers/{tenant_id}/link")
        }
        _ => format!("/api/v1/msp-onboarding/azure-customers/{tenant_id}/rejected-matches"),
    };
    let body = json!({ "customer_id": owner.customer_id() });
    if !visible {
        assert_denied(app, (Method::POST, &path), Some(&body), owner, caller).await;
        if let Some(linked) = own_tenant_id {
            let customer = format!("/api/v1/customers/{}", owner.customer_id());
            let own = expect(app, get(&customer), &owner.token, None, StatusCode::OK).await;
            assert_eq!(own["azure_tenant_id"], json!(linked.to_lowercase()));
        }
        return;
    }
    let (status, _, text) = call(app, Method::POST, &path, Some(&caller.token), Some(&body)).await;
    let expected = match op {
        Op::LinkAzureCustomer => StatusCode::OK,
        _ => StatusCode::NO_CONTENT,
    };
    assert_eq!(status, expected, "{path} as {}: {text}", caller.label);
}

/// Rename customer names a sub-tenant, never a customer: only the caller's own customers linked
/// to it are considered, so another tenant's customer linked to it is a 404 that tells nothing,
/// and keeps its name. The owner's reseller never listed its sub-tenants here (no Graph in this
/// matrix), so there is no Azure name to take even for the owner.
async fn rename_as(app: &TestApp, owner: &Party, caller: &Party, visible: bool) {
    let Some(owned) = &owner.customer else { return };
    let path = format!(
        "/api/v1/msp-onboarding/azure-customers/{}/rename-customer",
        owned.azure_tenant_id
    );
    if !visible {
        assert_denied(app, (Method::POST, &path), None, owner, caller).await;
        let customer = format!("/api/v1/customers/{}", owned.id);
        let own = expect(app, get(&customer), &owner.token, None, StatusCode::OK).await;
        assert_eq!(own["name"], json!(owned.name));
        return;
    }
    let (status, _, text) = call(app, Method::POST, &path, Some(&caller.token), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{path}: {text}");
}

/// A batch with the owner's `Idempotency-Key`: nothing of the owner's is replayed for a reseller
/// caller, whose items are simply created. (The owner's name is free to the caller: the single
/// create's check shows it.)
async fn create_batch_as(app: &TestApp, owner: &Party, caller: &Party) {
    let Some(owned) = &owner.customer else { return };
    let body = json!({ "items": [
        { "name": probe_name(), "total_licenses": 3, "email": "it@probe.test" },
        { "name": probe_name(), "total_licenses": 3, "email": "it@probe.test" },
    ] });
    let response = app
        .client
        .post(app.url("/api/v1/customers/batch"))
        .bearer_auth(&caller.token)
        .header("Idempotency-Key", &owned.idempotency_key)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    assert_no_leak("POST /api/v1/customers/batch", &text, owner, caller);
    if !caller.is_reseller() {
        assert_eq!(status, StatusCode::FORBIDDEN, "{text}");
        return;
    }
    assert_eq!(status, StatusCode::OK, "{text}");
    let outcome: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(outcome["created"], 2, "{text}");
    // Created under the caller: the probes go, leaving the parties as they were.
    for item in outcome["items"].as_array().unwrap() {
        let id = item["customer"]["id"].as_str().unwrap();
        let (status, _, text) = call(
            app,
            Method::DELETE,
            &format!("/api/v1/customers/{id}"),
            Some(&caller.token),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{text}");
    }
}

/// Creating takes no ID, but its keys must not reach across tenants: the owner's
/// `Idempotency-Key` replays nothing for the caller, and the owner's customer name is free.
async fn create_customer_as(app: &TestApp, owner: &Party, caller: &Party) {
    let Some(owned) = &owner.customer else { return };
    let send = |name: String, key: Option<&str>| {
        let mut request = app
            .client
            .post(app.url("/api/v1/customers"))
            .bearer_auth(&caller.token);
        if let Some(key) = key {
            request = request.header("Idempotency-Key", key);
        }
        request
            .json(&json!({ "name": name, "total_licenses": 3, "email": "it@probe.test" }))
            .send()
    };
    let same_key = send(probe_name(), Some(&owned.idempotency_key))
        .await
        .unwrap();
    let status = same_key.status();
    let text = same_key.text().await.unwrap();
    assert_no_leak(
        "POST /api/v1/customers with the owner's Idempotency-Key",
        &text,
        owner,
        caller,
    );
    if !caller.is_reseller() {
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "only resellers create customers: {text}"
        );
        return;
    }
    assert_eq!(
        status,
        StatusCode::CREATED,
        "the owner's key replays nothing: {text}"
    );
    let same_name = send(owned.name.to_uppercase(), None).await.unwrap();
    assert_eq!(
        same_name.status(),
        StatusCode::CREATED,
        "names are unique per reseller only"
    );
}

async fn licence_as(app: &TestApp, op: Op, owner: &Party, caller: &Party, visible: bool) {
    let Some(owned) = &owner.customer else { return };
    let activations = (Method::POST, "/api/v1/licensing/activations");
    let deactivations = (Method::POST, "/api/v1/licensing/deactivations");
    if visible {
        let probe = json!({ "licence_key": owned.licence_key, "device_id": probe_name() });
        if matches!(op, Op::Activate) {
            expect(
                app,
                activations,
                &caller.token,
                Some(&probe),
                StatusCode::CREATED,
            )
            .await;
        }
        let usage = expect(
            app,
            deactivations,
            &caller.token,
            Some(&probe),
            StatusCode::OK,
        )
        .await;
        assert_eq!(
            usage["active_licenses"], 1,
            "back to the owner's one device"
        );
        return;
    }
    let (request, device) = match op {
        Op::Activate => (activations, probe_name()),
        _ => (deactivations, owned.device_id.clone()),
    };
    let body = json!({ "licence_key": owned.licence_key, "device_id": device });
    assert_denied(app, request, Some(&body), owner, caller).await;
    let path = format!("/api/v1/customers/{}", owned.id);
    let own = expect(app, get(&path), &owner.token, None, StatusCode::OK).await;
    assert_eq!(
        own["active_licenses"], 1,
        "{}'s licences are untouched",
        owner.label
    );
}

/// A customer made for the check (the owner's own stays for the other checks): an ancestor's
/// admin deletes it, anyone else gets a refusal and it stays.
async fn delete_customer_as(app: &TestApp, owner: &Party, caller: &Party, visible: bool) {
    let doomed = if owner.is_reseller() {
        let body = json!({ "name": probe_name(), "total_licenses": 1, "email": "it@doomed.test" });
        let created = expect(
            app,
            (Method::POST, "/api/v1/customers"),
            &owner.token,
            Some(&body),
            StatusCode::CREATED,
        )
        .await;
        created["id"].as_str().unwrap().to_owned()
    } else {
        Uuid::new_v4().to_string()
    };
    let path = format!("/api/v1/customers/{doomed}");
    if visible {
        expect(
            app,
            (Method::DELETE, &path),
            &caller.token,
            None,
            StatusCode::NO_CONTENT,
        )
        .await;
        return;
    }
    assert_denied(app, (Method::DELETE, &path), None, owner, caller).await;
    if owner.is_reseller() {
        expect(app, get(&path), &owner.token, None, StatusCode::OK).await;
        expect(
            app,
            (Method::DELETE, &path),
            &owner.token,
            None,
            StatusCode::NO_CONTENT,
        )
        .await;
    }
}
