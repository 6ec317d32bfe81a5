//! SPEC §3: Windows group policies.

use proto::Claim;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::{
    business::{json_of, patch_json, reseller, user_without},
    helpers::{TestApp, assert_problem, invalid_fields},
};

async fn post_policy(app: &TestApp, token: &str, name: &str) -> reqwest::Response {
    app.post_json("/api/v1/group-policies", token, &json!({ "name": name }))
        .await
}

/// Creates an (off) group policy named `name` and returns it.
async fn create_policy(app: &TestApp, token: &str, name: &str) -> Value {
    json_of(post_policy(app, token, name).await).await
}

db_test!(a_new_policy_is_off_and_listed_by_name, |app| async move {
    let reseller = reseller(&app, "Policy Reseller").await;
    for name in ["Zeta", "alpha", "Beta"] {
        let response = post_policy(&app, &reseller.token, name).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        assert_eq!(json_of(response).await["enabled"], false);
    }
    let (_, list) = app
        .get_json("/api/v1/group-policies", &reseller.token)
        .await;
    let names: Vec<_> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|policy| policy["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["alpha", "Beta", "Zeta"]);
    assert_eq!(list["total"], 3);
});

db_test!(
    policy_names_are_unique_per_tenant_ignoring_case,
    |app| async move {
        let reseller = reseller(&app, "Policy Reseller").await;
        let other = crate::business::reseller(&app, "Other Reseller").await;
        app.post_json(
            "/api/v1/group-policies",
            &reseller.token,
            &json!({ "name": "Baseline" }),
        )
        .await;
        let response = app
            .post_json(
                "/api/v1/group-policies",
                &reseller.token,
                &json!({ "name": "  BASELINE " }),
            )
            .await;
        assert_problem(response, StatusCode::CONFLICT, "name_exists").await;
        let elsewhere = app
            .post_json(
                "/api/v1/group-policies",
                &other.token,
                &json!({ "name": "Baseline" }),
            )
            .await;
        assert_eq!(
            elsewhere.status(),
            StatusCode::CREATED,
            "another tenant may use the name"
        );

        let second = create_policy(&app, &reseller.token, "Strict").await;
        let path = format!("/api/v1/group-policies/{}", second["id"].as_str().unwrap());
        let response =
            patch_json(&app, &path, &reseller.token, &json!({ "name": "baseline" })).await;
        assert_problem(response, StatusCode::CONFLICT, "name_exists").await;
    }
);

db_test!(
    policy_names_must_have_1_to_100_characters,
    |app| async move {
        let reseller = reseller(&app, "Policy Reseller").await;
        for name in [String::new(), "   ".to_owned(), "x".repeat(101)] {
            let response = post_policy(&app, &reseller.token, &name).await;
            assert_eq!(invalid_fields(response).await, vec!["name"]);
        }
        let response = app
            .post_json(
                "/api/v1/group-policies",
                &reseller.token,
                &json!({ "name": "x".repeat(100) }),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
    }
);

db_test!(
    a_policy_can_be_renamed_enabled_and_deleted,
    |app| async move {
        let reseller = reseller(&app, "Policy Reseller").await;
        let created = create_policy(&app, &reseller.token, "Baseline").await;
        let path = format!("/api/v1/group-policies/{}", created["id"].as_str().unwrap());
        let updated = json_of(
            patch_json(
                &app,
                &path,
                &reseller.token,
                &json!({ "name": "Baseline v2", "enabled": true }),
            )
            .await,
        )
        .await;
        assert_eq!(
            (updated["name"].as_str(), updated["enabled"].as_bool()),
            (Some("Baseline v2"), Some(true))
        );
        assert_eq!(
            app.delete(&path, &reseller.token).await.status(),
            StatusCode::NO_CONTENT
        );
        let (_, list) = app
            .get_json("/api/v1/group-policies", &reseller.token)
            .await;
        assert_eq!(list["total"], 0);
        assert_problem(
            app.delete(&path, &reseller.token).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }
);

db_test!(another_tenants_policy_is_not_found, |app| async move {
    let owner = reseller(&app, "Policy Reseller").await;
    let intruder = crate::business::reseller(&app, "Intruder Reseller").await;
    let created = create_policy(&app, &owner.token, "Secret Policy").await;
    let path = format!("/api/v1/group-policies/{}", created["id"].as_str().unwrap());
    let response = patch_json(&app, &path, &intruder.token, &json!({ "enabled": true })).await;
    let problem = assert_problem(response, StatusCode::NOT_FOUND, "not_found").await;
    assert!(!problem.to_string().contains("Secret Policy"));
    assert_problem(
        app.delete(&path, &intruder.token).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let (_, list) = app
        .get_json("/api/v1/group-policies", &intruder.token)
        .await;
    assert_eq!(list["total"], 0);
});

db_test!(
    policies_need_view_to_list_and_edit_to_change,
    |app| async move {
        let reseller = reseller(&app, "Policy Reseller").await;
        let no_view = user_without(&app, &reseller, Claim::ViewEndpointSettings).await;
        let no_edit = user_without(&app, &reseller, Claim::EditEndpointSettings).await;
        assert_problem(
            app.get("/api/v1/group-policies", &no_view).await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
        assert_eq!(
            app.get("/api/v1/group-policies", &no_edit).await.status(),
            StatusCode::OK
        );
        let response = app
            .post_json(
                "/api/v1/group-policies",
                &no_edit,
                &json!({ "name": "Nope" }),
            )
            .await;
        assert_problem(response, StatusCode::FORBIDDEN, "forbidden").await;
    }
);
