//! Matching Azure sub-tenants to the customers a reseller already has (issue 19): the grid's
//! suggestion for each row, **Link** and **Not this one**, against the fake Graph over HTTPS.
//! The fake's sub-tenants have the default domain `<name, letters only>.onmicrosoft.com`.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::azure_customers::{connected_reseller, credentials, listed, run_with_fake_graph};
use crate::business::{create_customer, customer, json_of, with};
use crate::helpers::{TestApp, all_items, assert_problem};

const CONTOSO: &str = "fe3fe28d-ee70-5774-a642-a412a06f0cf8";
const LITWARE: &str = "936704c4-3a02-58ce-828c-03f8b91cc69d";
const WOODGROVE: &str = "3b9e4c1a-7d2f-4e8b-a6c5-0f1e2d3c4b5a";

pub fn row(items: &[Value], name: &str) -> Value {
    items
        .iter()
        .find(|item| item["name"] == json!(name))
        .unwrap_or_else(|| panic!("no row {name}"))
        .clone()
}

fn link_path(tenant_id: &str) -> String {
    format!("/api/v1/msp-onboarding/azure-customers/{tenant_id}/link")
}

fn reject_path(tenant_id: &str) -> String {
    format!("/api/v1/msp-onboarding/azure-customers/{tenant_id}/rejected-matches")
}

async fn named(app: &TestApp, token: &str, name: &str, email: &str) -> Value {
    create_customer(app, token, &with(customer(name), "email", json!(email))).await
}

graph_test!(
    each_sub_tenant_suggests_the_customer_it_most_likely_is_and_why,
    |app, _fake| async move {
        let reseller = connected_reseller(&app, "Matching Reseller").await;
        let contoso = named(
            &app,
            &reseller.token,
            "CONTOSO Limited",
            "it@contoso.example",
        )
        .await;
        // Litware's e-mail is at the sub-tenant's default domain: the domain beats the name.
        let litware = named(
            &app,
            &reseller.token,
            "Litware Holdings",
            "admin@LitwareInc.onmicrosoft.com",
        )
        .await;
        let woodgrove = create_customer(
            &app,
            &reseller.token,
            &with(
                customer("Woodgrove Bank"),
                "azure_tenant_id",
                json!(WOODGROVE),
            ),
        )
        .await;
        // Two customers that both read as "proseware": neither is suggested.
        named(&app, &reseller.token, "Proseware", "a@one.example").await;
        named(&app, &reseller.token, "Proseware, Inc.", "b@two.example").await;

        let items = listed(&app, &reseller.token, &credentials()).await;
        let suggested = |name: &str| row(&items, name)["suggested_match"].clone();
        assert_eq!(
            row(&items, "Contoso Ltd")["default_domain"],
            json!("contosoltd.onmicrosoft.com")
        );
        assert_eq!(
            suggested("Contoso Ltd"),
            json!({ "customer_id": contoso["id"], "customer_name": "CONTOSO Limited", "basis": "name" })
        );
        assert_eq!(
            suggested("Litware Inc"),
            json!({ "customer_id": litware["id"], "customer_name": "Litware Holdings", "basis": "domain" })
        );
        assert_eq!(
            suggested("Woodgrove Financial"),
            json!({ "customer_id": woodgrove["id"], "customer_name": "Woodgrove Bank", "basis": "tenant_id" })
        );
        assert_eq!(suggested("Proseware Inc"), Value::Null);
        assert_eq!(suggested("Fourth Coffee"), Value::Null);
    }
);

graph_test!(
    link_gives_the_customer_the_sub_tenants_tenant_id_once_and_audits_it,
    |app, _fake| async move {
        let reseller = connected_reseller(&app, "Linking Reseller").await;
        let contoso = named(&app, &reseller.token, "Contoso Limited", "it@c.example").await;
        let other = named(&app, &reseller.token, "Contoso Holdings", "it@h.example").await;
        let body = json!({ "customer_id": contoso["id"] });

        // Graph's case is not promised: the tenant ID is stored lower-case.
        let linked = app
            .post_json(&link_path(&CONTOSO.to_uppercase()), &reseller.token, &body)
            .await;
        assert_eq!(linked.status(), StatusCode::OK);
        assert_eq!(json_of(linked).await["azure_tenant_id"], json!(CONTOSO));
        let again = app
            .post_json(&link_path(CONTOSO), &reseller.token, &body)
            .await;
        assert_eq!(
            again.status(),
            StatusCode::OK,
            "linking twice is no conflict"
        );

        let items = listed(&app, &reseller.token, &credentials()).await;
        let contoso_row = row(&items, "Contoso Ltd");
        assert_eq!(contoso_row["reason"], json!("tenant_id_exists"));
        assert_eq!(contoso_row["suggested_match"]["basis"], json!("tenant_id"));

        // Taken meanwhile: the tenant ID by this customer, the customer by this tenant ID.
        assert_problem(
            app.post_json(
                &link_path(CONTOSO),
                &reseller.token,
                &json!({ "customer_id": other["id"] }),
            )
            .await,
            StatusCode::CONFLICT,
            "tenant_id_exists",
        )
        .await;
        assert_problem(
            app.post_json(&link_path(LITWARE), &reseller.token, &body)
                .await,
            StatusCode::CONFLICT,
            "linked_to_another_tenant",
        )
        .await;

        let log = all_items(&app, "/api/v1/audit-log", &reseller.token).await;
        let updates: Vec<&Value> = log
            .iter()
            .filter(|entry| {
                entry["action"] == json!("customer.update")
                    && entry["target"]
                        == json!(format!("customer:{}", contoso["id"].as_str().unwrap()))
            })
            .collect();
        assert_eq!(updates.len(), 1, "one link, one entry: {log:?}");
    }
);

