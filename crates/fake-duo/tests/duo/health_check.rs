//! `POST /oauth/v1/health_check`: OK with the client secret, Duo's `stat: FAIL` otherwise.

use super::*;

#[tokio::test]
async fn a_health_check_signed_with_the_client_secret_is_ok() {
    let app = App::start();
    let assertion = app.assertion(DEMO_CLIENT_SECRET, "/oauth/v1/health_check");
    let answer = app.health_check(DEMO_CLIENT_ID, &assertion).await;
    assert_eq!(answer["stat"], "OK");
    assert!(answer["response"]["timestamp"].as_u64().unwrap() >= now() - 5);
}

#[tokio::test]
async fn a_health_check_signed_with_another_secret_fails_with_invalid_client() {
    let app = App::start();
    let assertion = app.assertion(OTHER_SECRET, "/oauth/v1/health_check");
    let answer = app.health_check(DEMO_CLIENT_ID, &assertion).await;
    assert_eq!(answer["stat"], "FAIL");
    assert_eq!(answer["code"], 40002);
    assert_eq!(answer["message"], "invalid_client");
    assert_eq!(
        answer["message_detail"],
        "The provided client_assertion was invalid."
    );
}

#[tokio::test]
async fn a_health_check_for_an_unknown_client_fails() {
    let app = App::start();
    let assertion = app.assertion(DEMO_CLIENT_SECRET, "/oauth/v1/health_check");
    let answer = app.health_check("DIUNKNOWNUNKNOWN0000", &assertion).await;
    assert_eq!(
        (&answer["stat"], &answer["message"]),
        (&json!("FAIL"), &json!("invalid_client"))
    );
}

#[tokio::test]
async fn a_health_check_whose_assertion_names_another_endpoint_fails() {
    let app = App::start();
    let assertion = app.assertion(DEMO_CLIENT_SECRET, "/oauth/v1/token");
    let answer = app.health_check(DEMO_CLIENT_ID, &assertion).await;
    assert_eq!(answer["stat"], "FAIL");
    assert!(
        answer["message_detail"].as_str().unwrap().contains("`aud`"),
        "{answer}"
    );
}

#[tokio::test]
async fn a_health_check_with_an_expired_assertion_fails() {
    let app = App::start();
    let claims = json!({
        "iss": DEMO_CLIENT_ID, "sub": DEMO_CLIENT_ID, "jti": jti(), "exp": now() - 600,
        "aud": format!("https://{}/oauth/v1/health_check", app.fake.api_hostname()),
    });
    let answer = app
        .health_check(DEMO_CLIENT_ID, &sign(&claims, DEMO_CLIENT_SECRET))
        .await;
    assert_eq!(answer["stat"], "FAIL");
    assert!(
        answer["message_detail"].as_str().unwrap().contains("`exp`"),
        "{answer}"
    );
}
