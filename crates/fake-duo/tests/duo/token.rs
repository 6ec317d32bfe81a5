//! `POST /oauth/v1/token`: the ID token a code gives, and the exchanges Duo refuses.

use super::*;

#[tokio::test]
async fn deny_gives_an_id_token_whose_auth_result_is_deny() {
    let app = App::start();
    let claims = app.sign_in("deny").await;
    assert_eq!(claims["auth_result"]["result"], "deny");
    assert_eq!(claims["auth_result"]["status"], "deny");
    assert_eq!(claims["auth_result"]["status_msg"], "Login request denied.");
    assert_eq!(claims["auth_context"]["result"], "denied");
}

#[tokio::test]
async fn a_code_is_good_for_one_exchange() {
    let app = App::start();
    let code = app.press(&app.request_claims(), "approve").await["duo_code"].clone();
    assert_eq!(
        app.exchange(&code, REDIRECT_URI).await.status(),
        StatusCode::OK
    );
    let again = app.exchange(&code, REDIRECT_URI).await;
    assert_eq!(again.status(), StatusCode::BAD_REQUEST);
    let error: Value = again.json().await.unwrap();
    assert_eq!(error["error"], "invalid_grant");
}

#[tokio::test]
async fn a_code_exchanged_for_another_redirect_uri_is_refused() {
    let app = App::start();
    let code = app.press(&app.request_claims(), "approve").await["duo_code"].clone();
    let response = app
        .exchange(&code, "https://app.example.test/elsewhere")
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let error: Value = response.json().await.unwrap();
    assert_eq!(error["error"], "invalid_grant");
}

#[tokio::test]
async fn a_token_request_with_a_wrong_secret_is_invalid_client() {
    let app = App::start();
    let code = app.press(&app.request_claims(), "approve").await["duo_code"].clone();
    let assertion = app.assertion(OTHER_SECRET, "/oauth/v1/token");
    let pairs = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", REDIRECT_URI),
        ("client_id", DEMO_CLIENT_ID),
        (
            "client_assertion_type",
            "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        ),
        ("client_assertion", assertion.as_str()),
    ];
    let response = app.post("/oauth/v1/token", &pairs).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let error: Value = response.json().await.unwrap();
    assert_eq!(error["error"], "invalid_client");
}

#[tokio::test]
async fn token_parameters_in_the_query_string_as_duos_python_client_sends_them_are_read() {
    let app = App::start();
    let code = app.press(&app.request_claims(), "approve").await["duo_code"].clone();
    let assertion = app.assertion(DEMO_CLIENT_SECRET, "/oauth/v1/token");
    let query = encoded(&[
        ("grant_type", "authorization_code"),
        ("code", &code),
        ("redirect_uri", REDIRECT_URI),
        // Duo's Java client sends no client_id: the assertion's issuer names the application.
        (
            "client_assertion_type",
            "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        ),
        ("client_assertion", &assertion),
    ]);
    let response = app
        .http
        .post(app.url(&format!("/oauth/v1/token?{query}")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_nonce_in_the_query_as_duos_python_client_sends_it_reaches_the_id_token() {
    let app = App::start();
    let mut claims = app.request_claims();
    claims.as_object_mut().unwrap().remove("nonce");
    let query = encoded(&[
        ("response_type", "code"),
        ("client_id", DEMO_CLIENT_ID),
        ("request", &sign(&claims, DEMO_CLIENT_SECRET)),
        ("nonce", "query-nonce-0123456789"),
    ]);
    let url = app.url(&format!("/oauth/v1/authorize?{query}"));
    let page = app
        .http
        .get(url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let transaction = transaction_of(&page);
    let pairs = [("txid", transaction.as_str()), ("decision", "approve")];
    let code =
        callback(&app.post("/oauth/v1/authorize/decision", &pairs).await)["duo_code"].clone();
    let answer: Value = app
        .exchange(&code, REDIRECT_URI)
        .await
        .json()
        .await
        .unwrap();
    let claims = app.verify(answer["id_token"].as_str().unwrap()).unwrap();
    assert_eq!(claims["nonce"], "query-nonce-0123456789");
}
