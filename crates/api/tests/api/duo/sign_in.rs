//! Duo as the second factor, end to end against the fake Duo over HTTPS: the password step hands
//! over to Duo's prompt and back; a deny, a forged or replayed callback, a token that does not
//! verify and a Duo that does not answer all refuse (fail closed), and recovery codes still work.

use std::time::Duration;

use msp_fake_duo::CallOutcome;
use reqwest::{StatusCode, header};
use serde_json::{Value, json};

use super::{
    settings::actions,
    support::{
        DUO_TIMEOUT_SECS, add_duo, answer_prompt, begin_sign_in, come_back, link_duo, linked_team,
        password_step, sign_in_with_duo, start,
    },
};
use crate::{
    business::patch_json,
    helpers::{PASSWORD, all_items, assert_problem},
    technicians::support::{login_totp, team},
};

const TECH: &str = "tech@acme-reseller.test";

fn session_header(session: &str) -> (header::HeaderName, String) {
    (header::COOKIE, session.to_owned())
}

duo_test!(
    a_linked_technician_signs_in_through_duos_prompt,
    |app, duo| async move {
        let team = linked_team(&app, &duo).await;
        let (_, methods) = password_step(&app, TECH).await;
        assert_eq!(methods, ["duo", "recovery_code"]);
        let before = duo.fake.calls().len();
        let returned = sign_in_with_duo(&app, &duo, TECH, "approve").await;
        assert_eq!(returned.location, "/");
        let session = returned.session.expect("a session cookie");
        let (name, value) = session_header(&session);
        let me: Value = app
            .client
            .get(app.url("/api/v1/me"))
            .header(name, value)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(me["user"]["email"], TECH);
        assert_eq!(me["duo_linked"], true);
        let endpoints: Vec<_> = duo.fake.calls()[before..]
            .iter()
            .map(|call| call.endpoint)
            .collect();
        assert_eq!(
            endpoints,
            ["health_check", "authorize", "authorize/decision", "token"]
        );
        let audit = all_items(&app, "/api/v1/audit-log", &team.admin_token).await;
        let sign_in = audit
            .iter()
            .find(|entry| {
                entry["action"] == "auth.login" && entry["details"]["second_factor"] == "duo"
            })
            .expect("the Duo sign-in is audited");
        assert_eq!(sign_in["target"], format!("user:{}", team.technician.id));
    }
);

duo_test!(
    a_denied_push_refuses_the_sign_in_with_its_reason,
    |app, duo| async move {
        linked_team(&app, &duo).await;
        let denied = sign_in_with_duo(&app, &duo, TECH, "deny").await;
        assert_eq!(denied.location, "/?sign_in_error=duo_denied");
        assert!(denied.session.is_none());
        duo.fake.switches().set_deny(true);
        let denied = sign_in_with_duo(&app, &duo, TECH, "approve").await;
        assert_eq!(denied.location, "/?sign_in_error=duo_denied");
        assert!(denied.session.is_none());
    }
);

duo_test!(
    an_id_token_that_does_not_verify_refuses_the_sign_in,
    |app, duo| async move {
        linked_team(&app, &duo).await;
        duo.fake.switches().set_wrong_signature(true);
        let refused = sign_in_with_duo(&app, &duo, TECH, "approve").await;
        assert_eq!(refused.location, "/?sign_in_error=duo_invalid");
        assert!(refused.session.is_none());
    }
);

duo_test!(
    a_forged_state_a_missing_cookie_or_a_replayed_code_is_refused,
    |app, duo| async move {
        linked_team(&app, &duo).await;
        let (mfa_token, _) = password_step(&app, TECH).await;
        let (_, started, _) = start(begin_sign_in(&app, &mfa_token).await).await;
        let (pending, redirect_url) = started.unwrap();
        let callback = answer_prompt(&duo, &redirect_url, "approve").await;

        let forged = callback.replace("state=", "state=forged");
        assert_eq!(
            come_back(&app, &forged, &pending).await.location,
            "/?sign_in_error=duo_expired"
        );
        assert_eq!(
            come_back(&app, &callback, "msp_duo=not-a-signed-state")
                .await
                .location,
            "/?sign_in_error=duo_expired"
        );
        let first = come_back(&app, &callback, &pending).await;
        assert_eq!(first.location, "/");
        let replayed = come_back(&app, &callback, &pending).await;
        assert_eq!(replayed.location, "/?sign_in_error=duo_invalid");
        assert!(replayed.session.is_none());
        let refused_codes = duo
            .fake
            .calls()
            .iter()
            .filter(|call| {
                call.endpoint == "token" && matches!(call.outcome, CallOutcome::Refused(_))
            })
            .count();
        assert_eq!(
            refused_codes, 1,
            "the replay reached Duo and was refused there"
        );
    }
);

duo_test!(
    duo_not_answering_fails_closed_and_a_recovery_code_still_signs_in,
    |app, duo| async move {
        let team = linked_team(&app, &duo).await;
        let codes = app
            .post_json(
                "/api/v1/me/mfa/recovery-codes",
                &team.technician_token,
                &json!({}),
            )
            .await;
        assert_eq!(codes.status(), StatusCode::OK);
        let codes: Value = codes.json().await.unwrap();
        let code = codes["recovery_codes"][0].as_str().unwrap().to_owned();

        duo.fake.switches().set_unreachable(true);
        let (mfa_token, _) = password_step(&app, TECH).await;
        let refused = begin_sign_in(&app, &mfa_token).await;
        let problem =
            assert_problem(refused, StatusCode::SERVICE_UNAVAILABLE, "duo_unreachable").await;
        assert!(
            problem["detail"]
                .as_str()
                .unwrap()
                .contains("recovery code")
        );

        let signed_in = login_totp(&app, &mfa_token, &code).await;
        assert_eq!(signed_in.status(), StatusCode::OK);
        let again = login_totp(&app, &password_step(&app, TECH).await.0, &code).await;
        assert_eq!(
            again.status(),
            StatusCode::UNAUTHORIZED,
            "a recovery code works once"
        );
    }
);

