//! The directory's say at sign-in with Microsoft Entra as the user source (SPEC §16, issue 17):
//! a technician disabled in Entra is deactivated as they sign in, without waiting for the sync;
//! someone of the directory signing in with Microsoft is onboarded; an account Entra enables
//! again is listed for an admin to reactivate, and reactivation asks the directory first.

use proto::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::{
    business::patch_json,
    helpers::{PASSWORD, all_items, assert_problem},
    microsoft_sign_in::{run_with_microsoft, sign_in_as},
    user_source::{
        SETTINGS, STRANGER, STRANGER_OBJECT_ID, authorised, settings_once, switch_to_entra,
        sync_now,
    },
};

/// The directory's Stranger, a technician of `admin`'s tenant with a password.
async fn stranger_in(
    app: &crate::helpers::TestApp,
    admin: &crate::business::Reseller,
) -> crate::helpers::Account {
    app.create_user(
        admin.tenant.id,
        STRANGER,
        Role::Technician,
        domain::ClaimSet::all(),
    )
    .await
}

/// Entra becomes the source, and its first sync (due at once) has ended: nothing else runs
/// it again until Sync now.
async fn switched_and_synced(app: &crate::helpers::TestApp, admin: &crate::business::Reseller) {
    switch_to_entra(app, admin).await;
    settings_once(app, &admin.token, |settings| {
        settings["last_sync"].is_object()
    })
    .await;
}

microsoft_test!(
    a_technician_disabled_in_the_directory_is_deactivated_when_signing_in_with_a_password,
    |app, microsoft| async move {
        let admin = authorised(&app, &microsoft, "Checking Reseller").await;
        switched_and_synced(&app, &admin).await;
        let stranger = stranger_in(&app, &admin).await;
        assert_eq!(app.login(STRANGER, PASSWORD).await.status(), StatusCode::OK);

        // Microsoft Graph throttling at sign-in does not lock the technician out.
        microsoft.fake.faults().throttle_next(20, Some(0));
        assert_eq!(app.login(STRANGER, PASSWORD).await.status(), StatusCode::OK);
        microsoft.fake.faults().throttle_next(0, None);

        assert!(
            microsoft
                .fake
                .entra()
                .set_account_enabled(STRANGER_OBJECT_ID, false)
        );
        let refused = app.login(STRANGER, PASSWORD).await;
        assert_problem(refused, StatusCode::FORBIDDEN, "account_deactivated").await;
        let (_, now) = app
            .get_json(&format!("/api/v1/users/{}", stranger.id), &admin.token)
            .await;
        assert_eq!(now["active"], false, "{now}");
        let audit = all_items(&app, "/api/v1/audit-log", &admin.token).await;
        let deactivation = audit
            .iter()
            .find(|entry| entry["action"] == "user.deactivate")
            .expect("the deactivation is audited");
        assert_eq!(
            deactivation["details"]["reason"],
            "disabled in Microsoft Entra"
        );
        assert_eq!(deactivation["details"]["noticed_by"], "sign_in");
        let (_, settings) = app.get_json(SETTINGS, &admin.token).await;
        assert_eq!(settings["reenabled"], json!([]), "{settings}");
    }
);

