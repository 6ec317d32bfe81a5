//! SPEC §8: licence activations, active licences and the churn score.

use chrono::{Duration, Utc};
use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::{
    business::{create_customer, customer, json_of, reseller},
    helpers::{TestApp, assert_problem},
};

async fn activate(app: &TestApp, token: &str, key: &str, device: &str) -> reqwest::Response {
    app.post_json(
        "/api/v1/licensing/activations",
        token,
        &json!({ "licence_key": key, "device_id": device }),
    )
    .await
}

fn key_of(customer: &Value) -> String {
    customer["licence_key"]["key"].as_str().unwrap().to_owned()
}

db_test!(
    activations_count_up_to_the_total_and_no_further,
    |app| async move {
        let reseller = reseller(&app, "Licence Reseller").await;
        let mut body = customer("Two Seats");
        body["total_licenses"] = json!(2);
        let created = create_customer(&app, &reseller.token, &body).await;
        let key = key_of(&created);
        let first = activate(
            &app,
            &reseller.token,
            &key.to_lowercase().replace('-', " "),
            "laptop-1",
        )
        .await;
        assert_eq!(first.status(), StatusCode::CREATED);
        assert_eq!(
            json_of(first).await["churn_score"],
            30,
            "half used: 100 × 0.6 × 0.5"
        );
        let second = json_of(activate(&app, &reseller.token, &key, "laptop-2").await).await;
        assert_eq!(
            (
                second["active_licenses"].as_u64(),
                second["churn_score"].as_u64()
            ),
            (Some(2), Some(0))
        );
        assert_problem(
            activate(&app, &reseller.token, &key, "laptop-3").await,
            StatusCode::CONFLICT,
            "no_free_licences",
        )
        .await;
        let (_, fetched) = app
            .get_json(
                &format!("/api/v1/customers/{}", created["id"].as_str().unwrap()),
                &reseller.token,
            )
            .await;
        assert_eq!(
            (
                fetched["active_licenses"].as_u64(),
                fetched["churn_score"].as_u64()
            ),
            (Some(2), Some(0))
        );
    }
);

db_test!(
    activating_the_same_device_twice_counts_once,
    |app| async move {
        let reseller = reseller(&app, "Licence Reseller").await;
        let key = key_of(&create_customer(&app, &reseller.token, &customer("Repeat")).await);
        assert_eq!(
            activate(&app, &reseller.token, &key, "pc").await.status(),
            StatusCode::CREATED
        );
        let again = activate(&app, &reseller.token, &key, "pc").await;
        assert_eq!(again.status(), StatusCode::OK);
        assert_eq!(json_of(again).await["active_licenses"], 1);
    }
);

db_test!(deactivating_frees_one_licence, |app| async move {
    let reseller = reseller(&app, "Licence Reseller").await;
    let key = key_of(&create_customer(&app, &reseller.token, &customer("Freeing")).await);
    activate(&app, &reseller.token, &key, "pc-1").await;
    activate(&app, &reseller.token, &key, "pc-2").await;
    let body = json!({ "licence_key": key, "device_id": "pc-1" });
    let freed = json_of(
        app.post_json("/api/v1/licensing/deactivations", &reseller.token, &body)
            .await,
    )
    .await;
    assert_eq!(
        (
            freed["active_licenses"].as_u64(),
            freed["device_active"].as_bool()
        ),
        (Some(1), Some(false))
    );
    let again = json_of(
        app.post_json("/api/v1/licensing/deactivations", &reseller.token, &body)
            .await,
    )
    .await;
    assert_eq!(
        again["active_licenses"], 1,
        "deactivating an inactive device changes nothing"
    );
});

db_test!(an_expired_key_activates_nothing, |app| async move {
    let reseller = reseller(&app, "Licence Reseller").await;
    let created = create_customer(&app, &reseller.token, &customer("Lapsed")).await;
    let stored = entity::licence_key::Entity::find()
        .filter(entity::licence_key::Column::Key.eq(key_of(&created)))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let mut expired: entity::licence_key::ActiveModel = stored.into();
    expired.expires_at = Set(Utc::now() - Duration::days(1));
    expired.update(&app.db).await.unwrap();
    assert_problem(
        activate(&app, &reseller.token, &key_of(&created), "pc").await,
        StatusCode::CONFLICT,
        "licence_expired",
    )
    .await;
});

db_test!(
    keys_of_another_tree_and_malformed_keys_are_refused,
    |app| async move {
        let owner = reseller(&app, "Licence Reseller").await;
        let intruder = crate::business::reseller(&app, "Intruder Reseller").await;
        let key = key_of(&create_customer(&app, &owner.token, &customer("Guarded")).await);
        assert_problem(
            activate(&app, &intruder.token, &key, "pc").await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
        assert_problem(
            activate(&app, &owner.token, "not-a-key", "pc").await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_problem(
            activate(&app, &owner.token, &key, " ").await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
    }
);

db_test!(
    the_total_cannot_be_lowered_below_the_licences_in_use,
    |app| async move {
        let reseller = reseller(&app, "Licensing Reseller").await;
        let created = create_customer(
            &app,
            &reseller.token,
            &json!({ "name": "Litware", "total_licenses": 3, "email": "it@litware.example" }),
        )
        .await;
        for device in ["laptop-1", "laptop-2"] {
            let response = activate(&app, &reseller.token, &key_of(&created), device).await;
            assert_eq!(response.status(), StatusCode::CREATED);
        }
        let path = format!("/api/v1/customers/{}", created["id"].as_str().unwrap());
        let lowered = crate::business::patch_json(
            &app,
            &path,
            &reseller.token,
            &json!({ "total_licenses": 1 }),
        )
        .await;
        assert_eq!(
            crate::helpers::invalid_fields(lowered).await,
            ["total_licenses"]
        );
        let (_, unchanged) = app.get_json(&path, &reseller.token).await;
        assert_eq!(unchanged["total_licenses"], 3);
        let to_in_use = crate::business::patch_json(
            &app,
            &path,
            &reseller.token,
            &json!({ "total_licenses": 2 }),
        )
        .await;
        assert_eq!(to_in_use.status(), StatusCode::OK);
        assert_eq!(json_of(to_in_use).await["total_licenses"], 2);
    }
);
