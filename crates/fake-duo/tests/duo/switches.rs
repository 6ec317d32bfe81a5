//! The switches, from Rust and over `/_fake`, and the call log.

use super::*;

#[tokio::test]
async fn the_deny_switch_turns_an_approval_into_a_denial() {
    let app = App::start();
    app.fake.switches().set_deny(true);
    let claims = app.sign_in("approve").await;
    assert_eq!(claims["auth_result"]["result"], "deny");
}

#[tokio::test]
async fn the_latency_switch_delays_every_duo_answer_but_not_the_switches() {
    let app = App::start();
    app.fake.switches().set_latency(Duration::from_millis(400));
    let started = Instant::now();
    app.switches(json!({})).await;
    assert!(started.elapsed() < Duration::from_millis(400));
    let started = Instant::now();
    let assertion = app.assertion(DEMO_CLIENT_SECRET, "/oauth/v1/health_check");
    assert_eq!(
        app.health_check(DEMO_CLIENT_ID, &assertion).await["stat"],
        "OK"
    );
    assert!(started.elapsed() >= Duration::from_millis(400));
}

#[tokio::test]
async fn the_unreachable_switch_cuts_the_connection_without_an_http_answer() {
    let app = App::start();
    app.fake.switches().set_unreachable(true);
    let assertion = app.assertion(DEMO_CLIENT_SECRET, "/oauth/v1/health_check");
    let pairs = encoded(&[
        ("client_id", DEMO_CLIENT_ID),
        ("client_assertion", &assertion),
    ]);
    let outcome = app
        .http
        .post(app.url("/oauth/v1/health_check"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(pairs)
        .send()
        .await;
    let error = outcome.expect_err("an unreachable Duo answered");
    assert!(!error.is_status() && !error.is_timeout(), "{error:?}");
    // The control endpoint still answers, and Duo comes back when the switch goes off.
    assert!(app.switches(json!({"unreachable": false})).await == SwitchSettings::default());
    let assertion = app.assertion(DEMO_CLIENT_SECRET, "/oauth/v1/health_check");
    assert_eq!(
        app.health_check(DEMO_CLIENT_ID, &assertion).await["stat"],
        "OK"
    );
    assert_eq!(app.fake.calls()[0].outcome, CallOutcome::Cut);
}

#[tokio::test]
async fn the_wrong_signature_switch_signs_id_tokens_that_do_not_verify() {
    let app = App::start();
    app.fake.switches().set_wrong_signature(true);
    let code = app.press(&app.request_claims(), "approve").await["duo_code"].clone();
    let answer: Value = app
        .exchange(&code, REDIRECT_URI)
        .await
        .json()
        .await
        .unwrap();
    let verified = app.verify(answer["id_token"].as_str().unwrap());
    assert!(verified.is_err(), "{verified:?}");
}

#[tokio::test]
async fn the_switches_are_read_and_set_over_http() {
    let app = App::start();
    let response = app
        .http
        .get(app.url("/_fake/switches"))
        .send()
        .await
        .unwrap();
    let settings: Value = response.json().await.unwrap();
    assert_eq!(
        settings,
        json!({"deny": false, "latency_ms": 0, "unreachable": false, "wrong_signature": false})
    );
    let changed = app.switches(json!({"deny": true, "latency_ms": 5})).await;
    assert_eq!(
        changed,
        SwitchSettings {
            deny: true,
            latency_ms: 5,
            ..SwitchSettings::default()
        }
    );
    assert!(app.fake.switches().deny());
    let typo = app
        .http
        .post(app.url("/_fake/switches"))
        .json(&json!({"denied": true}));
    assert_eq!(typo.send().await.unwrap().status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_calls_are_recorded_in_order() {
    let app = App::start();
    let assertion = app.assertion(DEMO_CLIENT_SECRET, "/oauth/v1/health_check");
    app.health_check(DEMO_CLIENT_ID, &assertion).await;
    app.sign_in("approve").await;
    let call = |endpoint, outcome| DuoCall {
        endpoint,
        client_id: DEMO_CLIENT_ID.to_owned(),
        outcome,
    };
    assert_eq!(
        app.fake.calls(),
        vec![
            call("health_check", CallOutcome::Answered),
            call("authorize", CallOutcome::Answered),
            call("authorize/decision", CallOutcome::Approved),
            call("token", CallOutcome::Answered),
        ]
    );
    let over_http: Value = app
        .http
        .get(app.url("/_fake/calls"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(over_http[2]["outcome"]["kind"], "approved");
}
