//! The demo data of SPEC §11, as `serve --demo` seeds it.

use std::collections::BTreeSet;

use entity::{audit_log, tenant, user};
use msp_api::demo::{DEMO_ADMIN_EMAIL, DEMO_ENTRA_ADMIN_EMAIL, DEMO_PASSWORD};
use proto::{Claim, LicensingOption};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::Value;

use crate::helpers::{TestApp, all_items};

async fn row_counts(app: &TestApp) -> (u64, u64, u64) {
    (
        tenant::Entity::find().count(&app.db).await.unwrap(),
        user::Entity::find().count(&app.db).await.unwrap(),
        audit_log::Entity::find().count(&app.db).await.unwrap(),
    )
}

fn codes(values: &Value) -> BTreeSet<String> {
    values
        .as_array()
        .expect("an array of codes")
        .iter()
        .map(|code| code.as_str().expect("a code").to_owned())
        .collect()
}

db_test!(
    seeding_the_demo_data_twice_changes_nothing,
    demo,
    |app| async move {
        let after_start_up = row_counts(&app).await;

        app.seed_demo().await;
        app.seed_demo().await;

        let (tenants, users, _) = after_start_up;
        assert!(
            tenants >= 8 && users == 11,
            "seeded at start-up: {after_start_up:?}"
        );
        assert_eq!(row_counts(&app).await, after_start_up);
    }
);

db_test!(
    every_demo_user_exists_and_each_no_claim_user_lacks_exactly_that_claim,
    demo,
    |app| async move {
        let all: BTreeSet<String> = Claim::ALL.iter().map(|c| c.as_str().to_owned()).collect();
        let cases = [
            (DEMO_ADMIN_EMAIL, "admin", None),
            (
                "no-view-endpoint-settings@demo-reseller.test",
                "technician",
                Some("view_endpoint_settings"),
            ),
            (
                "no-edit-endpoint-settings@demo-reseller.test",
                "technician",
                Some("edit_endpoint_settings"),
            ),
            (
                "no-manage-customer-settings@demo-reseller.test",
                "technician",
                Some("manage_customer_settings"),
            ),
            (
                "no-view-customers@demo-reseller.test",
                "technician",
                Some("view_customers"),
            ),
            (
                "no-create-customer@demo-reseller.test",
                "technician",
                Some("create_customer"),
            ),
        ];
        for (email, role, missing) in cases {
            let token = app.sign_in(email, DEMO_PASSWORD).await;
            let me = app.me(&token).await;
            let mut expected = all.clone();
            if let Some(missing) = missing {
                expected.remove(missing);
            }
            assert_eq!(codes(&me["claims"]), expected, "claims of {email}");
            assert_eq!(me["role"], role, "role of {email}");
            assert_eq!(me["tenant"]["name"], "Demo Reseller", "tenant of {email}");
        }
    }
);

db_test!(
    the_demo_duo_user_signs_in_with_the_demo_duo_integration,
    demo,
    |app| async move {
        let answer = app
            .login(msp_api::demo::DEMO_DUO_EMAIL, DEMO_PASSWORD)
            .await
            .json::<Value>()
            .await
            .unwrap();
        assert_eq!(answer["mfa_required"], true, "{answer}");
        assert_eq!(
            answer["methods"],
            serde_json::json!(["duo", "recovery_code"])
        );
        let token = app.sign_in(DEMO_ADMIN_EMAIL, DEMO_PASSWORD).await;
        let (_, integrations) = app
            .get_json("/api/v1/settings/security-integrations", &token)
            .await;
        assert_eq!(integrations[0]["name"], "Duo", "{integrations}");
        assert_eq!(integrations[0]["enabled"], true);
        let check = format!(
            "/api/v1/settings/security-integrations/{}/check",
            integrations[0]["id"].as_str().unwrap()
        );
        let checked = app.post_json(&check, &token, &serde_json::json!({})).await;
        assert_eq!(
            checked.status(),
            reqwest::StatusCode::OK,
            "the demo's fake Duo answers"
        );
    }
);

