//! Microsoft Entra as the MSP's user source (SPEC §16, issue 17) against the fake Entra over
//! HTTPS: Authorize by admin consent and its refusals, the rules for switching the source
//! (one user at most, a verified managed domain, the prefix), invitations checked against the
//! directory, and the offboarding sync that deactivates removed and disabled technicians.

use std::time::Duration;

use proto::Role;
use reqwest::{StatusCode, header};
use serde_json::{Value, json};

use crate::{
    business::{Reseller, put_json, reseller},
    helpers::{PASSWORD, TestApp, all_items, assert_problem},
    microsoft_sign_in::{Microsoft, location, run_with_microsoft},
};

pub(crate) const SETTINGS: &str = "/api/v1/settings/user-source";
const HOME_TENANT: &str = "5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
const SAM: &str = "scim.tech@demo-reseller.test";
const SAM_OBJECT_ID: &str = "5c1d0e2f-8a7b-4c3d-9e6f-1a2b3c4d5e6f";
pub(crate) const STRANGER: &str = "stranger@demo-reseller.test";
pub(crate) const STRANGER_OBJECT_ID: &str = "8c9d0e1f-2a3b-4c4d-95e6-f7a8b9c0d1e2";

/// Authorize, Entra's page (skipped with a `login_hint`, or cancelled), and the way back:
/// answers where the callback sent the browser.
async fn consent(app: &TestApp, microsoft: &Microsoft, admin: &Reseller, extra: &str) -> String {
    let begun = app
        .post_json(&format!("{SETTINGS}/authorize"), &admin.token, &json!({}))
        .await;
    assert_eq!(begun.status(), StatusCode::OK);
    let begun: Value = begun.json().await.unwrap();
    let entra = format!("{}{extra}", begun["redirect_url"].as_str().unwrap());
    assert!(
        entra.contains("/organizations/v2.0/adminconsent?"),
        "{entra}"
    );
    let answer = microsoft.browser.get(&entra).send().await.unwrap();
    let callback = location(&answer);
    assert!(
        callback.contains("/api/v1/settings/user-source/consent-callback?"),
        "{callback}"
    );
    let back = microsoft.browser.get(&callback).send().await.unwrap();
    assert_eq!(back.status(), StatusCode::FOUND);
    back.headers()[header::LOCATION]
        .to_str()
        .unwrap()
        .to_owned()
}

pub(crate) async fn authorised(app: &TestApp, microsoft: &Microsoft, name: &str) -> Reseller {
    let admin = reseller(app, name).await;
    let landed = consent(
        app,
        microsoft,
        &admin,
        "&login_hint=admin@demo-reseller.test",
    )
    .await;
    assert_eq!(landed, "/user-source?consent=granted");
    admin
}