graph_test!(
    not_this_one_stops_the_suggestion_for_this_reseller_and_the_next_basis_speaks,
    |app, _fake| async move {
        let reseller = connected_reseller(&app, "Rejecting Reseller").await;
        let by_domain = named(
            &app,
            &reseller.token,
            "Litware Holdings",
            "admin@litwareinc.onmicrosoft.com",
        )
        .await;
        let by_name = named(&app, &reseller.token, "Litware Incorporated", "x@y.example").await;
        let neighbour = connected_reseller(&app, "Neighbour Reseller").await;
        let theirs = named(&app, &neighbour.token, "Litware", "it@elsewhere.example").await;

        let turned_down = app
            .post_json(
                &reject_path(LITWARE),
                &reseller.token,
                &json!({ "customer_id": by_domain["id"] }),
            )
            .await;
        assert_eq!(turned_down.status(), StatusCode::NO_CONTENT);
        let again = app
            .post_json(
                &reject_path(LITWARE),
                &reseller.token,
                &json!({ "customer_id": by_domain["id"] }),
            )
            .await;
        assert_eq!(again.status(), StatusCode::NO_CONTENT);

        let items = listed(&app, &reseller.token, &credentials()).await;
        assert_eq!(
            row(&items, "Litware Inc")["suggested_match"],
            json!({ "customer_id": by_name["id"], "customer_name": "Litware Incorporated", "basis": "name" })
        );
        let theirs_listed = listed(&app, &neighbour.token, &credentials()).await;
        assert_eq!(
            row(&theirs_listed, "Litware Inc")["suggested_match"]["customer_id"],
            theirs["id"]
        );

        // The last candidate turned down too: nothing is suggested.
        app.post_json(
            &reject_path(LITWARE),
            &reseller.token,
            &json!({ "customer_id": by_name["id"] }),
        )
        .await;
        let items = listed(&app, &reseller.token, &credentials()).await;
        assert_eq!(row(&items, "Litware Inc")["suggested_match"], Value::Null);

        let log = all_items(&app, "/api/v1/audit-log", &reseller.token).await;
        let rejections = log
            .iter()
            .filter(|entry| entry["action"] == json!("customer.match_rejected"))
            .count();
        assert_eq!(rejections, 2, "each pair once, the repeat not again");
    }
);

graph_test!(
    link_and_not_this_one_refuse_a_tenant_id_that_is_no_guid_and_a_customer_not_yours,
    |app, _fake| async move {
        let reseller = connected_reseller(&app, "Careful Reseller").await;
        let stranger = connected_reseller(&app, "Stranger Reseller").await;
        let theirs = named(&app, &stranger.token, "Contoso Limited", "it@c.example").await;
        let mine = named(&app, &reseller.token, "Contoso Limited", "it@c.example").await;
        for path in [link_path(CONTOSO), reject_path(CONTOSO)] {
            assert_problem(
                app.post_json(
                    &path,
                    &reseller.token,
                    &json!({ "customer_id": theirs["id"] }),
                )
                .await,
                StatusCode::NOT_FOUND,
                "not_found",
            )
            .await;
        }
        for path in [link_path("not-a-guid"), reject_path("not-a-guid")] {
            let problem = assert_problem(
                app.post_json(
                    &path,
                    &reseller.token,
                    &json!({ "customer_id": mine["id"] }),
                )
                .await,
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
            )
            .await;
            assert_eq!(problem["errors"][0]["field"], json!("tenant_id"));
        }
        let unknown_field = app
            .post_json(
                &link_path(CONTOSO),
                &reseller.token,
                &json!({ "customer_id": mine["id"], "azure_tenant_id": CONTOSO }),
            )
            .await;
        assert_eq!(unknown_field.status(), StatusCode::BAD_REQUEST);
    }
);
