//! Customer data needs `view_customers`, changing a customer needs `create_customer`: the tenant
//! tree, a customer's update and licence activations answer accordingly.

use proto::Claim;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::{
    business::{create_customer, customer, patch_json, reseller, user_without},
    helpers::{all_items, assert_problem},
};

fn names(tenants: &[Value]) -> Vec<String> {
    tenants
        .iter()
        .map(|tenant| tenant["name"].as_str().unwrap_or_default().to_owned())
        .collect()
}

db_test!(
    the_tenant_tree_shows_customers_only_to_users_who_may_view_customers,
    |app| async move {
        let reseller = reseller(&app, "Acme Reseller").await;
        let created = create_customer(&app, &reseller.token, &customer("Litware")).await;
        let customer_path = format!("/api/v1/tenants/{}", created["id"].as_str().unwrap());

        let everything = all_items(&app, "/api/v1/tenants", &reseller.token).await;
        assert_eq!(names(&everything), ["Acme Reseller", "Litware"]);
        let (status, _) = app.get_json(&customer_path, &reseller.token).await;
        assert_eq!(status, StatusCode::OK);

        let blind = user_without(&app, &reseller, Claim::ViewCustomers).await;
        let partners_only = all_items(&app, "/api/v1/tenants", &blind).await;
        assert_eq!(names(&partners_only), ["Acme Reseller"]);
        let response = app.get(&customer_path, &blind).await;
        assert_problem(response, StatusCode::NOT_FOUND, "not_found").await;
    }
);

db_test!(
    updating_a_customer_needs_view_customers_too_since_the_answer_is_the_customer,
    |app| async move {
        let reseller = reseller(&app, "Acme Reseller").await;
        let created = create_customer(&app, &reseller.token, &customer("Litware")).await;
        let path = format!("/api/v1/customers/{}", created["id"].as_str().unwrap());
        let blind = user_without(&app, &reseller, Claim::ViewCustomers).await;
        let response = patch_json(&app, &path, &blind, &json!({})).await;
        assert_problem(response, StatusCode::FORBIDDEN, "forbidden").await;
    }
);

db_test!(
    an_update_that_changes_nothing_writes_and_audits_nothing,
    |app| async move {
        let reseller = reseller(&app, "Acme Reseller").await;
        let created = create_customer(&app, &reseller.token, &customer("Litware")).await;
        let path = format!("/api/v1/customers/{}", created["id"].as_str().unwrap());
        let response = patch_json(&app, &path, &reseller.token, &json!({})).await;
        assert_eq!(response.status(), StatusCode::OK);
        let unchanged: Value = response.json().await.unwrap();
        assert_eq!(unchanged, created);
        let audit = all_items(&app, "/api/v1/audit-log", &reseller.token).await;
        assert!(
            audit
                .iter()
                .all(|entry| entry["action"] != "customer.update"),
            "{audit:?}"
        );
    }
);

db_test!(
    activating_and_deactivating_devices_need_create_customer,
    |app| async move {
        let reseller = reseller(&app, "Acme Reseller").await;
        let created = create_customer(&app, &reseller.token, &customer("Litware")).await;
        let body = json!({
            "licence_key": created["licence_key"]["key"],
            "device_id": "laptop-1",
        });
        let without = user_without(&app, &reseller, Claim::CreateCustomer).await;
        for path in [
            "/api/v1/licensing/activations",
            "/api/v1/licensing/deactivations",
        ] {
            let response = app.post_json(path, &without, &body).await;
            assert_problem(response, StatusCode::FORBIDDEN, "forbidden").await;
        }
        let response = app
            .post_json("/api/v1/licensing/activations", &reseller.token, &body)
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
    }
);
