//! `GET /oauth/v1/authorize` and the prompt's buttons: the page, its refusals, the redirect.

use super::*;

#[tokio::test]
async fn the_prompt_shows_the_username_and_both_buttons() {
    let app = App::start();
    let (status, page) = app
        .authorize(&sign(&app.request_claims(), DEMO_CLIENT_SECRET))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("<html lang=\"en\">"));
    assert!(page.contains("<main>") && page.contains("<h1"));
    assert!(page.contains(USER));
    assert!(
        page.contains("value=\"approve\">Approve</button>"),
        "{page}"
    );
    assert!(page.contains("value=\"deny\">Deny</button>"), "{page}");
}

#[tokio::test]
async fn a_request_signed_with_another_secret_gets_an_error_page_that_says_why() {
    let app = App::start();
    let (status, page) = app
        .authorize(&sign(&app.request_claims(), OTHER_SECRET))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("not signed with this application"), "{page}");
    assert!(!page.contains("Approve"));
}

#[tokio::test]
async fn a_request_without_state_gets_an_error_page() {
    let app = App::start();
    let mut claims = app.request_claims();
    claims.as_object_mut().unwrap().remove("state");
    let (status, page) = app.authorize(&sign(&claims, DEMO_CLIENT_SECRET)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("state"), "{page}");
}

#[tokio::test]
async fn approve_redirects_with_the_state_and_a_code_that_gives_an_allowing_id_token() {
    let app = App::start();
    let claims = app.sign_in("approve").await;
    assert_eq!(claims["preferred_username"], USER);
    assert_eq!(claims["sub"], USER);
    assert_eq!(claims["nonce"], "nonce-0123456789abcdef");
    assert_eq!(claims["auth_result"]["result"], "allow");
    assert_eq!(claims["auth_result"]["status"], "allow");
    assert_eq!(claims["auth_context"]["result"], "success");
    assert_eq!(claims["auth_context"]["user"]["name"], USER);
    assert_eq!(claims["auth_context"]["application"]["key"], DEMO_CLIENT_ID);
    assert!(claims["auth_time"].as_u64().unwrap() >= now() - 5);
}

#[tokio::test]
async fn the_redirect_carries_the_state_it_was_given() {
    let app = App::start();
    let query = app.press(&app.request_claims(), "approve").await;
    assert_eq!(query["state"], STATE);
    assert!(!query.contains_key("code"));
}

#[tokio::test]
async fn without_use_duo_code_attribute_the_redirect_names_the_code_code() {
    let app = App::start();
    let mut claims = app.request_claims();
    claims["use_duo_code_attribute"] = json!(false);
    let query = app.press(&claims, "approve").await;
    assert!(
        query.contains_key("code") && !query.contains_key("duo_code"),
        "{query:?}"
    );
}

#[tokio::test]
async fn a_request_shaped_like_duos_java_client_without_iss_and_aud_is_accepted() {
    let app = App::start();
    let mut claims = app.request_claims();
    let object = claims.as_object_mut().unwrap();
    object.remove("iss");
    object.remove("aud");
    object.insert("exp".to_owned(), json!(now() + 3600));
    let (status, page) = app.authorize(&sign(&claims, DEMO_CLIENT_SECRET)).await;
    assert_eq!(status, StatusCode::OK, "{page}");
}
