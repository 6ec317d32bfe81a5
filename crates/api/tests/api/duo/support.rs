//! What the Duo tests share: the application configured to reach the fake Duo over HTTPS, a
//! "browser" that trusts it, Demo-like admin and technician, and the round trip through Duo's
//! prompt one hop at a time.

use msp_api::config::DuoOptions;
use msp_fake_duo::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DuoFixture, FakeDuo};
use reqwest::{StatusCode, header};
use serde_json::{Value, json};

use crate::{
    helpers::{AppOptions, Backend, PASSWORD, TestApp, run_db_test},
    microsoft_sign_in::{cookie, location},
    technicians::support::{Team, team},
};

pub struct Duo {
    pub fake: FakeDuo,
    /// Trusts the fake's certificate and follows no redirect, like a browser one hop at a time.
    pub browser: reqwest::Client,
}

/// Duo's own limit in these tests: short, so that a slow Duo fails the step quickly.
pub const DUO_TIMEOUT_SECS: u64 = 2;

pub async fn run_with_duo<F, Fut>(backend: Backend, name: &str, test: F)
where
    F: FnOnce(TestApp, Duo) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    let fake = FakeDuo::start(DuoFixture::demo(), "127.0.0.1:0").unwrap();
    let certificate_dir = tempfile::tempdir().unwrap();
    let certificate = certificate_dir.path().join("fake-duo.pem");
    std::fs::write(&certificate, fake.certificate_pem()).unwrap();
    let options = AppOptions {
        duo: Some(DuoOptions {
            duo_extra_hosts: vec![fake.api_hostname().to_owned()],
            duo_root_certificate: Some(certificate),
            duo_timeout_secs: DUO_TIMEOUT_SECS,
        }),
        ..AppOptions::default()
    };
    let browser = crate::helpers::browser_trusting(fake.certificate_pem());
    run_db_test(backend, name, options, move |app| async move {
        let _keep = certificate_dir;
        test(app, Duo { fake, browser }).await;
    })
    .await;
}

macro_rules! duo_test {
    ($name:ident, |$app:ident, $duo:ident| $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test]
            async fn on_sqlite() {
                crate::duo::support::run_with_duo(
                    crate::helpers::Backend::Sqlite,
                    concat!(module_path!(), "::on_sqlite"),
                    |$app, $duo| $body,
                )
                .await;
            }

            #[tokio::test]
            async fn on_postgres() {
                crate::duo::support::run_with_duo(
                    crate::helpers::Backend::Postgres,
                    concat!(module_path!(), "::on_postgres"),
                    |$app, $duo| $body,
                )
                .await;
            }
        }
    };
}

/// The integration an admin types for the fake Duo, with `changes` over the right values.
pub fn duo_form(duo: &Duo, changes: Value) -> Value {
    let mut form = json!({
        "kind": "duo_web_sdk",
        "name": "Duo",
        "client_id": DEMO_CLIENT_ID,
        "client_secret": DEMO_CLIENT_SECRET,
        "api_hostname": duo.fake.api_hostname(),
    });
    if let (Some(form), Some(changes)) = (form.as_object_mut(), changes.as_object()) {
        form.extend(changes.clone());
    }
    form
}

