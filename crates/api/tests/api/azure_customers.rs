//! `POST /api/v1/msp-onboarding/azure-customers` against the fake Graph over HTTPS, with the
//! application's real Graph client.

use std::time::Duration;

use msp_api::config::GraphOptions;
use msp_fake_graph::{FakeGraph, Fixture};
use proto::Claim;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::business::{
    Reseller, create_customer, customer, json_of, put_json, reseller, user_without, with,
};
use crate::helpers::{AppOptions, Backend, TestApp, assert_problem, error_fields, run_db_test};

const PATH: &str = "/api/v1/msp-onboarding/azure-customers";
const TENANT: &str = "5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
const CLIENT: &str = "0b6e3c1a-2f4d-4e8a-9c7b-1d2e3f4a5b6c";
const SECRET: &str = "demo-secret";

/// Runs `test` on `backend` with an application whose Graph is a fresh fake serving the demo
/// directory in pages of 4, so that every listing follows several next links.
pub async fn run_with_fake_graph<F, Fut>(backend: Backend, name: &str, test: F)
where
    F: FnOnce(TestApp, FakeGraph) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    let mut fixture = Fixture::demo().unwrap();
    fixture.page_size = 4;
    let fake = FakeGraph::start(fixture, "127.0.0.1:0").unwrap();
    let certificate_dir = tempfile::tempdir().unwrap();
    let certificate = certificate_dir.path().join("fake-graph.pem");
    std::fs::write(&certificate, fake.certificate_pem()).unwrap();
    let graph = GraphOptions {
        authority_url: fake.authority_url().parse().unwrap(),
        graph_url: fake.graph_url().parse().unwrap(),
        root_certificate: Some(certificate),
        timeout_secs: 2,
    };
    let options = AppOptions {
        graph: Some(graph),
        ..AppOptions::default()
    };
    run_db_test(backend, name, options, move |app| async move {
        // The application read the certificate at start-up; the directory may go with the test.
        let _keep = certificate_dir;
        test(app, fake).await;
    })
    .await;
}

macro_rules! graph_test {
    ($name:ident, |$app:ident, $fake:ident| $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test]
            async fn on_sqlite() {
                run_with_fake_graph(
                    crate::helpers::Backend::Sqlite,
                    concat!(module_path!(), "::on_sqlite"),
                    |$app, $fake| $body,
                )
                .await;
            }

            #[tokio::test]
            async fn on_postgres() {
                run_with_fake_graph(
                    crate::helpers::Backend::Postgres,
                    concat!(module_path!(), "::on_postgres"),
                    |$app, $fake| $body,
                )
                .await;
            }
        }
    };
}

/// A reseller that has saved the fake's tenant ID under Azure Login.
pub async fn connected_reseller(app: &TestApp, name: &str) -> Reseller {
    let reseller = reseller(app, name).await;
    save_tenant_id(app, &reseller.token, TENANT).await;
    reseller
}

async fn save_tenant_id(app: &TestApp, token: &str, tenant_id: &str) {
    let response = put_json(
        app,
        "/api/v1/settings/azure-login",
        token,
        &json!({ "tenant_id": tenant_id }),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
}

pub fn credentials() -> Value {
    json!({ "client_id": CLIENT, "client_secret": SECRET })
}

async fn list(app: &TestApp, token: &str, body: &Value) -> reqwest::Response {
    app.post_json(PATH, token, body).await
}

pub async fn listed(app: &TestApp, token: &str, body: &Value) -> Vec<Value> {
    let response = list(app, token, body).await;
    assert_eq!(response.status(), StatusCode::OK);
    let page = json_of(response).await;
    let items = page["items"].as_array().unwrap().clone();
    assert_eq!(page["total"], json!(items.len()));
    items
}

fn names(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|item| item["name"].as_str().unwrap().to_owned())
        .collect()
}

graph_test!(
    every_sub_tenant_is_listed_by_name_ignoring_case,
    |app, fake| async move {
        let reseller = connected_reseller(&app, "Listing Reseller").await;
        let items = listed(&app, &reseller.token, &credentials()).await;
        // 28 contracts and two customers of GDAP relationships alone (two more have both).
        assert_eq!(items.len(), 30);
        let source = |name: &str| {
            items
                .iter()
                .find(|item| item["name"] == json!(name))
                .unwrap()["source"]
                .clone()
        };
        assert_eq!(source("Alpine Ski House"), json!("contract"));
        assert_eq!(source("Contoso Ltd"), json!("both"));
        assert_eq!(source("Tailspin Toys"), json!("gdap"));
        let listed_names = names(&items);
        let mut expected = listed_names.clone();
        expected.sort_by_key(|name| name.to_lowercase());
        assert_eq!(listed_names, expected);
        assert_eq!(
            listed_names.first().map(String::as_str),
            Some("adventure works cycles")
        );
        assert!(
            items
                .iter()
                .all(|item| item["can_create"] == json!(true) && item["reason"].is_null())
        );
        // 28 contracts in pages of 4.
        assert_eq!(fake.stats().contracts_requests(), 7);
    }
);

