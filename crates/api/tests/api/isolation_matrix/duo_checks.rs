//! The checks of Duo (SPEC §14): a tenant's security integration is its own (another tenant's
//! admin neither lists, reads, changes, tests nor deletes it), and a user of another tenant is
//! never offered, nor sent to, the owner's Duo.

use chrono::Utc;
use entity::security_integration;
use msp_api::infra::{auth::MfaKey, secret::Secret};
use reqwest::{Method, StatusCode};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use uuid::Uuid;

use super::{
    Op,
    parties::{Party, assert_denied, assert_no_leak, call, expect, get},
};
use crate::helpers::{TEST_MFA_KEY, TestApp};

/// The owner's Duo integration, stored as an admin's would be (no Duo answers in this test:
/// the checks are about who reaches it, not about Duo).
async fn owners_integration(app: &TestApp, owner: &Party) -> security_integration::Model {
    let existing = security_integration::Entity::find()
        .filter(security_integration::Column::TenantId.eq(owner.tenant.id))
        .one(&app.db)
        .await
        .unwrap();
    if let Some(existing) = existing {
        return existing;
    }
    let key = MfaKey::parse(&Secret::new(TEST_MFA_KEY)).unwrap();
    let now = Utc::now();
    security_integration::ActiveModel {
        id: Set(Uuid::new_v4()),
        tenant_id: Set(owner.tenant.id),
        kind: Set("duo_web_sdk".to_owned()),
        name: Set(format!("Duo of {}", owner.label)),
        // One per party, so that a caller's own never looks like the owner's.
        client_id: Set(format!("DI{}", &owner.tenant.id.simple().to_string()[..18]).to_uppercase()),
        client_secret_ciphertext: Set(key.encrypt(&"o".repeat(40)).unwrap()),
        api_hostname: Set("api-0wner000.duosecurity.com".to_owned()),
        enabled: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&app.db)
    .await
    .unwrap()
}

pub async fn check(app: &TestApp, op: Op, owner: &Party, caller: &Party) {
    let token = caller.token.as_str();
    let owners = owners_integration(app, owner).await;
    let path = format!("/api/v1/settings/security-integrations/{}", owners.id);
    let leak = |context: &str, text: &str| {
        assert_no_leak(context, text, owner, caller);
        for marker in [
            owners.id.to_string(),
            owners.name.clone(),
            owners.client_id.clone(),
        ] {
            assert!(!text.contains(&marker), "{context}: {marker} in {text}");
        }
    };
    match op {
        Op::ListSecurityIntegrations => {
            let listed = expect(
                app,
                get("/api/v1/settings/security-integrations"),
                token,
                None,
                StatusCode::OK,
            )
            .await;
            leak(
                "GET /api/v1/settings/security-integrations",
                &listed.to_string(),
            );
        }
        Op::CreateSecurityIntegration => {
            // In the caller's own tenant; refused before any call to Duo, as the host is not
            // Duo's. The owner's integration does not stand in the way, nor change.
            let body = json!({
                "kind": "duo_web_sdk",
                "name": "Duo",
                "client_id": "DICALLER000000000001",
                "client_secret": "c".repeat(40),
                "api_hostname": "duo.caller.test",
            });
            let (status, _, text) = call(
                app,
                Method::POST,
                "/api/v1/settings/security-integrations",
                Some(token),
                Some(&body),
            )
            .await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{text}");
            leak("POST /api/v1/settings/security-integrations", &text);
        }
        Op::GetSecurityIntegration => {
            assert_denied(app, get(&path), None, owner, caller).await;
        }
        Op::UpdateSecurityIntegration => {
            let body = json!({ "name": "Taken over", "enabled": false });
            assert_denied(app, (Method::PATCH, &path), Some(&body), owner, caller).await;
        }
        Op::DeleteSecurityIntegration => {
            assert_denied(app, (Method::DELETE, &path), None, owner, caller).await;
        }
        Op::CheckSecurityIntegration => {
            let check = format!("{path}/check");
            assert_denied(app, (Method::POST, &check), None, owner, caller).await;
        }
        Op::BeginDuoSignIn | Op::CompleteDuo => {
            // No tenant's data: refused the same way for anyone without a pending sign-in.
            let (status, _, text) = if matches!(op, Op::BeginDuoSignIn) {
                let body = json!({ "mfa_token": token });
                call(
                    app,
                    Method::POST,
                    "/api/v1/auth/login/duo",
                    None,
                    Some(&body),
                )
                .await
            } else {
                let callback = "/api/v1/auth/duo/callback?duo_code=not-a-code&state=not-a-state";
                call(app, Method::GET, callback, Some(token), None).await
            };
            assert!(
                status == StatusCode::UNAUTHORIZED || status == StatusCode::FOUND,
                "{status} {text}"
            );
            leak("the Duo step", &text);
        }
        Op::BeginDuoLink => {
            // With no Duo in the caller's tenant (its own is removed for the check), the
            // owner's is never used for it.
            security_integration::Entity::delete_many()
                .filter(security_integration::Column::TenantId.eq(caller.tenant.id))
                .exec(&app.db)
                .await
                .unwrap();
            let (status, _, text) =
                call(app, Method::POST, "/api/v1/me/duo", Some(token), None).await;
            let answer: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
            assert_eq!(
                (status, answer["code"].as_str()),
                (StatusCode::CONFLICT, Some("duo_not_available")),
                "{text}"
            );
            leak("POST /api/v1/me/duo", &text);
        }
        Op::UnlinkDuo => {
            let (status, _, text) =
                call(app, Method::DELETE, "/api/v1/me/duo", Some(token), None).await;
            assert_eq!(status, StatusCode::NO_CONTENT, "{text}");
        }
        _ => unreachable!("not a Duo operation: {op:?}"),
    }
    let after = security_integration::Entity::find_by_id(owners.id)
        .one(&app.db)
        .await
        .unwrap();
    assert_eq!(
        after.as_ref(),
        Some(&owners),
        "{op:?} changed the owner's integration"
    );
}