microsoft_test!(
    an_account_entra_enables_again_is_listed_and_reactivated_only_while_enabled_there,
    |app, microsoft| async move {
        let admin = authorised(&app, &microsoft, "Returning Reseller").await;
        switched_and_synced(&app, &admin).await;
        let stranger = stranger_in(&app, &admin).await;
        let entra = microsoft.fake.entra();
        assert!(entra.set_account_enabled(STRANGER_OBJECT_ID, false));
        let offboarded = sync_now(&app, &admin.token).await;
        assert_eq!(offboarded["last_sync"]["deactivated"], 1, "{offboarded}");
        assert_eq!(offboarded["reenabled"], json!([]), "{offboarded}");

        assert!(entra.set_account_enabled(STRANGER_OBJECT_ID, true));
        let back = sync_now(&app, &admin.token).await;
        let listed = back["reenabled"].as_array().expect("a list");
        assert_eq!(listed.len(), 1, "{back}");
        assert_eq!(listed[0]["user_id"], json!(stranger.id));
        assert_eq!(listed[0]["email"], STRANGER);
        assert_eq!(
            listed[0]["offboarded_because"],
            "disabled in Microsoft Entra"
        );
        assert!(listed[0]["reenabled_at"].is_string(), "{back}");
        let (_, still) = app
            .get_json(&format!("/api/v1/users/{}", stranger.id), &admin.token)
            .await;
        assert_eq!(still["active"], false, "the sync never reactivates");

        // Disabled again before the admin got to it: reactivation is refused, with the reason.
        assert!(entra.set_account_enabled(STRANGER_OBJECT_ID, false));
        let reactivate = json!({ "active": true });
        let path = format!("/api/v1/users/{}", stranger.id);
        let refused = patch_json(&app, &path, &admin.token, &reactivate).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let problem: Value = refused.json().await.unwrap();
        assert_eq!(
            problem["errors"][0]["code"], "disabled_in_directory",
            "{problem}"
        );
        let relisted = sync_now(&app, &admin.token).await;
        assert_eq!(
            relisted["reenabled"],
            json!([]),
            "disabled again: {relisted}"
        );

        assert!(entra.set_account_enabled(STRANGER_OBJECT_ID, true));
        sync_now(&app, &admin.token).await;
        let reactivated = patch_json(&app, &path, &admin.token, &reactivate).await;
        assert_eq!(reactivated.status(), StatusCode::OK);
        let (_, settings) = app.get_json(SETTINGS, &admin.token).await;
        assert_eq!(settings["reenabled"], json!([]), "{settings}");
        assert_eq!(app.login(STRANGER, PASSWORD).await.status(), StatusCode::OK);
    }
);

microsoft_test!(
    someone_of_the_directory_signing_in_with_microsoft_is_onboarded_as_a_technician,
    |app, microsoft| async move {
        let admin = authorised(&app, &microsoft, "Onboarding Reseller").await;
        // While the source is local, the directory's people have no account here.
        let early = sign_in_as(&app, &microsoft, STRANGER).await;
        assert!(
            early.location.contains("sign_in_error=no_account"),
            "{}",
            early.location
        );
        switch_to_entra(&app, &admin).await;

        let signed_in = sign_in_as(&app, &microsoft, STRANGER).await;
        assert_eq!(signed_in.location, "/");
        let session = signed_in.session.expect("a session");
        let me = app
            .client
            .get(app.url("/api/v1/me"))
            .header(reqwest::header::COOKIE, session)
            .send()
            .await
            .unwrap();
        assert_eq!(me.status(), StatusCode::OK);
        let me: Value = me.json().await.unwrap();
        assert_eq!(me["user"]["email"], STRANGER, "{me}");

        let users = all_items(&app, "/api/v1/users", &admin.token).await;
        let onboarded = users
            .iter()
            .find(|user| user["email"] == STRANGER)
            .expect("the technician is listed");
        assert_eq!(onboarded["role"], "technician");
        assert_eq!(onboarded["source"], "entra");
        assert_eq!(onboarded["external_id"], STRANGER_OBJECT_ID);
        assert_eq!(onboarded["invitation_pending"], false, "{onboarded}");
        let audit = all_items(&app, "/api/v1/audit-log", &admin.token).await;
        assert!(
            audit.iter().any(|entry| entry["action"] == "user.onboard"
                && entry["details"]["entra_object_id"] == STRANGER_OBJECT_ID),
            "the onboarding is audited"
        );

        // Disabled in the directory: the next sign-in deactivates instead of signing in.
        assert!(
            microsoft
                .fake
                .entra()
                .set_account_enabled(STRANGER_OBJECT_ID, false)
        );
        let refused = sign_in_as(&app, &microsoft, STRANGER).await;
        assert!(
            refused
                .location
                .contains("sign_in_error=account_deactivated"),
            "{}",
            refused.location
        );
        assert!(refused.session.is_none());
    }
);