/// Adds the fake Duo as the admin's tenant's integration; returns it.
pub async fn add_duo(app: &TestApp, duo: &Duo, admin_token: &str) -> Value {
    let response = app
        .post_json(
            "/api/v1/settings/security-integrations",
            admin_token,
            &duo_form(duo, json!({})),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.unwrap()
}

/// Where the app sent the browser after Duo, and the cookies it set.
pub struct Returned {
    pub location: String,
    pub session: Option<String>,
}

/// Answers Duo's prompt at `redirect_url` with `decision` ("approve" or "deny") and returns
/// the path of the app's callback Duo redirects to.
pub async fn answer_prompt(duo: &Duo, redirect_url: &str, decision: &str) -> String {
    let page = duo.browser.get(redirect_url).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    let txid = html
        .split("name=\"txid\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("the prompt has a transaction: {html}"))
        .to_owned();
    let decided = duo
        .browser
        .post(format!(
            "{}/oauth/v1/authorize/decision",
            duo.fake.base_url()
        ))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(format!("txid={txid}&decision={decision}"))
        .send()
        .await
        .unwrap();
    assert_eq!(decided.status(), StatusCode::FOUND);
    let back = location(&decided);
    let path_start = back
        .find("/api/v1/auth/duo/callback")
        .unwrap_or_else(|| panic!("Duo sends the browser back to the app: {back}"));
    back[path_start..].to_owned()
}

/// Starts a Duo round trip with `POST path` (the sign-in's or the link's) as `request` builds it;
/// returns the answer, and the pending cookie and Duo's URL when it was 200.
pub async fn start(response: reqwest::Response) -> (StatusCode, Option<(String, String)>, Value) {
    let status = response.status();
    let pending = cookie(&response, "msp_duo");
    let body: Value = response.json().await.unwrap();
    let started = match (status, pending) {
        (StatusCode::OK, Some(pending)) => {
            Some((pending, body["redirect_url"].as_str().unwrap().to_owned()))
        }
        _ => None,
    };
    (status, started, body)
}

/// Follows Duo's redirect back into the app with the pending cookie.
pub async fn come_back(app: &TestApp, callback: &str, pending: &str) -> Returned {
    let finished = app
        .client
        .get(app.url(callback))
        .header(header::COOKIE, pending)
        .send()
        .await
        .unwrap();
    assert_eq!(finished.status(), StatusCode::FOUND);
    Returned {
        location: location(&finished),
        session: cookie(&finished, "msp_session"),
    }
}

/// `POST /auth/login/duo` with an `mfa_token`.
pub async fn begin_sign_in(app: &TestApp, mfa_token: &str) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/auth/login/duo"))
        .json(&json!({ "mfa_token": mfa_token }))
        .send()
        .await
        .unwrap()
}

/// The `mfa_token` of a password step that asks for a second factor, and its methods.
pub async fn password_step(app: &TestApp, email: &str) -> (String, Vec<String>) {
    let response = app.login(email, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["mfa_required"], true, "{body}");
    let methods = body["methods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|method| method.as_str().unwrap().to_owned())
        .collect();
    (body["mfa_token"].as_str().unwrap().to_owned(), methods)
}

/// Signs `email` in with its password and Duo's prompt answered with `decision`.
pub async fn sign_in_with_duo(app: &TestApp, duo: &Duo, email: &str, decision: &str) -> Returned {
    let (mfa_token, methods) = password_step(app, email).await;
    assert!(methods.contains(&"duo".to_owned()), "{methods:?}");
    let (status, started, body) = start(begin_sign_in(app, &mfa_token).await).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (pending, redirect_url) = started.unwrap();
    let callback = answer_prompt(duo, &redirect_url, decision).await;
    come_back(app, &callback, &pending).await
}

/// "Link Duo" as the bearer of `token`, Duo's prompt answered with `decision`.
pub async fn link_duo(app: &TestApp, duo: &Duo, token: &str, decision: &str) -> Returned {
    let (status, started, body) =
        start(app.post_json("/api/v1/me/duo", token, &json!({})).await).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (pending, redirect_url) = started.unwrap();
    let callback = answer_prompt(duo, &redirect_url, decision).await;
    come_back(app, &callback, &pending).await
}

/// An admin and a technician of one reseller with the fake Duo added, the technician linked.
pub async fn linked_team(app: &TestApp, duo: &Duo) -> Team {
    let team = team(app).await;
    add_duo(app, duo, &team.admin_token).await;
    let linked = link_duo(app, duo, &team.technician_token, "approve").await;
    assert_eq!(linked.location, "/profile?duo=linked");
    team
}