graph_test!(
    the_name_search_keeps_matching_rows_only,
    |app, _fake| async move {
        let reseller = connected_reseller(&app, "Search Reseller").await;
        let items = listed(
            &app,
            &reseller.token,
            &with(credentials(), "q", json!("  WOOD ")),
        )
        .await;
        assert_eq!(names(&items), vec!["Woodgrove Financial"]);
    }
);

graph_test!(
    rows_a_customer_already_covers_say_why_they_cannot_be_created,
    |app, _fake| async move {
        let reseller = connected_reseller(&app, "Marking Reseller").await;
        create_customer(&app, &reseller.token, &customer("  contoso LTD ")).await;
        // Another reseller's customer holds Woodgrove Financial's tenant ID: IDs are unique everywhere.
        let other = crate::business::reseller(&app, "Other Reseller").await;
        let woodgrove_id = "3b9e4c1a-7d2f-4e8b-a6c5-0f1e2d3c4b5a";
        create_customer(
            &app,
            &other.token,
            &with(
                customer("Woodgrove Bank"),
                "azure_tenant_id",
                json!(woodgrove_id.to_uppercase()),
            ),
        )
        .await;
        // And a customer of the other reseller named like a sub-tenant blocks nothing here.
        create_customer(&app, &other.token, &customer("Fourth Coffee")).await;

        let items = listed(&app, &reseller.token, &credentials()).await;
        let row = |name: &str| {
            items
                .iter()
                .find(|item| item["name"] == json!(name))
                .unwrap()
                .clone()
        };
        assert_eq!(row("Contoso Ltd")["can_create"], json!(false));
        assert_eq!(row("Contoso Ltd")["reason"], json!("name_exists"));
        assert_eq!(row("Woodgrove Financial")["can_create"], json!(false));
        assert_eq!(
            row("Woodgrove Financial")["reason"],
            json!("tenant_id_exists")
        );
        assert_eq!(row("Woodgrove Financial")["tenant_id"], json!(woodgrove_id));
        assert_eq!(row("Fourth Coffee")["can_create"], json!(true));
        assert_eq!(
            items
                .iter()
                .filter(|item| item["can_create"] == json!(false))
                .count(),
            2
        );
    }
);

graph_test!(
    a_customer_created_from_a_row_keeps_its_tenant_id_and_blocks_the_row,
    |app, _fake| async move {
        let reseller = connected_reseller(&app, "Creating Reseller").await;
        let items = listed(
            &app,
            &reseller.token,
            &with(credentials(), "q", json!("relecloud")),
        )
        .await;
        let row = &items[0];
        let body = with(
            customer(row["name"].as_str().unwrap()),
            "azure_tenant_id",
            row["tenant_id"].clone(),
        );
        let created = create_customer(&app, &reseller.token, &body).await;
        assert_eq!(created["azure_tenant_id"], row["tenant_id"]);

        let again = listed(
            &app,
            &reseller.token,
            &with(credentials(), "q", json!("relecloud")),
        )
        .await;
        assert_eq!(again[0]["can_create"], json!(false));
        assert_eq!(again[0]["reason"], json!("name_exists"));
    }
);

graph_test!(
    each_wrong_credential_gets_a_message_that_names_it,
    |app, _fake| async move {
        let reseller = connected_reseller(&app, "Wrong Credentials Reseller").await;
        let other_guid = "11111111-2222-4333-8444-555555555555";
        let cases = [
            (
                json!({ "client_id": other_guid, "client_secret": SECRET }),
                "graph_unknown_client",
                "client_id",
                "client ID",
            ),
            (
                json!({ "client_id": CLIENT, "client_secret": "wrong-secret" }),
                "graph_wrong_secret",
                "client_secret",
                "secret is wrong",
            ),
        ];
        for (body, code, field, words) in cases {
            let problem = assert_problem(
                list(&app, &reseller.token, &body).await,
                StatusCode::UNPROCESSABLE_ENTITY,
                code,
            )
            .await;
            assert_eq!(error_fields(&problem), vec![field.to_owned()]);
            assert!(
                problem["detail"].as_str().unwrap().contains(words),
                "{problem}"
            );
        }
        save_tenant_id(&app, &reseller.token, other_guid).await;
        let problem = assert_problem(
            list(&app, &reseller.token, &credentials()).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "graph_unknown_tenant",
        )
        .await;
        assert!(
            problem["detail"].as_str().unwrap().contains("tenant ID"),
            "{problem}"
        );
    }
);

graph_test!(
    an_expired_secret_and_a_missing_permission_are_told_apart,
    |app, fake| async move {
        let reseller = connected_reseller(&app, "Expired Reseller").await;
        fake.faults().expire_secret(true);
        let problem = assert_problem(
            list(&app, &reseller.token, &credentials()).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "graph_expired_secret",
        )
        .await;
        assert!(problem["detail"].as_str().unwrap().contains("expired"));
        fake.faults().expire_secret(false);
        fake.faults().deny_permission(true);
        let problem = assert_problem(
            list(&app, &reseller.token, &credentials()).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "graph_permission_missing",
        )
        .await;
        assert!(
            problem["detail"]
                .as_str()
                .unwrap()
                .contains("Directory.Read.All")
        );
    }
);

