//! API tokens under SPEC §12: minted from a session only, expiring, listed tenant-wide to
//! admins, created by an admin for an integration account, stopped with their user.

use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
use serde_json::{Value, json};

use super::support::{patch_user, team};
use crate::helpers::{all_items, assert_problem};

async fn token_of(response: reqwest::Response) -> (Value, String) {
    assert_eq!(response.status(), StatusCode::CREATED);
    let body: Value = response.json().await.unwrap();
    let token = body["token"].as_str().unwrap().to_owned();
    (body, token)
}

db_test!(an_api_token_cannot_mint_another, |app| async move {
    let team = team(&app).await;
    let (_, token) = token_of(
        app.post_json(
            "/api/v1/api-tokens",
            &team.technician_token,
            &json!({ "name": "script" }),
        )
        .await,
    )
    .await;
    let minted = app
        .post_json("/api/v1/api-tokens", &token, &json!({ "name": "child" }))
        .await;
    assert_problem(minted, StatusCode::FORBIDDEN, "session_required").await;
});

db_test!(
    a_token_expires_after_90_days_unless_asked_and_at_most_365,
    |app| async move {
        let team = team(&app).await;
        let (default, _) = token_of(
            app.post_json(
                "/api/v1/api-tokens",
                &team.technician_token,
                &json!({ "name": "default" }),
            )
            .await,
        )
        .await;
        let expires: chrono::DateTime<chrono::Utc> =
            serde_json::from_value(default["expires_at"].clone()).unwrap();
        assert_eq!((expires - chrono::Utc::now()).num_days(), 89);
        for days in [0, 366] {
            let refused = app
                .post_json(
                    "/api/v1/api-tokens",
                    &team.technician_token,
                    &json!({ "name": "x", "expires_in_days": days }),
                )
                .await;
            assert_problem(
                refused,
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
            )
            .await;
        }
        let (year, token) = token_of(
            app.post_json(
                "/api/v1/api-tokens",
                &team.technician_token,
                &json!({ "name": "year", "expires_in_days": 365 }),
            )
            .await,
        )
        .await;
        assert!(year["expires_at"].is_string());

        let stored = entity::api_token::Entity::find_by_id(
            uuid::Uuid::parse_str(year["id"].as_str().unwrap()).unwrap(),
        )
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
        let mut expired: entity::api_token::ActiveModel = stored.into();
        expired.expires_at = Set(Some(chrono::Utc::now() - chrono::Duration::seconds(1)));
        expired.update(&app.db).await.unwrap();
        let after = app.get("/api/v1/customers", &token).await;
        assert_problem(after, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    }
);

db_test!(
    tokens_of_a_deactivated_user_stop_at_once,
    |app| async move {
        let team = team(&app).await;
        let (_, token) = token_of(
            app.post_json(
                "/api/v1/api-tokens",
                &team.technician_token,
                &json!({ "name": "sync" }),
            )
            .await,
        )
        .await;
        assert_eq!(
            app.get("/api/v1/customers", &token).await.status(),
            StatusCode::OK
        );
        patch_user(
            &app,
            &team.admin_token,
            team.technician.id,
            json!({ "active": false }),
        )
        .await;
        let after = app.get("/api/v1/customers", &token).await;
        assert_problem(after, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    }
);

db_test!(
    an_admin_creates_a_token_for_an_integration_account_and_lists_every_token,
    |app| async move {
        let team = team(&app).await;
        let path = format!("/api/v1/users/{}/api-tokens", team.technician.id);
        let with_ui = app
            .post_json(&path, &team.admin_token, &json!({ "name": "PSA" }))
            .await;
        assert_problem(with_ui, StatusCode::CONFLICT, "user_has_ui_access").await;
        patch_user(
            &app,
            &team.admin_token,
            team.technician.id,
            json!({ "allow_ui_access": false }),
        )
        .await;

        let by_technician = app
            .post_json(&path, &team.technician_token, &json!({ "name": "PSA" }))
            .await;
        assert_eq!(
            by_technician.status(),
            StatusCode::UNAUTHORIZED,
            "its web session ended with its UI access"
        );
        let (created, token) = token_of(
            app.post_json(&path, &team.admin_token, &json!({ "name": "PSA" }))
                .await,
        )
        .await;
        assert_eq!(created["user_id"], team.technician.id.to_string());
        let me = app.me(&token).await;
        assert_eq!(me["user"]["id"], team.technician.id.to_string());

        let tenant_wide =
            all_items(&app, "/api/v1/api-tokens?scope=tenant", &team.admin_token).await;
        assert!(
            tenant_wide
                .iter()
                .any(|listed| listed["id"] == created["id"])
        );
        assert!(
            all_items(&app, "/api/v1/api-tokens", &team.admin_token)
                .await
                .is_empty()
        );
        let revoked = app
            .delete(
                &format!("/api/v1/api-tokens/{}", created["id"].as_str().unwrap()),
                &team.admin_token,
            )
            .await;
        assert_eq!(revoked.status(), StatusCode::NO_CONTENT);
        assert_eq!(
            app.get("/api/v1/me", &token).await.status(),
            StatusCode::UNAUTHORIZED
        );
        let by_token = app.get("/api/v1/api-tokens?scope=tenant", &token).await;
        assert_problem(by_token, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    }
);

db_test!(
    a_technician_cannot_list_the_tenants_tokens,
    |app| async move {
        let team = team(&app).await;
        let response = app
            .get("/api/v1/api-tokens?scope=tenant", &team.technician_token)
            .await;
        assert_problem(response, StatusCode::FORBIDDEN, "forbidden").await;
    }
);