db_test!(
    the_demo_reseller_bills_monthly_holds_every_option_but_privileged_access_and_has_customers,
    demo,
    |app| async move {
        let token = app.sign_in(DEMO_ADMIN_EMAIL, DEMO_PASSWORD).await;

        let tenants = all_items(&app, "/api/v1/tenants", &token).await;

        let reseller = tenants
            .iter()
            .find(|tenant| tenant["name"] == "Demo Reseller")
            .expect("the demo reseller");
        assert_eq!(reseller["type"], "reseller");
        assert_eq!(reseller["monthly_billing"], true);
        assert!(reseller["azure_tenant_id"].is_null(), "{reseller}");
        let expected: BTreeSet<String> = LicensingOption::ALL
            .iter()
            .filter(|option| **option != LicensingOption::PrivilegedAccess)
            .map(|option| option.as_str().to_owned())
            .collect();
        assert_eq!(codes(&reseller["licensing_options"]), expected);
        let distributor = tenant::Entity::find()
            .filter(tenant::Column::Name.eq("Demo Distribution"))
            .one(&app.db)
            .await
            .unwrap()
            .expect("the demo distributor");
        assert_eq!(distributor.tenant_type, proto::TenantType::Distributor);
        assert_eq!(reseller["parent_id"], distributor.id.to_string());

        let customers: Vec<&Value> = tenants
            .iter()
            .filter(|tenant| tenant["parent_id"] == reseller["id"])
            .collect();
        assert!(customers.len() >= 5, "{customers:?}");
        assert!(
            customers
                .iter()
                .all(|customer| customer["type"] == "corporate")
        );
        assert!(
            customers
                .iter()
                .any(|customer| customer["azure_tenant_id"].is_string()),
            "one demo customer carries an Azure tenant ID"
        );
    }
);

db_test!(
    the_demo_refuses_a_database_that_holds_tenants_it_did_not_create,
    |app| async move {
        app.create_tenant("Acme IT", proto::TenantType::Reseller, None, true)
            .await;
        let key = msp_api::infra::auth::MfaKey::generate().unwrap();
        let refused = msp_api::demo::seed(&app.db, &key)
            .await
            .expect_err("the demo seeded a database with someone else's tenants");
        assert!(
            refused
                .to_string()
                .contains("refusing to seed the demo data"),
            "{refused:#}"
        );
        let demo_users = entity::user::Entity::find().count(&app.db).await.unwrap();
        assert_eq!(demo_users, 0);
    }
);

db_test!(
    the_demo_entra_msp_switches_its_user_source_to_the_fake_directory_and_sees_an_offboarding,
    demo,
    |app| async move {
        let token = app.sign_in(DEMO_ENTRA_ADMIN_EMAIL, DEMO_PASSWORD).await;
        let settings = "/api/v1/settings/user-source";
        let (_, fresh) = app.get_json(settings, &token).await;
        assert_eq!(fresh["onboarded_users"], 1, "{fresh}");
        let fake = std::fs::read_to_string(app.data_dir().join("demo-fake-graph-url")).unwrap();
        // The demo's fake has a certificate made at start-up that only the server trusts.
        let browser = reqwest::Client::builder()
            .danger_accept_invalid_certs(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let begun: Value = app
            .post_json(
                &format!("{settings}/authorize"),
                &token,
                &serde_json::json!({}),
            )
            .await
            .json()
            .await
            .unwrap();
        let entra = format!(
            "{}&login_hint=admin@demo-entra.test",
            begun["redirect_url"].as_str().unwrap()
        );
        let answer = browser.get(&entra).send().await.unwrap();
        let callback = answer.headers()["location"].to_str().unwrap().to_owned();
        let back = browser.get(&callback).send().await.unwrap();
        assert_eq!(back.headers()["location"], "/user-source?consent=granted");

        let saved = crate::business::put_json(
            &app,
            settings,
            &token,
            &serde_json::json!({ "source": "azuread", "onboarding_domain": "demo-entra.test" }),
        )
        .await;
        assert_eq!(saved.status(), reqwest::StatusCode::OK);
        let invited: Value = app
            .post_json(
                "/api/v1/users",
                &token,
                &serde_json::json!({ "email": "alex@demo-entra.test", "display_name": "Alex Kim" }),
            )
            .await
            .json()
            .await
            .unwrap();
        let alex = invited["user"]["id"].as_str().unwrap().to_owned();
        let removed = browser
            .delete(format!(
                "{fake}/_fake/users/a1b2c3d4-0002-4e5f-8a9b-0c1d2e3f4a02"
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(removed.status(), reqwest::StatusCode::NO_CONTENT);
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            app.post_json(&format!("{settings}/sync"), &token, &serde_json::json!({}))
                .await;
            let (_, user) = app.get_json(&format!("/api/v1/users/{alex}"), &token).await;
            if user["active"] == false {
                break;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "Alex was never offboarded: {user}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
    }
);
