//! A customer tenant's Microsoft Entra connection for just-in-time admin accounts (SPEC §16,
//! issue 18) against the fake Entra over HTTPS: Authorize by admin consent in the customer's
//! directory (Woodgrove Bank's in the demo fixture), the refusals, and saving the lifetime, the
//! account domain and the role mapping, each checked against the customer's directory.

use reqwest::{StatusCode, header};
use serde_json::{Value, json};

use crate::{
    business::{Reseller, create_customer, customer, put_json, reseller},
    helpers::{TestApp, all_items, assert_problem},
    microsoft_sign_in::{Microsoft, location, run_with_microsoft},
};

/// Woodgrove Bank's directory in the fake, and the admin who consents there.
pub(crate) const WOODGROVE: &str = "3b9e4c1a-7d2f-4e8b-a6c5-0f1e2d3c4b5a";
pub(crate) const WOODGROVE_ADMIN: &str = "admin@woodgrovebank.test";
pub(crate) const GLOBAL_ADMINISTRATOR: &str = "62e90394-69f5-4237-9190-012177145e10";
pub(crate) const USER_ADMINISTRATOR: &str = "fe930be7-5e62-47db-91af-98c3a49a38b1";

pub(crate) fn connection_of(customer_id: &str) -> String {
    format!("/api/v1/customers/{customer_id}/entra-connection")
}

/// A reseller, its customer, and the path of the customer's connection.
async fn reseller_with_customer(app: &TestApp, name: &str) -> (Reseller, String) {
    let admin = reseller(app, name).await;
    let created = create_customer(app, &admin.token, &customer("Woodgrove Bank")).await;
    let id = created["id"].as_str().expect("an id").to_owned();
    (admin, connection_of(&id))
}

/// Authorize and the way back, with `extra` on Entra's URL; answers where the browser landed.
pub(crate) async fn consent(
    app: &TestApp,
    microsoft: &Microsoft,
    token: &str,
    path: &str,
    extra: &str,
) -> String {
    let begun = app
        .post_json(&format!("{path}/authorize"), token, &json!({}))
        .await;
    assert_eq!(begun.status(), StatusCode::OK);
    let begun: Value = begun.json().await.unwrap();
    let entra = format!("{}{extra}", begun["redirect_url"].as_str().unwrap());
    let answer = microsoft.browser.get(&entra).send().await.unwrap();
    let callback = location(&answer);
    assert!(
        callback.contains("/api/v1/customer-entra/consent-callback?"),
        "{callback}"
    );
    let back = microsoft.browser.get(&callback).send().await.unwrap();
    assert_eq!(back.status(), StatusCode::FOUND);
    back.headers()[header::LOCATION]
        .to_str()
        .unwrap()
        .to_owned()
}

microsoft_test!(
    an_admin_authorises_a_customers_directory_and_sees_who_and_when,
    |app, microsoft| async move {
        let (admin, path) = reseller_with_customer(&app, "Connecting Reseller").await;
        let customer_id = path.split('/').nth(4).unwrap().to_owned();
        let (status, fresh) = app.get_json(&path, &admin.token).await;
        assert_eq!(status, StatusCode::OK, "{fresh}");
        assert_eq!(fresh["connection"], Value::Null);
        assert_eq!(fresh["lifetime_hours"], 4);

        let cancelled = consent(&app, &microsoft, &admin.token, &path, "&fake_cancel=1").await;
        assert!(
            cancelled.starts_with(&format!(
                "/customer-entra/{customer_id}?consent=refused&reason=AADSTS65004"
            )),
            "{cancelled}"
        );
        let hint = format!("&login_hint={WOODGROVE_ADMIN}");
        let landed = consent(&app, &microsoft, &admin.token, &path, &hint).await;
        assert_eq!(
            landed,
            format!("/customer-entra/{customer_id}?consent=granted")
        );
        let (_, settings) = app.get_json(&path, &admin.token).await;
        assert_eq!(
            settings["connection"]["entra_tenant_id"], WOODGROVE,
            "{settings}"
        );
        assert_eq!(
            settings["connection"]["authorised_by"],
            json!(admin.admin.email)
        );
        let audit = all_items(&app, "/api/v1/audit-log", &admin.token).await;
        assert!(
            audit
                .iter()
                .any(|entry| entry["action"] == "customer.entra_connection.authorise"),
            "the authorisation is in the MSP's log"
        );

        // A state this server did not issue records nothing.
        let forged = microsoft
            .browser
            .get(app.url(
                "/api/v1/customer-entra/consent-callback?admin_consent=True&tenant=9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a&state=forged",
            ))
            .send()
            .await
            .unwrap();
        assert!(
            location(&forged).starts_with("/customer-entra?consent=refused"),
            "{}",
            location(&forged)
        );

        // Another MSP's admin does not see the customer at all.
        let stranger = reseller(&app, "Unrelated Reseller").await;
        let (status, _) = app.get_json(&path, &stranger.token).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let begun = app
            .post_json(&format!("{path}/authorize"), &stranger.token, &json!({}))
            .await;
        assert_eq!(begun.status(), StatusCode::NOT_FOUND);
    }
);

