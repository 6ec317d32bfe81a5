//! Typed storage: the JSON-set columns survive their migration undone and redone with data, and
//! a stored value the application cannot read is an internal error, never a silent default.

use migration::MigratorTrait;
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
use serde_json::json;

use crate::{
    business::{create_customer, customer, put_json, reseller, with},
    helpers::assert_problem,
};

/// The answer to a read of data the application cannot decode: a 500, never a default.
async fn assert_internal_error(response: reqwest::Response) {
    assert_problem(
        response,
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal_error",
    )
    .await;
}

db_test!(
    sets_and_details_read_back_the_same_after_their_migration_is_undone_and_redone,
    |app| async move {
        let reseller = reseller(&app, "Shop Reseller").await;
        let body = with(customer("Litware"), "licensing_options", json!(["mxdr"]));
        let created = create_customer(&app, &reseller.token, &body).await;
        let me_before = app.me(&reseller.token).await;
        let (_, audit_before) = app.get_json("/api/v1/audit-log", &reseller.token).await;

        // Every migration from the typed JSON columns (11) on, undone and redone: counted from
        // the list, so that later migrations do not push 11 out of reach. Undoing the
        // technicians' tables (12) drops the sessions: sign in again.
        let from_typed_columns = migration::Migrator::migrations().len() - 10;
        migration::Migrator::down(&app.db, Some(u32::try_from(from_typed_columns).unwrap()))
            .await
            .unwrap();
        migration::Migrator::up(&app.db, None).await.unwrap();
        let reseller = crate::business::Reseller {
            token: app
                .sign_in(&reseller.admin.email, crate::helpers::PASSWORD)
                .await,
            ..reseller
        };

        let path = format!("/api/v1/customers/{}", created["id"].as_str().unwrap());
        let (status, read) = app.get_json(&path, &reseller.token).await;
        assert_eq!(status, StatusCode::OK, "{read}");
        assert_eq!(read["licensing_options"], json!(["mxdr", "tac"]));
        assert_eq!(app.me(&reseller.token).await, me_before);
        let (_, audit_after) = app.get_json("/api/v1/audit-log", &reseller.token).await;
        let after = audit_after["items"].as_array().unwrap();
        assert_eq!(
            after[0]["action"], "auth.login",
            "the new sign-in, newest first"
        );
        assert_eq!(json!(after[1..]), audit_before["items"]);
        assert!(
            audit_after["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|entry| entry["details"]["name"] == "Litware"),
            "{audit_after}"
        );
    }
);

db_test!(
    an_unknown_stored_licensing_option_is_an_internal_error,
    |app| async move {
        let reseller = reseller(&app, "Shop Reseller").await;
        entity::tenant::Entity::update_many()
            .col_expr(
                entity::tenant::Column::LicensingOptions,
                Expr::cust(r#"'["fly"]'"#),
            )
            .filter(entity::tenant::Column::Id.eq(reseller.tenant.id))
            .exec(&app.db)
            .await
            .unwrap();
        let response = app.get("/api/v1/tenants", &reseller.token).await;
        assert_internal_error(response).await;
    }
);

db_test!(
    a_negative_stored_licence_count_is_an_internal_error_not_zero,
    |app| async move {
        let reseller = reseller(&app, "Shop Reseller").await;
        let created = create_customer(&app, &reseller.token, &customer("Litware")).await;
        let id = created["id"].as_str().unwrap();
        entity::customer::Entity::update_many()
            .col_expr(entity::customer::Column::ActiveLicenses, Expr::value(-3))
            .filter(entity::customer::Column::TenantId.eq(uuid::Uuid::parse_str(id).unwrap()))
            .exec(&app.db)
            .await
            .unwrap();
        let response = app
            .get(&format!("/api/v1/customers/{id}"), &reseller.token)
            .await;
        assert_internal_error(response).await;
    }
);

db_test!(
    a_wizard_state_stored_with_an_unknown_status_is_an_internal_error,
    |app| async move {
        let reseller = reseller(&app, "Shop Reseller").await;
        let saved = put_json(
            &app,
            "/api/v1/onboarding-wizard",
            &reseller.token,
            &json!({ "status": "in_progress", "step": 1, "history": [] }),
        )
        .await;
        assert_eq!(saved.status(), StatusCode::OK);
        entity::wizard_progress::Entity::update_many()
            .col_expr(
                entity::wizard_progress::Column::Status,
                Expr::cust("'paused'"),
            )
            .exec(&app.db)
            .await
            .unwrap();
        let response = app.get("/api/v1/onboarding-wizard", &reseller.token).await;
        assert_internal_error(response).await;
    }
);
