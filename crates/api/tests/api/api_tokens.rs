//! API tokens for third-party callers: `/api/v1/api-tokens`.

use entity::api_token;
use proto::Role;
use reqwest::StatusCode;
use sea_orm::EntityTrait;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::helpers::{PASSWORD, TestApp, all_items, assert_problem, invalid_fields};

/// Creates a token named `name` as the bearer of `access_token`; returns the 201 body.
async fn create_token(app: &TestApp, access_token: &str, name: &str) -> Value {
    let response = app
        .post_json("/api/v1/api-tokens", access_token, &json!({ "name": name }))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.unwrap()
}

fn secret_of(created: &Value) -> String {
    created["token"].as_str().expect("the token").to_owned()
}

fn sha256_hex(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// An admin of a fresh reseller, signed in.
async fn signed_in_admin(app: &TestApp, reseller: &str) -> (crate::helpers::Account, String) {
    let (_, admin) = app.reseller_with_admin(reseller).await;
    let access_token = app.sign_in(&admin.email, PASSWORD).await;
    (admin, access_token)
}

db_test!(
    a_created_api_token_is_shown_once_and_starts_with_msp,
    |app| async move {
        let (_, access_token) = signed_in_admin(&app, "Acme Reseller").await;

        let created = create_token(&app, &access_token, "PSA sync").await;

        let token = secret_of(&created);
        assert!(token.starts_with("msp_"), "{token}");
        assert!(token.len() >= 40, "a token has enough entropy: {token}");
        assert_eq!(created["name"], "PSA sync");
        let prefix = created["prefix"].as_str().expect("a visible prefix");
        assert!(token.starts_with(prefix) && prefix.len() < token.len());
        let listed = all_items(&app, "/api/v1/api-tokens", &access_token).await;
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0]["id"], created["id"]);
        assert!(listed[0].get("token").is_none(), "{}", listed[0]);
    }
);

db_test!(an_api_token_needs_a_name, |app| async move {
    let (_, access_token) = signed_in_admin(&app, "Acme Reseller").await;

    let response = app
        .post_json(
            "/api/v1/api-tokens",
            &access_token,
            &json!({ "name": "  " }),
        )
        .await;

    assert_eq!(invalid_fields(response).await, ["name"]);
});

db_test!(
    the_token_listing_never_contains_the_token_or_its_hash,
    |app| async move {
        let (_, access_token) = signed_in_admin(&app, "Acme Reseller").await;
        let tokens = [
            secret_of(&create_token(&app, &access_token, "first").await),
            secret_of(&create_token(&app, &access_token, "second").await),
        ];

        let response = app.get("/api/v1/api-tokens", &access_token).await;

        assert_eq!(response.status(), StatusCode::OK);
        let text = response.text().await.unwrap();
        for token in &tokens {
            assert!(!text.contains(token.as_str()), "the token leaked: {text}");
            assert!(
                !text.contains(&sha256_hex(token)),
                "the hash leaked: {text}"
            );
        }
        let listing: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(listing["total"], 2);
        for item in listing["items"].as_array().unwrap() {
            assert!(item.get("token").is_none() && item.get("token_hash").is_none());
        }
    }
);

db_test!(
    an_api_token_authenticates_as_a_bearer_token_on_me,
    |app| async move {
        let (admin, access_token) = signed_in_admin(&app, "Acme Reseller").await;
        let token = secret_of(&create_token(&app, &access_token, "PSA sync").await);

        let me = app.me(&token).await;

        assert_eq!(me["user"]["id"], admin.id.to_string());
        assert_eq!(me["tenant"]["id"], admin.tenant_id.to_string());
        assert_eq!(me["role"], "admin");
    }
);

