//! `POST /api/v1/customers/batch`: each item created independently by the single create's rules,
//! every outcome answered in order, a repeated batch with its key creating nothing twice.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::{
    business::{create_customer, customer, json_of, reseller, with},
    helpers::{TestApp, all_items, assert_problem},
};

const PATH: &str = "/api/v1/customers/batch";

async fn send(app: &TestApp, token: &str, items: &[Value], key: Option<&str>) -> reqwest::Response {
    let mut request = app
        .client
        .post(app.url(PATH))
        .bearer_auth(token)
        .json(&json!({ "items": items }));
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    request.send().await.unwrap()
}

db_test!(
    a_batch_creates_each_valid_item_and_answers_each_refusal_with_its_reason,
    |app| async move {
        let ours = reseller(&app, "Bulk Reseller").await;
        create_customer(&app, &ours.token, &customer("Fabrikam Ltd")).await;
        let items = [
            customer("Contoso Ltd"),
            with(customer("Zero Licences"), "total_licenses", json!(0)),
            customer("FABRIKAM LTD"),
            customer("Litware Inc"),
        ];
        let response = send(&app, &ours.token, &items, None).await;
        assert_eq!(response.status(), StatusCode::OK);
        let outcome = json_of(response).await;
        assert_eq!(
            (outcome["created"].clone(), outcome["refused"].clone()),
            (json!(2), json!(2))
        );
        let statuses: Vec<u64> = outcome["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|item| item["status"].as_u64().unwrap())
            .collect();
        assert_eq!(statuses, [201, 422, 409, 201]);
        let items = outcome["items"].as_array().unwrap();
        assert_eq!(items[0]["customer"]["name"], "Contoso Ltd");
        assert_eq!(items[1]["problem"]["errors"][0]["field"], "total_licenses");
        assert_eq!(items[2]["problem"]["code"], "name_exists");
        assert_eq!(items[3]["index"], 3);
        let listed = all_items(&app, "/api/v1/customers", &ours.token).await;
        assert_eq!(listed.len(), 3, "Fabrikam, Contoso and Litware");
    }
);

db_test!(
    a_repeated_batch_with_its_key_answers_the_first_customers_and_creates_nothing_twice,
    |app| async move {
        let ours = reseller(&app, "Retrying Reseller").await;
        let items = [customer("Northwind Traders"), customer("Adatum Corp")];
        let first = json_of(send(&app, &ours.token, &items, Some("bulk-1")).await).await;
        let again = json_of(send(&app, &ours.token, &items, Some("bulk-1")).await).await;
        assert_eq!(again["created"], 2);
        for index in 0..2 {
            assert_eq!(
                again["items"][index]["customer"]["id"],
                first["items"][index]["customer"]["id"]
            );
        }
        // Without the key the names are taken: the items are refused, not doubled.
        let unkeyed = json_of(send(&app, &ours.token, &items, None).await).await;
        assert_eq!(unkeyed["refused"], 2);
        assert_eq!(
            all_items(&app, "/api/v1/customers", &ours.token)
                .await
                .len(),
            2
        );
    }
);

db_test!(
    a_batch_holds_one_to_500_items_and_may_weigh_more_than_other_bodies,
    |app| async move {
        let ours = reseller(&app, "Heavy Reseller").await;
        for count in [0, 501] {
            let items = vec![customer("Same"); count];
            let problem = assert_problem(
                send(&app, &ours.token, &items, None).await,
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
            )
            .await;
            assert_eq!(problem["errors"][0]["field"], "items");
        }
        // 40 customers with 2 000 characters of details each: 80 KiB, over the 64 KiB of others.
        let details = "d".repeat(2_000);
        let items: Vec<Value> = (0..40)
            .map(|index| {
                with(
                    customer(&format!("Heavy {index:02}")),
                    "details",
                    json!(details),
                )
            })
            .collect();
        let response = send(&app, &ours.token, &items, None).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(json_of(response).await["created"], 40);
        let oversized = vec![with(
            customer("Huge"),
            "details",
            json!("x".repeat(1_100_000)),
        )];
        assert_problem(
            send(&app, &ours.token, &oversized, None).await,
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
        )
        .await;
    }
);
