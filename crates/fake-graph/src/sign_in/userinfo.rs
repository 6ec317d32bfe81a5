//! UserInfo and sign-out.

use actix_web::{
    HttpRequest, HttpResponse,
    http::{StatusCode, header},
    web,
};
use serde::Deserialize;
use serde_json::json;
use url::Url;

use crate::server::FakeState;

use super::*;

/// `GET`/`POST /oidc/userinfo` with a token from the authorization code grant, as Graph answers.
pub(crate) async fn userinfo(state: web::Data<FakeState>, request: HttpRequest) -> HttpResponse {
    tokio::time::sleep(state.faults.latency()).await;
    let bearer = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "));
    let now = now_secs();
    let known = bearer.and_then(|token| {
        let tokens = state.sign_in.user_tokens.lock().ok()?;
        let token = tokens.get(token).filter(|token| token.expires_at > now)?;
        let account = state.fixture.sign_in.accounts.get(token.account)?;
        Some((
            account.clone(),
            token.client_id.clone(),
            token.scopes.clone(),
        ))
    });
    let Some((account, client_id, scopes)) = known else {
        return HttpResponse::Unauthorized().json(json!({
            "error": {
                "code": "InvalidAuthenticationToken",
                "message": "Access token validation failure.",
            }
        }));
    };
    let mut answer = serde_json::Map::new();
    answer.insert(
        "sub".to_owned(),
        json!(pairwise_subject(&account, &client_id)),
    );
    if scopes.contains(&"profile") {
        answer.insert("name".to_owned(), json!(account.display_name));
    }
    if scopes.contains(&"email") {
        answer.insert("email".to_owned(), json!(account.user_principal_name));
    }
    HttpResponse::Ok().json(answer)
}

#[derive(Deserialize)]
pub(crate) struct LogoutQuery {
    post_logout_redirect_uri: Option<String>,
    state: Option<String>,
}

/// `GET /{tenant}/oauth2/v2.0/logout`: there is no session to end, so it only sends the browser
/// back to a registered `post_logout_redirect_uri`, or says the user is signed out.
pub(crate) async fn logout(
    state: web::Data<FakeState>,
    query: web::Query<LogoutQuery>,
) -> HttpResponse {
    tokio::time::sleep(state.faults.latency()).await;
    let target = query
        .post_logout_redirect_uri
        .as_deref()
        .and_then(|uri| Url::parse(uri).ok())
        .filter(|uri| redirect_uri_registered(&state.fixture.sign_in.redirect_uris, uri));
    match target {
        Some(mut target) => {
            if let Some(logout_state) = query.state.as_deref() {
                target.query_pairs_mut().append_pair("state", logout_state);
            }
            HttpResponse::Found()
                .insert_header((header::LOCATION, target.as_str()))
                .finish()
        }
        None => html_page(
            StatusCode::OK,
            "<h1>You signed out of your account</h1>\
             <p>It\u{2019}s a good idea to close all browser windows.</p>",
            None,
        ),
    }
}
