//! SPEC §7's guarantees under repetition and concurrency: `Idempotency-Key` replays, and
//! racing creates that leave exactly one customer.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::{
    business::{customer, json_of, reseller, with},
    helpers::assert_problem,
};

/// How many of `statuses` are `status`.
fn answered(statuses: &[StatusCode], status: StatusCode) -> usize {
    statuses
        .iter()
        .filter(|answered| **answered == status)
        .count()
}

db_test!(
    a_repeated_create_with_the_same_idempotency_key_returns_the_first_result,
    |app| async move {
        let reseller = reseller(&app, "Shop Reseller").await;
        let send = |body: Value| {
            app.client
                .post(app.url("/api/v1/customers"))
                .bearer_auth(&reseller.token)
                .header("Idempotency-Key", "order-42")
                .json(&body)
                .send()
        };
        let first = send(customer("Once Only")).await.unwrap();
        assert_eq!(first.status(), StatusCode::CREATED);
        let first = json_of(first).await;
        let again = send(customer("Once Only")).await.unwrap();
        assert_eq!(again.status(), StatusCode::CREATED);
        assert_eq!(json_of(again).await, first);
        let (_, list) = app.get_json("/api/v1/customers", &reseller.token).await;
        assert_eq!(list["total"], 1);
        let reused = send(customer("Something Else")).await.unwrap();
        assert_problem(reused, StatusCode::CONFLICT, "idempotency_key_reused").await;
    }
);

async fn concurrent_creates(
    app: &crate::helpers::TestApp,
    token: &str,
    bodies: Vec<Value>,
) -> Vec<StatusCode> {
    let mut requests = tokio::task::JoinSet::new();
    for body in bodies {
        let request = app
            .client
            .post(app.url("/api/v1/customers"))
            .bearer_auth(token)
            .json(&body);
        requests.spawn(async move { request.send().await.unwrap().status() });
    }
    requests.join_all().await
}

db_test!(
    fifty_concurrent_creates_with_one_name_make_exactly_one_customer,
    |app| async move {
        let reseller = reseller(&app, "Busy Reseller").await;
        let statuses = concurrent_creates(
            &app,
            &reseller.token,
            (0..50).map(|_| customer("Race Ltd")).collect(),
        )
        .await;
        assert_eq!(answered(&statuses, StatusCode::CREATED), 1, "{statuses:?}");
        assert_eq!(
            answered(&statuses, StatusCode::CONFLICT),
            49,
            "{statuses:?}"
        );
        let (_, list) = app.get_json("/api/v1/customers", &reseller.token).await;
        assert_eq!(list["total"], 1);
    }
);

db_test!(
    fifty_concurrent_creates_with_one_azure_tenant_id_make_exactly_one_customer,
    |app| async move {
        let reseller = reseller(&app, "Busy Reseller").await;
        let guid = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
        let bodies = (0..50)
            .map(|index| {
                with(
                    customer(&format!("Racer {index}")),
                    "azure_tenant_id",
                    json!(guid),
                )
            })
            .collect();
        let statuses = concurrent_creates(&app, &reseller.token, bodies).await;
        assert_eq!(answered(&statuses, StatusCode::CREATED), 1, "{statuses:?}");
        assert_eq!(
            answered(&statuses, StatusCode::CONFLICT),
            49,
            "{statuses:?}"
        );
    }
);
