//! Sessions are revocable: each cause ends the old token at the user's very next request, or
//! gives it the new rights, never the old ones.

use reqwest::StatusCode;
use serde_json::json;

use super::support::{patch_user, team};
use crate::{
    business::put_json,
    helpers::{PASSWORD, assert_problem},
};

db_test!(
    signing_out_ends_the_session_its_token_names,
    |app| async move {
        let team = team(&app).await;
        let other_session = app.sign_in(&team.technician.email, PASSWORD).await;

        let response = app
            .post_json("/api/v1/auth/logout", &team.technician_token, &json!({}))
            .await;
        assert_eq!(response.status(), StatusCode::NO_CONTENT);

        let after = app.get("/api/v1/me", &team.technician_token).await;
        assert_problem(after, StatusCode::UNAUTHORIZED, "unauthenticated").await;
        app.me(&other_session).await;
    }
);

db_test!(
    deactivating_a_user_ends_its_sessions_at_once,
    |app| async move {
        let team = team(&app).await;

        let response = patch_user(
            &app,
            &team.admin_token,
            team.technician.id,
            json!({ "active": false }),
        )
        .await;
        assert_eq!(response.status(), StatusCode::OK);

        let after = app.get("/api/v1/customers", &team.technician_token).await;
        assert_problem(after, StatusCode::UNAUTHORIZED, "unauthenticated").await;
        let again = app.login(&team.technician.email, PASSWORD).await;
        assert_problem(again, StatusCode::FORBIDDEN, "account_deactivated").await;
    }
);

db_test!(
    deleting_a_user_ends_its_sessions_at_once,
    |app| async move {
        let team = team(&app).await;

        let response = app
            .delete(
                &format!("/api/v1/users/{}", team.technician.id),
                &team.admin_token,
            )
            .await;
        assert_eq!(response.status(), StatusCode::NO_CONTENT);

        let after = app.get("/api/v1/me", &team.technician_token).await;
        assert_problem(after, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    }
);

db_test!(
    a_password_change_ends_the_users_other_sessions,
    |app| async move {
        let team = team(&app).await;
        let laptop = app.sign_in(&team.technician.email, PASSWORD).await;

        let response = put_json(
            &app,
            "/api/v1/me/password",
            &team.technician_token,
            &json!({ "current_password": PASSWORD, "new_password": "a-brand-new-passphrase" }),
        )
        .await;
        assert_eq!(response.status(), StatusCode::NO_CONTENT);

        let old = app.get("/api/v1/me", &laptop).await;
        assert_problem(old, StatusCode::UNAUTHORIZED, "unauthenticated").await;
        app.me(&team.technician_token).await;
        let old_password = app.login(&team.technician.email, PASSWORD).await;
        assert_problem(
            old_password,
            StatusCode::UNAUTHORIZED,
            "invalid_credentials",
        )
        .await;
        app.sign_in(&team.technician.email, "a-brand-new-passphrase")
            .await;
    }
);

db_test!(
    a_password_change_needs_the_current_password,
    |app| async move {
        let team = team(&app).await;
        let response = put_json(
        &app,
        "/api/v1/me/password",
        &team.technician_token,
        &json!({ "current_password": "not-my-password", "new_password": "a-brand-new-passphrase" }),
    )
    .await;
        assert_problem(response, StatusCode::FORBIDDEN, "wrong_current_password").await;
        let short = put_json(
            &app,
            "/api/v1/me/password",
            &team.technician_token,
            &json!({ "current_password": PASSWORD, "new_password": "short" }),
        )
        .await;
        assert_problem(short, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    }
);

db_test!(
    removing_a_claim_takes_effect_on_the_next_request,
    |app| async move {
        let team = team(&app).await;
        assert_eq!(
            app.get("/api/v1/customers", &team.technician_token)
                .await
                .status(),
            StatusCode::OK
        );

        let claims: Vec<&str> = proto::Claim::ALL
            .iter()
            .filter(|claim| **claim != proto::Claim::ViewCustomers)
            .map(|claim| claim.as_str())
            .collect();
        let response = patch_user(
            &app,
            &team.admin_token,
            team.technician.id,
            json!({ "claims": claims }),
        )
        .await;
        assert_eq!(response.status(), StatusCode::OK);

        let after = app.get("/api/v1/customers", &team.technician_token).await;
        assert_problem(after, StatusCode::FORBIDDEN, "forbidden").await;
        let me = app.me(&team.technician_token).await;
        assert!(
            !me["claims"]
                .as_array()
                .unwrap()
                .contains(&json!("view_customers")),
            "{me}"
        );
    }
);

db_test!(
    demoting_an_admin_takes_effect_on_the_next_request,
    |app| async move {
        let team = team(&app).await;
        let second_admin = patch_user(
            &app,
            &team.admin_token,
            team.technician.id,
            json!({ "role": "admin" }),
        )
        .await;
        assert_eq!(second_admin.status(), StatusCode::OK);
        assert_eq!(
            app.get("/api/v1/audit-log", &team.technician_token)
                .await
                .status(),
            StatusCode::OK
        );

        let demoted = patch_user(
            &app,
            &team.admin_token,
            team.technician.id,
            json!({ "role": "technician" }),
        )
        .await;
        assert_eq!(demoted.status(), StatusCode::OK);

        let after = app.get("/api/v1/audit-log", &team.technician_token).await;
        assert_problem(after, StatusCode::FORBIDDEN, "forbidden").await;
    }
);

db_test!(
    turning_ui_access_off_ends_web_sessions_but_not_api_tokens,
    |app| async move {
        let team = team(&app).await;
        let created = app
            .post_json(
                "/api/v1/api-tokens",
                &team.technician_token,
                &json!({ "name": "PSA sync" }),
            )
            .await;
        assert_eq!(created.status(), StatusCode::CREATED);
        let api_token = created.json::<serde_json::Value>().await.unwrap()["token"]
            .as_str()
            .unwrap()
            .to_owned();

        let response = patch_user(
            &app,
            &team.admin_token,
            team.technician.id,
            json!({ "allow_ui_access": false }),
        )
        .await;
        assert_eq!(response.status(), StatusCode::OK);

        let web = app.get("/api/v1/me", &team.technician_token).await;
        assert_problem(web, StatusCode::UNAUTHORIZED, "unauthenticated").await;
        let sign_in = app.login(&team.technician.email, PASSWORD).await;
        let refused = assert_problem(sign_in, StatusCode::FORBIDDEN, "ui_access_disabled").await;
        assert!(
            refused["detail"]
                .as_str()
                .unwrap()
                .contains("Allow access to UI"),
            "{refused}"
        );
        assert_eq!(
            app.get("/api/v1/customers", &api_token).await.status(),
            StatusCode::OK
        );
    }
);