duo_test!(
    a_duo_slower_than_the_limit_fails_closed,
    |app, duo| async move {
        linked_team(&app, &duo).await;
        duo.fake
            .switches()
            .set_latency(Duration::from_millis(DUO_TIMEOUT_SECS * 1000 + 500));
        let (mfa_token, _) = password_step(&app, TECH).await;
        let refused = begin_sign_in(&app, &mfa_token).await;
        assert_problem(refused, StatusCode::SERVICE_UNAVAILABLE, "duo_unreachable").await;
    }
);

duo_test!(
    linking_duo_is_audited_and_unlinking_stops_offering_it,
    |app, duo| async move {
        let team = linked_team(&app, &duo).await;
        let me = app.me(&team.technician_token).await;
        assert_eq!(
            (me["duo_linked"].clone(), me["duo_available"].clone()),
            (json!(true), json!(true))
        );
        let audit = all_items(&app, "/api/v1/audit-log", &team.admin_token).await;
        assert_eq!(actions(&audit, "mfa.duo_link"), 1);

        let unlinked = app.delete("/api/v1/me/duo", &team.technician_token).await;
        assert_eq!(unlinked.status(), StatusCode::NO_CONTENT);
        let answer = app.login(TECH, PASSWORD).await;
        let answer: Value = answer.json().await.unwrap();
        assert!(
            answer["access_token"].is_string(),
            "no factor is due: {answer}"
        );
    }
);

duo_test!(
    a_denied_link_leaves_the_account_unlinked,
    |app, duo| async move {
        let team = team(&app).await;
        add_duo(&app, &duo, &team.admin_token).await;
        let refused = link_duo(&app, &duo, &team.technician_token, "deny").await;
        assert_eq!(refused.location, "/profile?duo_error=duo_denied");
        assert_eq!(app.me(&team.technician_token).await["duo_linked"], false);
    }
);

duo_test!(
    a_session_waiting_for_a_factor_is_completed_by_linking_duo,
    |app, duo| async move {
        let team = team(&app).await;
        add_duo(&app, &duo, &team.admin_token).await;
        let turned_on = patch_json(
            &app,
            &format!("/api/v1/users/{}", team.technician.id),
            &team.admin_token,
            &json!({ "use_mfa": true }),
        )
        .await;
        assert_eq!(turned_on.status(), StatusCode::OK);
        let enrolling = app.sign_in(TECH, PASSWORD).await;
        assert_eq!(app.me(&enrolling).await["mfa_enrolment_required"], true);
        let blocked = app.get("/api/v1/customers", &enrolling).await;
        assert_problem(blocked, StatusCode::FORBIDDEN, "mfa_enrolment_required").await;

        let linked = link_duo(&app, &duo, &enrolling, "approve").await;
        assert_eq!(linked.location, "/profile?duo=linked");
        assert_eq!(app.me(&enrolling).await["mfa_enrolment_required"], false);
        assert_eq!(
            app.get("/api/v1/customers", &enrolling).await.status(),
            StatusCode::OK
        );
        let (_, methods) = password_step(&app, TECH).await;
        assert_eq!(methods, ["duo", "recovery_code"]);
    }
);

duo_test!(
    turning_the_integration_off_stops_offering_duo_and_its_step,
    |app, duo| async move {
        let team = linked_team(&app, &duo).await;
        let (mfa_token, _) = password_step(&app, TECH).await;
        let (_, listed) = app
            .get_json("/api/v1/settings/security-integrations", &team.admin_token)
            .await;
        let path = format!(
            "/api/v1/settings/security-integrations/{}",
            listed[0]["id"].as_str().unwrap()
        );
        let off = patch_json(&app, &path, &team.admin_token, &json!({ "enabled": false })).await;
        assert_eq!(off.status(), StatusCode::OK);
        let refused = begin_sign_in(&app, &mfa_token).await;
        assert_problem(refused, StatusCode::CONFLICT, "duo_not_available").await;
        let answer: Value = app.login(TECH, PASSWORD).await.json().await.unwrap();
        assert!(answer["access_token"].is_string(), "{answer}");
        assert_eq!(app.me(&team.technician_token).await["duo_available"], false);
    }
);

duo_test!(an_admins_mfa_reset_unlinks_duo, |app, duo| async move {
    let team = linked_team(&app, &duo).await;
    let reset = app
        .delete(
            &format!("/api/v1/users/{}/mfa", team.technician.id),
            &team.admin_token,
        )
        .await;
    assert!(reset.status().is_success(), "{}", reset.status());
    let answer: Value = app.login(TECH, PASSWORD).await.json().await.unwrap();
    assert!(answer["access_token"].is_string(), "{answer}");
});

duo_test!(
    the_duo_step_needs_a_fresh_mfa_token,
    |app, duo| async move {
        linked_team(&app, &duo).await;
        let refused = begin_sign_in(&app, "not-a-token").await;
        assert_problem(refused, StatusCode::UNAUTHORIZED, "mfa_token_invalid").await;
        let access_token = app.sign_in("admin@acme-reseller.test", PASSWORD).await;
        let refused = begin_sign_in(&app, &access_token).await;
        assert_problem(refused, StatusCode::UNAUTHORIZED, "mfa_token_invalid").await;
    }
);