pub(crate) async fn switch_to_entra(app: &TestApp, admin: &Reseller) -> Value {
    let response = put_json(
        app,
        SETTINGS,
        &admin.token,
        &json!({ "source": "azuread", "onboarding_domain": "demo-reseller.test" }),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

/// The settings once `done` holds of them (within 20 seconds): the sync runs as a job.
pub(crate) async fn settings_once(
    app: &TestApp,
    token: &str,
    done: impl Fn(&Value) -> bool,
) -> Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let (status, settings) = app.get_json(SETTINGS, token).await;
        assert_eq!(status, StatusCode::OK, "{settings}");
        if done(&settings) {
            return settings;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the user source never reached the state: {settings}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Sync now, then the settings once that sync has ended.
pub(crate) async fn sync_now(app: &TestApp, token: &str) -> Value {
    let (_, before) = app.get_json(SETTINGS, token).await;
    let asked = app
        .post_json(&format!("{SETTINGS}/sync"), token, &json!({}))
        .await;
    assert_eq!(asked.status(), StatusCode::ACCEPTED);
    settings_once(app, token, |settings| {
        settings["last_sync"]["at"] != before["last_sync"]["at"]
    })
    .await
}

microsoft_test!(
    an_admin_authorises_the_directory_and_the_settings_show_who_and_when,
    |app, microsoft| async move {
        let admin = reseller(&app, "Consenting Reseller").await;
        let (status, fresh) = app.get_json(SETTINGS, &admin.token).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(fresh["source"], "local");
        assert_eq!(fresh["connection"], Value::Null);
        assert_eq!(fresh["jit_prefix"], "msp-");

        let cancelled = consent(&app, &microsoft, &admin, "&fake_cancel=1").await;
        assert!(
            cancelled.starts_with("/user-source?consent=refused&reason=AADSTS65004"),
            "{cancelled}"
        );
        microsoft.fake.faults().refuse_consent(true);
        let refused = consent(
            &app,
            &microsoft,
            &admin,
            "&login_hint=admin@demo-reseller.test",
        )
        .await;
        assert!(refused.contains("AADSTS90094"), "{refused}");
        microsoft.fake.faults().refuse_consent(false);
        let (_, still) = app.get_json(SETTINGS, &admin.token).await;
        assert_eq!(still["connection"], Value::Null);

        let landed = consent(
            &app,
            &microsoft,
            &admin,
            "&login_hint=admin@demo-reseller.test",
        )
        .await;
        assert_eq!(landed, "/user-source?consent=granted");
        let (_, settings) = app.get_json(SETTINGS, &admin.token).await;
        assert_eq!(settings["connection"]["entra_tenant_id"], HOME_TENANT);
        assert_eq!(
            settings["connection"]["authorised_by"],
            json!(admin.admin.email)
        );
        let audit = all_items(&app, "/api/v1/audit-log", &admin.token).await;
        assert!(
            audit
                .iter()
                .any(|entry| entry["action"] == "user_source.authorise")
        );

        // A state this server did not issue, or one already used, records nothing.
        let forged = microsoft
            .browser
            .get(app.url(
                "/api/v1/settings/user-source/consent-callback?admin_consent=True&tenant=9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a&state=forged",
            ))
            .send()
            .await
            .unwrap();
        assert!(location(&forged).contains("consent=refused"));
        let (_, kept) = app.get_json(SETTINGS, &admin.token).await;
        assert_eq!(kept["connection"]["entra_tenant_id"], HOME_TENANT);
    }
);

microsoft_test!(
    entra_becomes_the_source_only_with_one_user_and_a_verified_managed_domain,
    |app, microsoft| async move {
        let admin = reseller(&app, "Switching Reseller").await;
        let early = put_json(
            &app,
            SETTINGS,
            &admin.token,
            &json!({ "source": "azuread", "onboarding_domain": "demo-reseller.test" }),
        )
        .await;
        assert_problem(early, StatusCode::CONFLICT, "not_connected").await;
        let landed = consent(
            &app,
            &microsoft,
            &admin,
            "&login_hint=admin@demo-reseller.test",
        )
        .await;
        assert_eq!(landed, "/user-source?consent=granted");

        let (status, domains) = app
            .get_json(&format!("{SETTINGS}/domains"), &admin.token)
            .await;
        assert_eq!(status, StatusCode::OK, "{domains}");
        let domain = |name: &str| {
            domains["items"]
                .as_array()
                .unwrap()
                .iter()
                .find(|domain| domain["name"] == name)
                .unwrap()
                .clone()
        };
        assert_eq!(domain("demo-reseller.test")["selectable"], true);
        assert_eq!(domain("corp.demo-reseller.test")["selectable"], false);
        assert!(
            domain("corp.demo-reseller.test")["reason"]
                .as_str()
                .unwrap()
                .contains("federated")
        );
        assert_eq!(domain("new.demo-reseller.test")["selectable"], false);

        let colleague = app
            .create_user(
                admin.tenant.id,
                "colleague@switching.test",
                Role::Technician,
                domain::ClaimSet::all(),
            )
            .await;
        let crowded = put_json(
            &app,
            SETTINGS,
            &admin.token,
            &json!({ "source": "azuread", "onboarding_domain": "demo-reseller.test" }),
        )
        .await;
        let problem: Value = crowded.json().await.unwrap();
        assert_eq!(problem["code"], "too_many_users", "{problem}");
        assert!(
            problem["detail"].as_str().unwrap().contains("remove 1"),
            "{problem}"
        );
        let removed = app
            .delete(&format!("/api/v1/users/{}", colleague.id), &admin.token)
            .await;
        assert!(removed.status().is_success());

        for (domain, code) in [
            ("corp.demo-reseller.test", "federated_domain"),
            ("new.demo-reseller.test", "unverified_domain"),
            ("elsewhere.test", "unknown_domain"),
        ] {
            let refused = put_json(
                &app,
                SETTINGS,
                &admin.token,
                &json!({ "source": "azuread", "onboarding_domain": domain }),
            )
            .await;
            assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
            let problem: Value = refused.json().await.unwrap();
            assert_eq!(problem["errors"][0]["code"], code, "{problem}");
        }
        let bad_prefix = put_json(
            &app,
            SETTINGS,
            &admin.token,
            &json!({ "source": "azuread", "onboarding_domain": "demo-reseller.test", "jit_prefix": "MSP" }),
        )
        .await;
        assert_eq!(bad_prefix.status(), StatusCode::UNPROCESSABLE_ENTITY);

        let saved = switch_to_entra(&app, &admin).await;
        assert_eq!(saved["source"], "azuread");
        assert_eq!(saved["onboarding_domain"], "demo-reseller.test");
        assert!(saved["next_sync_at"].is_string(), "{saved}");
        let (_, jobs) = app.get_json("/api/v1/jobs", &admin.token).await;
        let name = format!("user_source_sync:{}", admin.tenant.id);
        assert!(
            jobs["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|job| job["name"] == json!(name)),
            "{jobs}"
        );
        // Another tenant's admin sees only the platform's jobs.
        let other = reseller(&app, "Unrelated Reseller").await;
        let (_, theirs) = app.get_json("/api/v1/jobs", &other.token).await;
        assert_eq!(theirs["total"], 1, "{theirs}");
    }
);

microsoft_test!(
    invitations_are_checked_against_the_directory,
    |app, microsoft| async move {
        let admin = authorised(&app, &microsoft, "Inviting Reseller").await;
        switch_to_entra(&app, &admin).await;
        let invite = |email: &'static str| {
            let app = &app;
            let token = admin.token.clone();
            async move {
                app.post_json(
                    "/api/v1/users",
                    &token,
                    &json!({ "email": email, "display_name": "Tech" }),
                )
                .await
            }
        };
        let invited = invite(STRANGER).await;
        assert_eq!(invited.status(), StatusCode::CREATED);
        let invited: Value = invited.json().await.unwrap();
        assert_eq!(invited["user"]["source"], "entra", "{invited}");
        assert_eq!(
            invited["user"]["invitation_pending"], true,
            "invited, not yet signed in: {invited}"
        );

        let nobody = invite("nobody@demo-reseller.test").await;
        let problem: Value = nobody.json().await.unwrap();
        assert_eq!(
            problem["errors"][0]["code"], "not_in_directory",
            "{problem}"
        );
        assert!(
            microsoft
                .fake
                .entra()
                .set_account_enabled(SAM_OBJECT_ID, false)
        );
        let disabled = invite(SAM).await;
        let problem: Value = disabled.json().await.unwrap();
        assert_eq!(
            problem["errors"][0]["code"], "disabled_in_directory",
            "{problem}"
        );
    }
);

microsoft_test!(
    the_sync_deactivates_removed_and_disabled_technicians_and_ends_their_sessions,
    |app, microsoft| async move {
        let admin = authorised(&app, &microsoft, "Offboarding Reseller").await;
        switch_to_entra(&app, &admin).await;
        // Onboarded before the switch's first round ran out? The first round links them by e-mail.
        let first = settings_once(&app, &admin.token, |settings| {
            settings["last_sync"].is_object()
        })
        .await;
        assert_eq!(first["last_sync"]["error"], Value::Null, "{first}");
        let sam = app
            .create_user(
                admin.tenant.id,
                SAM,
                Role::Technician,
                domain::ClaimSet::all(),
            )
            .await;
        let stranger = app
            .create_user(
                admin.tenant.id,
                STRANGER,
                Role::Technician,
                domain::ClaimSet::all(),
            )
            .await;
        let sam_token = app.sign_in(SAM, PASSWORD).await;
        // A change in the directory links both by e-mail; nothing is deactivated yet.
        assert!(
            microsoft
                .fake
                .entra()
                .set_account_enabled(SAM_OBJECT_ID, true)
        );
        assert!(
            microsoft
                .fake
                .entra()
                .set_account_enabled(STRANGER_OBJECT_ID, true)
        );
        let linked = sync_now(&app, &admin.token).await;
        assert_eq!(linked["last_sync"]["deactivated"], 0, "{linked}");

        assert!(microsoft.fake.entra().remove_user(SAM_OBJECT_ID));
        let removed = sync_now(&app, &admin.token).await;
        assert_eq!(removed["last_sync"]["deactivated"], 1, "{removed}");
        let (status, _) = app.get_json("/api/v1/me", &sam_token).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "the session ended");
        let (_, sam_now) = app
            .get_json(&format!("/api/v1/users/{}", sam.id), &admin.token)
            .await;
        assert_eq!(sam_now["active"], false);

        assert!(
            microsoft
                .fake
                .entra()
                .set_account_enabled(STRANGER_OBJECT_ID, false)
        );
        let disabled = sync_now(&app, &admin.token).await;
        assert_eq!(disabled["last_sync"]["deactivated"], 1, "{disabled}");
        // Enabled again in Entra: an admin decides, the sync does not reactivate.
        assert!(
            microsoft
                .fake
                .entra()
                .set_account_enabled(STRANGER_OBJECT_ID, true)
        );
        sync_now(&app, &admin.token).await;
        let (_, stranger_now) = app
            .get_json(&format!("/api/v1/users/{}", stranger.id), &admin.token)
            .await;
        assert_eq!(stranger_now["active"], false);

        let audit = all_items(&app, "/api/v1/audit-log", &admin.token).await;
        let reasons: Vec<&str> = audit
            .iter()
            .filter(|entry| entry["action"] == "user.deactivate")
            .filter_map(|entry| entry["details"]["reason"].as_str())
            .collect();
        assert!(
            reasons.contains(&"removed from Microsoft Entra"),
            "{reasons:?}"
        );
        assert!(
            reasons.contains(&"disabled in Microsoft Entra"),
            "{reasons:?}"
        );

        // Graph throttling: the sync fails, says why, keeps its place (the next one goes on
        // from the delta link rather than beginning a full round), and the next one works.
        let full_rounds = microsoft.fake.stats().full_delta_rounds();
        microsoft.fake.faults().throttle_next(20, Some(0));
        let throttled = sync_now(&app, &admin.token).await;
        assert!(throttled["last_sync"]["error"].is_string(), "{throttled}");
        microsoft.fake.faults().throttle_next(0, None);
        let recovered = sync_now(&app, &admin.token).await;
        assert_eq!(recovered["last_sync"]["error"], Value::Null, "{recovered}");
        assert_eq!(
            microsoft.fake.stats().full_delta_rounds(),
            full_rounds,
            "the delta link survived the failure"
        );
    }
);
