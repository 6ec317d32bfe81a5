//! TOTP (SPEC §12): enrolment with a confirming code, recovery codes shown once and stored
//! hashed, the two-step sign-in, no replay, failures throttled, the secret encrypted at rest,
//! forced enrolment, and an admin's reset.

use reqwest::StatusCode;
use sea_orm::EntityTrait;
use serde_json::{Value, json};

use super::support::{login_answer, login_totp, patch_user, team, totp_code};
use crate::helpers::assert_problem;

/// Enrols the bearer of `token`; returns the secret and the recovery codes.
async fn enrol(app: &crate::helpers::TestApp, token: &str) -> (String, Vec<String>) {
    let started = app
        .post_json("/api/v1/me/mfa/totp", token, &json!({}))
        .await;
    assert_eq!(started.status(), StatusCode::CREATED);
    let started: Value = started.json().await.unwrap();
    let secret = started["secret"].as_str().unwrap().to_owned();
    assert!(
        started["otpauth_url"]
            .as_str()
            .unwrap()
            .starts_with("otpauth://totp/")
    );
    assert!(started["qr_svg"].as_str().unwrap().contains("<svg"));
    let confirmed = app
        .post_json(
            "/api/v1/me/mfa/totp/confirm",
            token,
            &json!({ "code": totp_code(&secret, 0) }),
        )
        .await;
    assert_eq!(confirmed.status(), StatusCode::OK);
    let codes: Vec<String> =
        serde_json::from_value(confirmed.json::<Value>().await.unwrap()["recovery_codes"].clone())
            .unwrap();
    (secret, codes)
}

db_test!(
    an_enrolled_user_signs_in_with_a_code_in_a_second_step,
    |app| async move {
        let team = team(&app).await;
        let (secret, codes) = enrol(&app, &team.technician_token).await;
        assert_eq!(codes.len(), 10);

        let answer = login_answer(&app, &team.technician.email).await;
        assert_eq!(answer["mfa_required"], true);
        assert!(answer.get("access_token").is_none(), "{answer}");
        assert_eq!(answer["methods"], json!(["totp", "recovery_code"]));
        let mfa_token = answer["mfa_token"].as_str().unwrap();
        let as_access = app.get("/api/v1/me", mfa_token).await;
        assert_problem(as_access, StatusCode::UNAUTHORIZED, "unauthenticated").await;

        // The confirming code used this step; the next step's code is within the allowed skew.
        let signed_in = login_totp(&app, mfa_token, &totp_code(&secret, 1)).await;
        assert_eq!(signed_in.status(), StatusCode::OK);
        let body: Value = signed_in.json().await.unwrap();
        let me = app.me(body["access_token"].as_str().unwrap()).await;
        assert_eq!(me["mfa_enrolled"], true);
    }
);

db_test!(a_code_is_accepted_once, |app| async move {
    let team = team(&app).await;
    let (secret, _) = enrol(&app, &team.technician_token).await;
    let code = totp_code(&secret, 1);
    let first = login_answer(&app, &team.technician.email).await;
    assert_eq!(
        login_totp(&app, first["mfa_token"].as_str().unwrap(), &code)
            .await
            .status(),
        StatusCode::OK
    );

    let second = login_answer(&app, &team.technician.email).await;
    let replay = login_totp(&app, second["mfa_token"].as_str().unwrap(), &code).await;
    assert_problem(replay, StatusCode::UNAUTHORIZED, "wrong_code").await;
    let confirming_code_again = login_totp(
        &app,
        second["mfa_token"].as_str().unwrap(),
        &totp_code(&secret, 0),
    )
    .await;
    assert_problem(
        confirming_code_again,
        StatusCode::UNAUTHORIZED,
        "wrong_code",
    )
    .await;
});

db_test!(a_recovery_code_signs_in_once, |app| async move {
    let team = team(&app).await;
    let (_, codes) = enrol(&app, &team.technician_token).await;
    let answer = login_answer(&app, &team.technician.email).await;
    let mfa_token = answer["mfa_token"].as_str().unwrap();
    assert_eq!(
        login_totp(&app, mfa_token, &codes[3].to_uppercase())
            .await
            .status(),
        StatusCode::OK
    );
    let reused = login_totp(&app, mfa_token, &codes[3]).await;
    assert_problem(reused, StatusCode::UNAUTHORIZED, "wrong_code").await;
    let stored = entity::recovery_code::Entity::find()
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(stored.len(), 10);
    assert!(
        stored.iter().all(|row| !codes.contains(&row.code_hash)),
        "codes are stored hashed"
    );
});

db_test!(
    failed_codes_count_towards_the_sign_in_throttle,
    |app| async move {
        let team = team(&app).await;
        enrol(&app, &team.technician_token).await;
        let answer = login_answer(&app, &team.technician.email).await;
        let mfa_token = answer["mfa_token"].as_str().unwrap();
        let mut statuses = Vec::new();
        for _ in 0..6 {
            statuses.push(login_totp(&app, mfa_token, "000000").await.status());
        }
        assert_eq!(statuses[0], StatusCode::UNAUTHORIZED);
        assert_eq!(statuses[5], StatusCode::TOO_MANY_REQUESTS, "{statuses:?}");
    }
);

