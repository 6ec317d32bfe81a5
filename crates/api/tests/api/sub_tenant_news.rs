//! What is new in the Azure customers grid (issue 19 item 3): with "Show new sub-tenants" on, the
//! sub-tenants first seen since the user's previous listing and those renamed in Azure since a
//! customer was created from them or linked to them, and **Rename customer**; against the fake
//! Graph over HTTPS, whose directory the tests change while it runs.

use proto::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::azure_customers::{connected_reseller, credentials, listed, run_with_fake_graph};
use crate::azure_matches::row;
use crate::business::{Reseller, create_customer, customer, json_of, put_json, with};
use crate::helpers::{PASSWORD, TestApp, all_items, assert_problem};

const CONTOSO: &str = "fe3fe28d-ee70-5774-a642-a412a06f0cf8";
const LITWARE: &str = "936704c4-3a02-58ce-828c-03f8b91cc69d";
const NORTHWIND: &str = "5d0c5a51-2b7e-4c11-9a57-7d3e1f2a9b64";
const SETTING: &str = "/api/v1/settings/new-sub-tenants";

fn new_ones(items: &[Value]) -> Vec<&str> {
    items
        .iter()
        .filter(|item| item["new_since_last_visit"] == json!(true))
        .map(|item| item["name"].as_str().unwrap())
        .collect()
}

fn renamed_ones(items: &[Value]) -> Vec<&str> {
    items
        .iter()
        .filter(|item| !item["renamed"].is_null())
        .map(|item| item["name"].as_str().unwrap())
        .collect()
}

fn rename_path(tenant_id: &str) -> String {
    format!("/api/v1/msp-onboarding/azure-customers/{tenant_id}/rename-customer")
}

async fn show_new_sub_tenants(app: &TestApp, reseller: &Reseller, on: bool) {
    let saved = put_json(
        app,
        SETTING,
        &reseller.token,
        &json!({ "show_new_sub_tenants": on }),
    )
    .await;
    assert_eq!(saved.status(), StatusCode::OK);
    assert_eq!(json_of(saved).await, json!({ "show_new_sub_tenants": on }));
}

/// Another admin of `reseller`, signed in.
async fn second_admin(app: &TestApp, reseller: &Reseller, email: &str) -> String {
    app.create_user(
        reseller.tenant.id,
        email,
        Role::Admin,
        domain::ClaimSet::all(),
    )
    .await;
    app.sign_in(email, PASSWORD).await
}

async fn from_azure(app: &TestApp, token: &str, name: &str, tenant_id: &str) -> Value {
    create_customer(
        app,
        token,
        &with(customer(name), "azure_tenant_id", json!(tenant_id)),
    )
    .await
}

graph_test!(
    with_the_setting_off_nothing_is_marked_and_turning_it_on_is_audited,
    |app, fake| async move {
        let reseller = connected_reseller(&app, "Quiet Reseller").await;
        let (status, setting) = app.get_json(SETTING, &reseller.token).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(setting, json!({ "show_new_sub_tenants": false }));
        from_azure(&app, &reseller.token, "Contoso Ltd", CONTOSO).await;
        listed(&app, &reseller.token, &credentials()).await;

        fake.directory()
            .put_sub_tenant(NORTHWIND, "Northwind Traders");
        fake.directory().put_sub_tenant(CONTOSO, "Contoso Group");
        let items = listed(&app, &reseller.token, &credentials()).await;
        assert!(new_ones(&items).is_empty(), "{items:?}");
        assert!(renamed_ones(&items).is_empty(), "{items:?}");

        show_new_sub_tenants(&app, &reseller, true).await;
        show_new_sub_tenants(&app, &reseller, true).await;
        let audit = all_items(&app, "/api/v1/audit-log", &reseller.token).await;
        let changes: Vec<&Value> = audit
            .iter()
            .filter(|entry| entry["action"] == "settings.show_new_sub_tenants.update")
            .collect();
        assert_eq!(
            changes.len(),
            1,
            "saving the same value again changes nothing"
        );
        // Listings were recorded while it was off: Contoso's rename shows at once.
        let items = listed(&app, &reseller.token, &credentials()).await;
        assert_eq!(renamed_ones(&items), vec!["Contoso Group"]);
        assert!(new_ones(&items).is_empty(), "{items:?}");
    }
);

graph_test!(
    a_sub_tenant_added_in_azure_is_new_at_each_users_next_listing_and_not_after,
    |app, fake| async move {
        let reseller = connected_reseller(&app, "Watching Reseller").await;
        show_new_sub_tenants(&app, &reseller, true).await;
        let colleague = second_admin(&app, &reseller, "colleague@watching.test").await;

        let first = listed(&app, &reseller.token, &credentials()).await;
        assert!(
            new_ones(&first).is_empty(),
            "a first listing has no previous one to compare with"
        );
        listed(&app, &colleague, &credentials()).await;

        fake.directory()
            .put_sub_tenant(NORTHWIND, "Northwind Traders");
        // A listing filtered by name still sees every sub-tenant Graph returned.
        let filtered = listed(
            &app,
            &reseller.token,
            &with(credentials(), "q", json!("traders")),
        )
        .await;
        assert_eq!(new_ones(&filtered), vec!["Northwind Traders"]);
        assert_eq!(filtered.len(), 1);
        let next = listed(&app, &reseller.token, &credentials()).await;
        assert!(new_ones(&next).is_empty(), "seen at the previous listing");

        // The colleague has not listed since it appeared.
        let theirs = listed(&app, &colleague, &credentials()).await;
        assert_eq!(new_ones(&theirs), vec!["Northwind Traders"]);
        assert_eq!(row(&theirs, "Northwind Traders")["can_create"], json!(true));
        let again = listed(&app, &colleague, &credentials()).await;
        assert!(new_ones(&again).is_empty());
    }
);

