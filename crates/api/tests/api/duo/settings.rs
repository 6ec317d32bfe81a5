//! Settings → Integrations → Security integrations: adding Duo runs Duo's health check first and
//! says what is wrong; the secret is sealed at rest and never returned; edits check again only
//! when they must; every change is audited.

use entity::security_integration;
use msp_fake_duo::{CallOutcome, DEMO_CLIENT_SECRET};
use reqwest::StatusCode;
use sea_orm::EntityTrait;
use serde_json::{Value, json};

use super::support::{add_duo, duo_form};
use crate::{
    business::patch_json,
    helpers::{all_items, assert_problem, error_fields},
    technicians::support::team,
};

const INTEGRATIONS: &str = "/api/v1/settings/security-integrations";

fn health_checks(duo: &super::support::Duo) -> usize {
    duo.fake
        .calls()
        .iter()
        .filter(|call| call.endpoint == "health_check")
        .count()
}

/// How many audit entries record `action`.
pub(super) fn actions(audit: &[Value], action: &str) -> usize {
    audit
        .iter()
        .filter(|entry| entry["action"] == action)
        .count()
}

duo_test!(
    an_admin_adds_duo_after_its_health_check_and_never_sees_the_secret_again,
    |app, duo| async move {
        let team = team(&app).await;
        let added = add_duo(&app, &duo, &team.admin_token).await;
        assert_eq!(added["kind"], "duo_web_sdk");
        assert_eq!(added["api_hostname"], duo.fake.api_hostname());
        assert_eq!(added["enabled"], true);
        assert!(added.get("client_secret").is_none(), "{added}");
        assert_eq!(health_checks(&duo), 1);
        assert_eq!(duo.fake.calls()[0].outcome, CallOutcome::Answered);

        let (status, listed) = app.get_json(INTEGRATIONS, &team.admin_token).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(listed.as_array().unwrap().len(), 1);
        assert!(!listed.to_string().contains(DEMO_CLIENT_SECRET));
        let id = added["id"].as_str().unwrap();
        let (status, one) = app
            .get_json(&format!("{INTEGRATIONS}/{id}"), &team.admin_token)
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(one, added);

        let stored = security_integration::Entity::find()
            .all(&app.db)
            .await
            .unwrap();
        assert_eq!(stored.len(), 1);
        assert!(
            !stored[0]
                .client_secret_ciphertext
                .contains(DEMO_CLIENT_SECRET)
        );
        let audit = all_items(&app, "/api/v1/audit-log", &team.admin_token).await;
        assert!(
            !Value::from(audit.clone())
                .to_string()
                .contains(DEMO_CLIENT_SECRET)
        );
        assert_eq!(actions(&audit, "security_integration.create"), 1);
    }
);

