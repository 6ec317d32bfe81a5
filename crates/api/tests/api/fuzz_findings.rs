//! What schema fuzzing (`e2e/contract/run.sh`) found, each replayed so it stays fixed.

use reqwest::{StatusCode, header};
use serde_json::{Value, json};

use crate::{
    business::{self, json_of, patch_json},
    helpers::{TestApp, assert_problem, invalid_fields},
};

const LISTINGS: [&str; 5] = [
    "/api/v1/customers",
    "/api/v1/tenants",
    "/api/v1/api-tokens",
    "/api/v1/group-policies",
    "/api/v1/audit-log",
];

db_test!(
    a_page_number_past_the_last_page_served_is_a_422_not_a_dropped_connection,
    |app| async move {
        let reseller = business::reseller(&app, "Paging Reseller").await;
        for path in LISTINGS {
            // The second number made the paginator's offset overflow and the worker panic.
            for page in ["1000001", "9223372036854775808"] {
                let response = app
                    .get(&format!("{path}?page={page}"), &reseller.token)
                    .await;
                assert_eq!(
                    invalid_fields(response).await,
                    ["page"],
                    "{path}?page={page}"
                );
            }
            let (status, body) = app
                .get_json(&format!("{path}?page=1000000"), &reseller.token)
                .await;
            assert_eq!(
                status,
                StatusCode::OK,
                "{path}: the last page is served: {body}"
            );
            assert_eq!(body["items"], json!([]), "{path}");
        }
    }
);

/// A new group policy named Baseline, and its path.
async fn baseline_policy(app: &TestApp, token: &str) -> (Value, String) {
    let created = app
        .post_json(
            "/api/v1/group-policies",
            token,
            &json!({ "name": "Baseline" }),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let policy = json_of(created).await;
    let path = format!("/api/v1/group-policies/{}", policy["id"].as_str().unwrap());
    (policy, path)
}

db_test!(
    a_json_array_is_refused_where_the_document_asks_for_an_object,
    |app| async move {
        let reseller = business::reseller(&app, "Array Reseller").await;
        let (policy, path) = baseline_policy(&app, &reseller.token).await;

        // serde reads a struct from an array by position: this once renamed nothing and said 200.
        let response = patch_json(&app, &path, &reseller.token, &json!([null, null])).await;
        assert_problem(response, StatusCode::BAD_REQUEST, "invalid_body").await;
        let customer = json!(["Positional Ltd", 5, "it@positional.example"]);
        let response = app
            .post_json("/api/v1/customers", &reseller.token, &customer)
            .await;
        assert_problem(response, StatusCode::BAD_REQUEST, "invalid_body").await;

        let (_, unchanged) = app
            .get_json("/api/v1/group-policies", &reseller.token)
            .await;
        assert_eq!(unchanged["items"][0]["updated_at"], policy["updated_at"]);
        let (_, customers) = app.get_json("/api/v1/customers", &reseller.token).await;
        assert_eq!(customers["total"], 0);
    }
);

db_test!(
    renaming_a_group_policy_to_blanks_says_the_name_cannot_be_empty,
    |app| async move {
        let reseller = business::reseller(&app, "Blank Reseller").await;
        let (_, path) = baseline_policy(&app, &reseller.token).await;
        for blank in ["", "   "] {
            let response =
                patch_json(&app, &path, &reseller.token, &json!({ "name": blank })).await;
            let problem = assert_problem(
                response,
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
            )
            .await;
            // "required" here misled clients (and the fuzzer) into sending a name on every PATCH.
            assert_eq!(
                problem["errors"][0]["message"], "this field cannot be empty",
                "{problem}"
            );
        }
        let response = patch_json(&app, &path, &reseller.token, &json!({ "enabled": true })).await;
        assert_eq!(
            response.status(),
            StatusCode::OK,
            "name stays optional in a PATCH"
        );
    }
);

db_test!(
    a_body_without_a_json_content_type_and_an_unknown_query_parameter_get_documented_problems,
    |app| async move {
        let reseller = business::reseller(&app, "Shape Reseller").await;
        let without_body = app
            .client
            .put(app.url("/api/v1/settings/azure-login"))
            .bearer_auth(&reseller.token);
        let as_text = app
            .client
            .post(app.url("/api/v1/api-tokens"))
            .bearer_auth(&reseller.token)
            .header(header::CONTENT_TYPE, "text/plain")
            .body("{}");
        for request in [without_body, as_text] {
            let response = request.send().await.unwrap();
            assert_problem(
                response,
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
            )
            .await;
        }
        for path in LISTINGS {
            let response = app
                .get(&format!("{path}?per_page=1&surprise=42"), &reseller.token)
                .await;
            assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{path}");
        }
    }
);

fn document() -> Value {
    serde_json::from_str(&msp_api::openapi::document_json().unwrap()).unwrap()
}

fn operations(document: &Value) -> Vec<(String, &Value)> {
    let mut found = Vec::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            found.push((format!("{} {path}", method.to_uppercase()), operation));
        }
    }
    found
}

#[test]
fn every_operation_documents_the_problems_its_body_and_query_can_cause() {
    let document = document();
    for (name, operation) in operations(&document) {
        let responses = &operation["responses"];
        let takes_query = operation["parameters"]
            .as_array()
            .is_some_and(|parameters| parameters.iter().any(|p| p["in"] == "query"));
        let expected: &[&str] = if operation["requestBody"].is_object() {
            &["400", "413", "415"]
        } else if takes_query {
            &["400"]
        } else {
            &[]
        };
        for status in expected {
            assert_eq!(
                responses[status]["content"]["application/problem+json"]["schema"]["$ref"],
                "#/components/schemas/Problem",
                "{name} does not document {status}"
            );
        }
    }
}

#[test]
fn health_is_documented_as_open_and_paging_as_bounded() {
    let document = document();
    assert_eq!(
        document["paths"]["/healthz"]["get"]["security"],
        json!([{}]),
        "/healthz answers without a token, so the document must not demand one"
    );
    for path in LISTINGS {
        let parameters = document["paths"][path]["get"]["parameters"]
            .as_array()
            .unwrap();
        let page = parameters.iter().find(|p| p["name"] == "page").unwrap();
        assert_eq!(page["schema"]["maximum"], 1_000_000, "{path}");
    }
}