graph_test!(
    malformed_credentials_are_refused_before_calling_microsoft,
    |app, fake| async move {
        let reseller = connected_reseller(&app, "Malformed Reseller").await;
        let body = json!({ "client_id": "my-app", "client_secret": "  " });
        let problem = assert_problem(
            list(&app, &reseller.token, &body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        let mut fields = error_fields(&problem);
        fields.sort();
        assert_eq!(fields, vec!["client_id", "client_secret"]);
        let pasted_id =
            json!({ "client_id": CLIENT, "client_secret": "7d0f4c2e-1a2b-4c3d-8e9f-0a1b2c3d4e5f" });
        let problem = assert_problem(
            list(&app, &reseller.token, &pasted_id).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert!(
            problem["detail"].as_str().unwrap().contains("Value"),
            "{problem}"
        );
        assert_eq!(fake.stats().token_requests(), 0);
    }
);

graph_test!(
    throttling_that_does_not_end_is_a_503_with_retry_after,
    |app, fake| async move {
        let reseller = connected_reseller(&app, "Throttled Reseller").await;
        fake.faults().throttle_next(1_000, Some(90));
        let response = list(&app, &reseller.token, &credentials()).await;
        assert_eq!(response.headers()["retry-after"], "90");
        let problem =
            assert_problem(response, StatusCode::SERVICE_UNAVAILABLE, "graph_throttled").await;
        assert!(
            problem["detail"].as_str().unwrap().contains("90 seconds"),
            "{problem}"
        );
    }
);

graph_test!(
    a_short_throttle_is_waited_out_and_the_listing_completes,
    |app, fake| async move {
        let reseller = connected_reseller(&app, "Patient Reseller").await;
        fake.faults().throttle_next(1, Some(1));
        assert_eq!(
            listed(&app, &reseller.token, &credentials()).await.len(),
            30
        );
    }
);

graph_test!(
    a_graph_slower_than_the_timeout_is_a_504,
    |app, fake| async move {
        let reseller = connected_reseller(&app, "Slow Reseller").await;
        fake.faults().set_latency(Duration::from_secs(4));
        assert_problem(
            list(&app, &reseller.token, &credentials()).await,
            StatusCode::GATEWAY_TIMEOUT,
            "graph_timeout",
        )
        .await;
    }
);

graph_test!(
    an_unsaved_tenant_id_is_a_conflict_that_points_to_azure_login,
    |app, fake| async move {
        let reseller = reseller(&app, "Unsaved Reseller").await;
        let problem = assert_problem(
            list(&app, &reseller.token, &credentials()).await,
            StatusCode::CONFLICT,
            "azure_tenant_id_missing",
        )
        .await;
        assert!(problem["detail"].as_str().unwrap().contains("Azure Login"));
        assert_eq!(fake.stats().token_requests(), 0);
    }
);

graph_test!(
    without_view_customers_or_the_feature_the_listing_is_forbidden,
    |app, fake| async move {
        let reseller = connected_reseller(&app, "Claims Reseller").await;
        for missing in [Claim::ViewCustomers, Claim::ManageCustomerSettings] {
            let token = user_without(&app, &reseller, missing).await;
            assert_problem(
                list(&app, &token, &credentials()).await,
                StatusCode::FORBIDDEN,
                "forbidden",
            )
            .await;
        }
        let no_billing = app
            .create_tenant(
                "No Billing Reseller",
                proto::TenantType::Reseller,
                None,
                false,
            )
            .await;
        let admin = app
            .create_user(
                no_billing.id,
                "admin@no-billing.test",
                proto::Role::Admin,
                domain::ClaimSet::all(),
            )
            .await;
        let token = app.sign_in(&admin.email, crate::helpers::PASSWORD).await;
        assert_problem(
            list(&app, &token, &credentials()).await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
        assert_eq!(fake.stats().token_requests(), 0);
    }
);

graph_test!(
    a_reseller_lists_with_its_own_saved_tenant_id_only,
    |app, fake| async move {
        let _owner = connected_reseller(&app, "Owner Reseller").await;
        // Reseller B knows A's tenant ID and the app's credentials, but has saved no tenant ID:
        // nothing in the request can point the listing at A's directory.
        let intruder = reseller(&app, "Intruder Reseller").await;
        let body = json!({ "client_id": CLIENT, "client_secret": SECRET, "tenant_id": TENANT });
        assert_problem(
            list(&app, &intruder.token, &body).await,
            StatusCode::BAD_REQUEST,
            "unknown_field",
        )
        .await;
        assert_problem(
            list(&app, &intruder.token, &credentials()).await,
            StatusCode::CONFLICT,
            "azure_tenant_id_missing",
        )
        .await;
        assert_eq!(fake.stats().token_requests(), 0);
    }
);