duo_test!(
    credentials_duo_refuses_are_named_on_the_secret_field_and_nothing_is_stored,
    |app, duo| async move {
        let team = team(&app).await;
        let wrong = duo_form(&duo, json!({ "client_secret": "x".repeat(40) }));
        let response = app.post_json(INTEGRATIONS, &team.admin_token, &wrong).await;
        let problem = assert_problem(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(error_fields(&problem), ["client_secret"]);
        assert_eq!(problem["errors"][0]["code"], "duo_credentials_refused");
        let (_, listed) = app.get_json(INTEGRATIONS, &team.admin_token).await;
        assert_eq!(listed, json!([]));
    }
);

duo_test!(
    a_hostname_that_is_not_duos_is_refused_before_anything_is_sent,
    |app, duo| async move {
        let team = team(&app).await;
        for (hostname, code) in [
            ("api-1a2b3c4d.example.com", "not_a_duo_host"),
            ("127.0.0.2:443", "not_a_duo_host"),
            ("https://api-1a2b3c4d.duosecurity.com", "invalid"),
            ("", "invalid"),
        ] {
            let form = duo_form(&duo, json!({ "api_hostname": hostname }));
            let response = app.post_json(INTEGRATIONS, &team.admin_token, &form).await;
            let problem = assert_problem(
                response,
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
            )
            .await;
            assert_eq!(error_fields(&problem), ["api_hostname"], "{hostname}");
            assert_eq!(problem["errors"][0]["code"], code, "{hostname}");
        }
        assert!(duo.fake.calls().is_empty(), "{:?}", duo.fake.calls());
        for (field, value) in [
            ("client_id", "DI123"),
            ("client_secret", "short"),
            ("name", " "),
        ] {
            let form = duo_form(&duo, json!({ field: value }));
            let response = app.post_json(INTEGRATIONS, &team.admin_token, &form).await;
            let problem = assert_problem(
                response,
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
            )
            .await;
            assert_eq!(error_fields(&problem), [field]);
        }
    }
);

duo_test!(
    duo_not_answering_when_adding_is_a_bad_gateway_that_says_so,
    |app, duo| async move {
        let team = team(&app).await;
        duo.fake.switches().set_unreachable(true);
        let response = app
            .post_json(INTEGRATIONS, &team.admin_token, &duo_form(&duo, json!({})))
            .await;
        let problem = assert_problem(response, StatusCode::BAD_GATEWAY, "duo_unreachable").await;
        assert!(
            problem["detail"]
                .as_str()
                .unwrap()
                .contains(duo.fake.api_hostname())
        );
        duo.fake.switches().set_unreachable(false);
        let (_, listed) = app.get_json(INTEGRATIONS, &team.admin_token).await;
        assert_eq!(listed, json!([]));
    }
);

duo_test!(
    a_second_duo_integration_in_one_tenant_is_a_conflict,
    |app, duo| async move {
        let team = team(&app).await;
        add_duo(&app, &duo, &team.admin_token).await;
        let again = app
            .post_json(
                INTEGRATIONS,
                &team.admin_token,
                &duo_form(&duo, json!({ "name": "Duo again" })),
            )
            .await;
        assert_problem(again, StatusCode::CONFLICT, "already_exists").await;
    }
);

duo_test!(
    an_edit_asks_duo_again_only_when_credentials_change_or_it_is_turned_on,
    |app, duo| async move {
        let team = team(&app).await;
        let added = add_duo(&app, &duo, &team.admin_token).await;
        let path = format!("{INTEGRATIONS}/{}", added["id"].as_str().unwrap());
        let renamed = patch_json(
            &app,
            &path,
            &team.admin_token,
            &json!({ "name": "Duo MFA" }),
        )
        .await;
        assert_eq!(renamed.status(), StatusCode::OK);
        let off = patch_json(&app, &path, &team.admin_token, &json!({ "enabled": false })).await;
        let off: Value = off.json().await.unwrap();
        assert_eq!(
            (off["name"].clone(), off["enabled"].clone()),
            (json!("Duo MFA"), json!(false))
        );
        assert_eq!(health_checks(&duo), 1);

        let on = patch_json(&app, &path, &team.admin_token, &json!({ "enabled": true })).await;
        assert_eq!(on.status(), StatusCode::OK);
        assert_eq!(health_checks(&duo), 2);

        let wrong = patch_json(
            &app,
            &path,
            &team.admin_token,
            &json!({ "client_secret": "y".repeat(40) }),
        )
        .await;
        let problem =
            assert_problem(wrong, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        assert_eq!(problem["errors"][0]["code"], "duo_credentials_refused");
        let check = app
            .post_json(&format!("{path}/check"), &team.admin_token, &json!({}))
            .await;
        assert_eq!(check.status(), StatusCode::OK, "the stored secret is kept");
        let check: Value = check.json().await.unwrap();
        assert_eq!(check["healthy"], true);
    }
);

duo_test!(
    the_test_button_says_when_duo_does_not_answer,
    |app, duo| async move {
        let team = team(&app).await;
        let added = add_duo(&app, &duo, &team.admin_token).await;
        let check = format!("{INTEGRATIONS}/{}/check", added["id"].as_str().unwrap());
        duo.fake.switches().set_unreachable(true);
        let response = app.post_json(&check, &team.admin_token, &json!({})).await;
        assert_problem(response, StatusCode::BAD_GATEWAY, "duo_unreachable").await;
    }
);

duo_test!(
    deleting_the_integration_removes_it_and_a_second_delete_is_not_found,
    |app, duo| async move {
        let team = team(&app).await;
        let added = add_duo(&app, &duo, &team.admin_token).await;
        let path = format!("{INTEGRATIONS}/{}", added["id"].as_str().unwrap());
        assert_eq!(
            app.delete(&path, &team.admin_token).await.status(),
            StatusCode::NO_CONTENT
        );
        let again = app.delete(&path, &team.admin_token).await;
        assert_problem(again, StatusCode::NOT_FOUND, "not_found").await;
        let audit = all_items(&app, "/api/v1/audit-log", &team.admin_token).await;
        assert_eq!(actions(&audit, "security_integration.delete"), 1);
    }
);

duo_test!(
    technicians_can_neither_read_nor_change_security_integrations,
    |app, duo| async move {
        let team = team(&app).await;
        let added = add_duo(&app, &duo, &team.admin_token).await;
        let path = format!("{INTEGRATIONS}/{}", added["id"].as_str().unwrap());
        let token = &team.technician_token;
        assert_problem(
            app.get(INTEGRATIONS, token).await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
        assert_problem(
            app.get(&path, token).await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
        assert_problem(
            app.delete(&path, token).await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
        let created = app
            .post_json(INTEGRATIONS, token, &duo_form(&duo, json!({})))
            .await;
        assert_problem(created, StatusCode::FORBIDDEN, "forbidden").await;
    }
);
