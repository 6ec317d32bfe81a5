//! SPEC §3 (Reseller Master GPs Distribution) and §4 (Azure Login tenant ID).

use proto::{Claim, TenantType};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::{
    business::{json_of, put_json, reseller, user_without},
    helpers::{TestApp, assert_problem, invalid_fields},
};

/// Saves `body` at `path` (asserting 200) and reads the setting back.
async fn put_then_get(app: &TestApp, path: &str, token: &str, body: &Value) -> Value {
    let response = put_json(app, path, token, body).await;
    assert_eq!(response.status(), StatusCode::OK);
    app.get_json(path, token).await.1
}

db_test!(
    the_tenant_id_is_stored_lower_case_from_any_accepted_form,
    |app| async move {
        let reseller = reseller(&app, "Guid Reseller").await;
        for (sent, stored) in [
            (
                "5F1C2D3E-4A5B-4C6D-8E7F-9A0B1C2D3E4F",
                "5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
            ),
            (
                "{0b6e3c1a-2f4d-4e8a-9c7b-1d2e3f4a5b6c}",
                "0b6e3c1a-2f4d-4e8a-9c7b-1d2e3f4a5b6c",
            ),
        ] {
            let saved = put_then_get(
                &app,
                "/api/v1/settings/azure-login",
                &reseller.token,
                &json!({ "tenant_id": sent }),
            )
            .await;
            assert_eq!(saved["tenant_id"], stored);
        }
    }
);

db_test!(
    a_tenant_id_that_is_not_a_guid_is_refused_on_its_field,
    |app| async move {
        let reseller = reseller(&app, "Guid Reseller").await;
        for sent in [
            "not-a-guid",
            "5f1c2d3e4a5b4c6d8e7f9a0b1c2d3e4f",
            "5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4g",
        ] {
            let response = put_json(
                &app,
                "/api/v1/settings/azure-login",
                &reseller.token,
                &json!({ "tenant_id": sent }),
            )
            .await;
            assert_eq!(invalid_fields(response).await, vec!["tenant_id"], "{sent}");
        }
        let (_, saved) = app
            .get_json("/api/v1/settings/azure-login", &reseller.token)
            .await;
        assert_eq!(saved["tenant_id"], serde_json::Value::Null);
    }
);

db_test!(
    clearing_the_tenant_id_is_allowed_and_audited,
    |app| async move {
        let reseller = reseller(&app, "Guid Reseller").await;
        let guid = "5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
        put_json(
            &app,
            "/api/v1/settings/azure-login",
            &reseller.token,
            &json!({ "tenant_id": guid }),
        )
        .await;
        let cleared = put_json(
            &app,
            "/api/v1/settings/azure-login",
            &reseller.token,
            &json!({ "tenant_id": null }),
        )
        .await;
        assert_eq!(json_of(cleared).await["tenant_id"], serde_json::Value::Null);
        let (_, log) = app.get_json("/api/v1/audit-log", &reseller.token).await;
        let changes: Vec<_> = log["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|entry| entry["action"] == "settings.azure_login.update")
            .collect();
        assert_eq!(changes.len(), 2);
        assert_eq!(
            changes[0]["details"]["before"], guid,
            "newest first: the clearing"
        );
    }
);

db_test!(
    azure_login_needs_manage_customer_settings_and_a_partner_tenant,
    |app| async move {
        let reseller = reseller(&app, "Guid Reseller").await;
        let without = user_without(&app, &reseller, Claim::ManageCustomerSettings).await;
        let response = app.get("/api/v1/settings/azure-login", &without).await;
        assert_problem(response, StatusCode::FORBIDDEN, "forbidden").await;
        let response = put_json(
            &app,
            "/api/v1/settings/azure-login",
            &without,
            &json!({ "tenant_id": null }),
        )
        .await;
        assert_problem(response, StatusCode::FORBIDDEN, "forbidden").await;

        let corporate = app
            .create_tenant(
                "Plain Corporate",
                TenantType::Corporate,
                Some(reseller.tenant.id),
                true,
            )
            .await;
        app.create_user(
            corporate.id,
            "it@plain-corporate.test",
            proto::Role::Admin,
            domain::ClaimSet::all(),
        )
        .await;
        let token = app
            .sign_in("it@plain-corporate.test", crate::helpers::PASSWORD)
            .await;
        let response = app.get("/api/v1/settings/azure-login", &token).await;
        assert_problem(response, StatusCode::FORBIDDEN, "forbidden").await;
    }
);

db_test!(
    master_gp_distribution_is_off_until_turned_on,
    |app| async move {
        let reseller = reseller(&app, "Gp Reseller").await;
        let (_, initial) = app
            .get_json("/api/v1/endpoint-settings/windows-gp", &reseller.token)
            .await;
        assert_eq!(initial, json!({ "master_gp_distribution": false }));
        let saved = put_then_get(
            &app,
            "/api/v1/endpoint-settings/windows-gp",
            &reseller.token,
            &json!({ "master_gp_distribution": true }),
        )
        .await;
        assert_eq!(saved, json!({ "master_gp_distribution": true }));
    }
);

db_test!(
    endpoint_settings_need_view_to_read_and_edit_to_change,
    |app| async move {
        let reseller = reseller(&app, "Gp Reseller").await;
        let no_view = user_without(&app, &reseller, Claim::ViewEndpointSettings).await;
        let no_edit = user_without(&app, &reseller, Claim::EditEndpointSettings).await;
        assert_problem(
            app.get("/api/v1/endpoint-settings/windows-gp", &no_view)
                .await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
        assert_eq!(
            app.get("/api/v1/endpoint-settings/windows-gp", &no_edit)
                .await
                .status(),
            StatusCode::OK
        );
        let body = json!({ "master_gp_distribution": true });
        let response = put_json(
            &app,
            "/api/v1/endpoint-settings/windows-gp",
            &no_edit,
            &body,
        )
        .await;
        assert_problem(response, StatusCode::FORBIDDEN, "forbidden").await;
        let (_, unchanged) = app
            .get_json("/api/v1/endpoint-settings/windows-gp", &reseller.token)
            .await;
        assert_eq!(unchanged["master_gp_distribution"], false);
    }
);