db_test!(
    the_totp_secret_is_encrypted_at_rest_and_never_shown_again,
    |app| async move {
        let team = team(&app).await;
        let (secret, _) = enrol(&app, &team.technician_token).await;
        let stored = entity::totp_factor::Entity::find()
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert!(!stored.secret_ciphertext.contains(&secret));
        let again = app
            .post_json("/api/v1/me/mfa/totp", &team.technician_token, &json!({}))
            .await;
        let refused = assert_problem(again, StatusCode::CONFLICT, "mfa_already_enrolled").await;
        assert!(!refused.to_string().contains(&secret));
        let me = app.me(&team.technician_token).await;
        assert!(!me.to_string().contains(&secret));
    }
);

db_test!(a_wrong_confirming_code_does_not_enrol, |app| async move {
    let team = team(&app).await;
    let started = app
        .post_json("/api/v1/me/mfa/totp", &team.technician_token, &json!({}))
        .await;
    assert_eq!(started.status(), StatusCode::CREATED);
    let wrong = app
        .post_json(
            "/api/v1/me/mfa/totp/confirm",
            &team.technician_token,
            &json!({ "code": "12345x" }),
        )
        .await;
    assert_problem(wrong, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let answer = login_answer(&app, &team.technician.email).await;
    assert!(answer["access_token"].is_string(), "not enrolled: {answer}");
});

db_test!(
    a_user_with_use_mfa_and_no_factor_must_enrol_before_anything_else,
    |app| async move {
        let team = team(&app).await;
        let on = patch_user(
            &app,
            &team.admin_token,
            team.technician.id,
            json!({ "use_mfa": true }),
        )
        .await;
        assert_eq!(on.status(), StatusCode::OK);
        let old = app.get("/api/v1/me", &team.technician_token).await;
        assert_problem(old, StatusCode::UNAUTHORIZED, "unauthenticated").await;

        let answer = login_answer(&app, &team.technician.email).await;
        assert_eq!(answer["mfa_enrolment_required"], true);
        let token = answer["access_token"].as_str().unwrap().to_owned();
        let me = app.me(&token).await;
        assert_eq!(me["mfa_enrolment_required"], true);
        for path in [
            "/api/v1/customers",
            "/api/v1/onboarding-wizard",
            "/api/v1/api-tokens",
            "/api/v1/users",
        ] {
            let blocked = app.get(path, &token).await;
            assert_problem(blocked, StatusCode::FORBIDDEN, "mfa_enrolment_required").await;
        }

        enrol(&app, &token).await;
        assert_eq!(
            app.get("/api/v1/customers", &token).await.status(),
            StatusCode::OK
        );
        assert_eq!(app.me(&token).await["mfa_enrolment_required"], false);
    }
);

db_test!(an_admin_resets_a_users_factor, |app| async move {
    let team = team(&app).await;
    enrol(&app, &team.technician_token).await;
    let tech_id = team.technician.id;
    let by_technician = app
        .delete(
            &format!("/api/v1/users/{}/mfa", team.admin.id),
            &team.technician_token,
        )
        .await;
    assert_eq!(by_technician.status(), StatusCode::FORBIDDEN);

    let reset = app
        .delete(&format!("/api/v1/users/{tech_id}/mfa"), &team.admin_token)
        .await;
    assert_eq!(reset.status(), StatusCode::OK);
    assert_eq!(reset.json::<Value>().await.unwrap()["mfa_enrolled"], false);
    let answer = login_answer(&app, &team.technician.email).await;
    assert!(answer["access_token"].is_string(), "{answer}");
    assert!(
        entity::recovery_code::Entity::find()
            .all(&app.db)
            .await
            .unwrap()
            .is_empty()
    );
});

db_test!(
    the_demo_mfa_user_signs_in_with_the_published_secret,
    demo,
    |app| async move {
        use msp_api::demo::DEMO_PASSWORD;
        let answer: Value = app
            .login("mfa@demo-reseller.test", DEMO_PASSWORD)
            .await
            .json()
            .await
            .unwrap();
        let mfa_token = answer["mfa_token"].as_str().unwrap();
        let signed_in = login_totp(&app, mfa_token, &totp_code("JBSWY3DPEHPK3PXP", 0)).await;
        assert_eq!(signed_in.status(), StatusCode::OK);

        let api_only = app
            .login("api-only@demo-reseller.test", DEMO_PASSWORD)
            .await;
        assert_problem(api_only, StatusCode::FORBIDDEN, "ui_access_disabled").await;
    }
);

db_test!(
    an_expired_or_forged_mfa_token_is_refused,
    |app| async move {
        let response = login_totp(&app, "not-a-token", "123456").await;
        assert_problem(response, StatusCode::UNAUTHORIZED, "mfa_token_invalid").await;
    }
);