microsoft_test!(
    the_domain_and_the_role_mapping_are_checked_against_the_customers_directory,
    |app, microsoft| async move {
        let (admin, path) = reseller_with_customer(&app, "Mapping Reseller").await;
        let early = put_json(
            &app,
            &path,
            &admin.token,
            &json!({ "app_name": "Entra ID - Woodgrove", "account_domain": "woodgrovebank.test" }),
        )
        .await;
        assert_problem(early, StatusCode::CONFLICT, "not_connected").await;
        // The name and lifetime can be saved before Authorize.
        let named = put_json(
            &app,
            &path,
            &admin.token,
            // JSON Schema's integer: 8.0 is one too.
            &json!({ "app_name": "  Entra ID - Woodgrove  ", "lifetime_hours": 8.0 }),
        )
        .await;
        assert_eq!(named.status(), StatusCode::OK);
        let named: Value = named.json().await.unwrap();
        assert_eq!(named["app_name"], "Entra ID - Woodgrove");
        assert_eq!(named["lifetime_hours"], 8);
        for hours in [0, 25] {
            let refused = put_json(
                &app,
                &path,
                &admin.token,
                &json!({ "app_name": "Entra ID", "lifetime_hours": hours }),
            )
            .await;
            assert_eq!(
                refused.status(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "{hours}"
            );
        }

        let hint = format!("&login_hint={WOODGROVE_ADMIN}");
        consent(&app, &microsoft, &admin.token, &path, &hint).await;
        let (status, domains) = app.get_json(&format!("{path}/domains"), &admin.token).await;
        assert_eq!(status, StatusCode::OK, "{domains}");
        let selectable = |name: &str| {
            domains["items"]
                .as_array()
                .unwrap()
                .iter()
                .find(|domain| domain["name"] == name)
                .map(|domain| domain["selectable"].clone())
        };
        assert_eq!(selectable("woodgrovebank.test"), Some(json!(true)));
        assert_eq!(selectable("sso.woodgrovebank.test"), Some(json!(false)));
        let (status, roles) = app.get_json(&format!("{path}/roles"), &admin.token).await;
        assert_eq!(status, StatusCode::OK, "{roles}");
        assert!(
            roles["items"].as_array().unwrap().iter().any(|role| {
                role["id"] == GLOBAL_ADMINISTRATOR && role["display_name"] == "Global Administrator"
            }),
            "{roles}"
        );

        for (domain, code) in [
            ("sso.woodgrovebank.test", "federated_domain"),
            ("new.woodgrovebank.test", "unverified_domain"),
            ("elsewhere.test", "unknown_domain"),
        ] {
            let refused = put_json(
                &app,
                &path,
                &admin.token,
                &json!({ "app_name": "Entra ID", "account_domain": domain }),
            )
            .await;
            let problem: Value = refused.json().await.unwrap();
            assert_eq!(problem["errors"][0]["code"], code, "{problem}");
        }
        let unknown_role = "00000000-0000-4000-8000-000000000001";
        let stray_group = "00000000-0000-4000-8000-000000000002";
        let refused = put_json(
            &app,
            &path,
            &admin.token,
            &json!({
                "app_name": "Entra ID",
                "role_mapping": { "mode": "per_group", "groups": [
                    { "group_id": stray_group, "roles": [unknown_role] },
                ] },
            }),
        )
        .await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let problem: Value = refused.json().await.unwrap();
        let codes: Vec<&str> = problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|error| error["code"].as_str())
            .collect();
        assert_eq!(codes, ["unknown_role", "unknown_group"], "{problem}");

        let group = app
            .post_json(
                "/api/v1/technician-groups",
                &admin.token,
                &json!({ "name": "Level 1 techs" }),
            )
            .await;
        assert_eq!(group.status(), StatusCode::CREATED);
        let group: Value = group.json().await.unwrap();
        let mapping = json!({ "mode": "per_group", "groups": [
            { "group_id": group["id"], "roles": [USER_ADMINISTRATOR, GLOBAL_ADMINISTRATOR] },
        ] });
        let saved = put_json(
            &app,
            &path,
            &admin.token,
            &json!({
                "app_name": "Entra ID - Woodgrove",
                "lifetime_hours": 2,
                "account_domain": "WoodgroveBank.test",
                "role_mapping": mapping,
            }),
        )
        .await;
        assert_eq!(saved.status(), StatusCode::OK);
        let (_, settings) = app.get_json(&path, &admin.token).await;
        assert_eq!(settings["account_domain"], "woodgrovebank.test");
        assert_eq!(settings["lifetime_hours"], 2);
        assert_eq!(settings["role_mapping"]["mode"], "per_group");
        assert_eq!(
            settings["role_mapping"]["groups"][0]["group_id"],
            group["id"]
        );
        assert_eq!(
            settings["role_mapping"]["groups"][0]["roles"]
                .as_array()
                .unwrap()
                .len(),
            2,
            "{settings}"
        );

        // A technician of the MSP cannot see or change the connection.
        let technician =
            crate::business::user_without(&app, &admin, proto::Claim::ManageCustomerSettings).await;
        let (status, _) = app.get_json(&path, &technician).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
);