graph_test!(
    a_sub_tenant_renamed_in_azure_is_marked_on_its_customer_until_rename_customer_takes_the_name,
    |app, fake| async move {
        let reseller = connected_reseller(&app, "Renaming Reseller").await;
        show_new_sub_tenants(&app, &reseller, true).await;
        listed(&app, &reseller.token, &credentials()).await;
        let contoso = from_azure(&app, &reseller.token, "Contoso Ltd", CONTOSO).await;
        // Linked to an existing customer with a name of its own.
        let litware = create_customer(&app, &reseller.token, &customer("Litware Holdings")).await;
        let linked = app
            .post_json(
                &format!("/api/v1/msp-onboarding/azure-customers/{LITWARE}/link"),
                &reseller.token,
                &json!({ "customer_id": litware["id"] }),
            )
            .await;
        assert_eq!(linked.status(), StatusCode::OK);
        let unchanged = listed(&app, &reseller.token, &credentials()).await;
        assert!(renamed_ones(&unchanged).is_empty(), "{unchanged:?}");

        fake.directory().put_sub_tenant(CONTOSO, "Contoso Group");
        fake.directory().put_sub_tenant(LITWARE, "Litware Group");
        let items = listed(&app, &reseller.token, &credentials()).await;
        assert_eq!(renamed_ones(&items), vec!["Contoso Group", "Litware Group"]);
        assert_eq!(
            row(&items, "Contoso Group")["renamed"],
            json!({
                "customer_id": contoso["id"],
                "customer_name": "Contoso Ltd",
                "previous_azure_name": "Contoso Ltd",
            })
        );
        assert_eq!(
            row(&items, "Litware Group")["renamed"]["previous_azure_name"],
            json!("Litware Inc")
        );
        assert!(new_ones(&items).is_empty(), "renamed is not new");

        let renamed = app
            .post_json(&rename_path(CONTOSO), &reseller.token, &json!({}))
            .await;
        assert_eq!(renamed.status(), StatusCode::OK);
        let renamed = json_of(renamed).await;
        assert_eq!(renamed["name"], json!("Contoso Group"));
        assert_eq!(renamed["id"], contoso["id"]);
        let (_, fetched) = app
            .get_json(
                &format!("/api/v1/customers/{}", contoso["id"].as_str().unwrap()),
                &reseller.token,
            )
            .await;
        assert_eq!(fetched["name"], json!("Contoso Group"));
        let audit = all_items(&app, "/api/v1/audit-log", &reseller.token).await;
        assert!(
            audit
                .iter()
                .any(|entry| entry["action"] == "customer.update"
                    && entry["target"] == format!("customer:{}", contoso["id"].as_str().unwrap())
                    && entry["details"]["before"]["name"] == json!("Contoso Ltd")),
            "{audit:?}"
        );
        let items = listed(&app, &reseller.token, &credentials()).await;
        assert_eq!(renamed_ones(&items), vec!["Litware Group"]);
    }
);

graph_test!(
    rename_customer_refuses_a_taken_name_an_unlinked_sub_tenant_and_a_malformed_id,
    |app, fake| async move {
        let reseller = connected_reseller(&app, "Careful Reseller").await;
        show_new_sub_tenants(&app, &reseller, true).await;
        let contoso = from_azure(&app, &reseller.token, "Contoso Ltd", CONTOSO).await;
        create_customer(&app, &reseller.token, &customer("Fabrikam Group")).await;
        listed(&app, &reseller.token, &credentials()).await;
        fake.directory().put_sub_tenant(CONTOSO, "FABRIKAM group");
        listed(&app, &reseller.token, &credentials()).await;

        assert_problem(
            app.post_json(&rename_path(CONTOSO), &reseller.token, &json!({}))
                .await,
            StatusCode::CONFLICT,
            "name_exists",
        )
        .await;
        let (_, kept) = app
            .get_json(
                &format!("/api/v1/customers/{}", contoso["id"].as_str().unwrap()),
                &reseller.token,
            )
            .await;
        assert_eq!(kept["name"], json!("Contoso Ltd"));
        assert_problem(
            app.post_json(&rename_path(LITWARE), &reseller.token, &json!({}))
                .await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
        let response = app
            .post_json(&rename_path("not-a-guid"), &reseller.token, &json!({}))
            .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        // Another reseller's customer is not yours to rename, even for the same sub-tenant.
        let other = connected_reseller(&app, "Other Reseller").await;
        listed(&app, &other.token, &credentials()).await;
        assert_problem(
            app.post_json(&rename_path(CONTOSO), &other.token, &json!({}))
                .await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }
);