db_test!(a_revoked_api_token_is_rejected_at_once, |app| async move {
    let (_, access_token) = signed_in_admin(&app, "Acme Reseller").await;
    let created = create_token(&app, &access_token, "PSA sync").await;
    let token = secret_of(&created);
    app.me(&token).await;

    let revoked = app
        .delete(
            &format!("/api/v1/api-tokens/{}", created["id"].as_str().unwrap()),
            &access_token,
        )
        .await;

    assert_eq!(revoked.status(), StatusCode::NO_CONTENT);
    let response = app.get("/api/v1/me", &token).await;
    assert_problem(response, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    let listed = all_items(&app, "/api/v1/api-tokens", &access_token).await;
    assert!(listed[0]["revoked_at"].is_string(), "{}", listed[0]);
});

db_test!(
    a_user_cannot_revoke_another_tenants_users_token,
    |app| async move {
        let (_, ours) = signed_in_admin(&app, "Acme Reseller").await;
        let (_, theirs) = signed_in_admin(&app, "Rival Reseller").await;
        let created = create_token(&app, &theirs, "their integration").await;
        let path = format!("/api/v1/api-tokens/{}", created["id"].as_str().unwrap());

        let response = app.delete(&path, &ours).await;

        assert_problem(response, StatusCode::NOT_FOUND, "not_found").await;
        app.me(&secret_of(&created)).await;
    }
);

db_test!(
    an_admin_may_revoke_a_token_of_their_tenants_user_but_a_technician_may_not_revoke_the_admins,
    |app| async move {
        let (tenant, admin) = app.reseller_with_admin("Acme Reseller").await;
        let technician = app
            .create_user(
                tenant.id,
                "technician@acme-reseller.test",
                Role::Technician,
                domain::ClaimSet::all(),
            )
            .await;
        let admin_access = app.sign_in(&admin.email, PASSWORD).await;
        let technician_access = app.sign_in(&technician.email, PASSWORD).await;
        let admins_token = create_token(&app, &admin_access, "admin's").await;
        let technicians_token = create_token(&app, &technician_access, "technician's").await;
        let path_of =
            |created: &Value| format!("/api/v1/api-tokens/{}", created["id"].as_str().unwrap());

        let by_technician = app
            .delete(&path_of(&admins_token), &technician_access)
            .await;
        let by_admin = app
            .delete(&path_of(&technicians_token), &admin_access)
            .await;

        assert_problem(by_technician, StatusCode::NOT_FOUND, "not_found").await;
        app.me(&secret_of(&admins_token)).await;
        assert_eq!(by_admin.status(), StatusCode::NO_CONTENT);
        let response = app.get("/api/v1/me", &secret_of(&technicians_token)).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
);

db_test!(
    the_database_holds_only_the_sha256_of_a_token,
    |app| async move {
        let (_, access_token) = signed_in_admin(&app, "Acme Reseller").await;
        let token = secret_of(&create_token(&app, &access_token, "PSA sync").await);

        let rows = api_token::Entity::find().all(&app.db).await.unwrap();

        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].token_hash, sha256_hex(&token));
        let stored = format!("{rows:?}");
        assert!(
            !stored.contains(&token),
            "the raw token is stored: {stored}"
        );
        let after_prefix = token.trim_start_matches("msp_");
        assert!(
            !stored.contains(after_prefix),
            "the token's secret part is stored"
        );
    }
);

db_test!(
    creating_and_revoking_a_token_are_audited,
    |app| async move {
        let (admin, access_token) = signed_in_admin(&app, "Acme Reseller").await;
        let created = create_token(&app, &access_token, "PSA sync").await;
        let id = created["id"].as_str().unwrap();
        let revoked = app
            .delete(&format!("/api/v1/api-tokens/{id}"), &access_token)
            .await;
        assert_eq!(revoked.status(), StatusCode::NO_CONTENT);

        let entries = all_items(&app, "/api/v1/audit-log", &access_token).await;

        for action in ["api_token.create", "api_token.revoke"] {
            let entry = entries
                .iter()
                .find(|entry| entry["action"] == action)
                .unwrap_or_else(|| panic!("no {action} entry in {entries:?}"));
            assert_eq!(entry["target"], format!("api_token:{id}"));
            assert_eq!(entry["actor_user_id"], admin.id.to_string());
            assert_eq!(entry["tenant_id"], admin.tenant_id.to_string());
            assert_eq!(entry["source"], "api");
            assert!(
                !entry.to_string().contains(&secret_of(&created)),
                "the audit entry leaks the token"
            );
        }
    }
);
