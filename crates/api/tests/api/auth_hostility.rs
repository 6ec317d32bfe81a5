//! Hostile authentication: forged access tokens, revoked API tokens, and a burst of wrong
//! passwords against one account while other people keep signing in from the same address.

use std::{
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use domain::ClaimSet;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use proto::Role;
use reqwest::{StatusCode, header};
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TEST_JWT_SECRET, TestApp, assert_problem};

/// The JSON payload of a JWT, decoded without checking anything.
fn payload_of(token: &str) -> Value {
    let encoded = token.split('.').nth(1).expect("a JWT has a payload");
    let bytes = URL_SAFE_NO_PAD
        .decode(encoded)
        .expect("a base64url payload");
    serde_json::from_slice(&bytes).expect("a JSON payload")
}

fn sign(algorithm: Algorithm, secret: &str, payload: &Value) -> String {
    jsonwebtoken::encode(
        &Header::new(algorithm),
        payload,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .expect("the test can sign a token")
}

/// `payload` with `field` set to `value`.
fn changed(payload: &Value, field: &str, value: Value) -> Value {
    let mut payload = payload.clone();
    payload[field] = value;
    payload
}

fn unsigned(header: &Value, payload: &Value) -> String {
    let encode = |value: &Value| URL_SAFE_NO_PAD.encode(value.to_string());
    format!("{}.{}.", encode(header), encode(payload))
}

/// The token with its payload replaced and its original signature kept.
fn with_payload_swapped(token: &str, payload: &Value) -> String {
    let parts: Vec<&str> = token.split('.').collect();
    let payload = URL_SAFE_NO_PAD.encode(payload.to_string());
    format!("{}.{payload}.{}", parts[0], parts[2])
}

async fn assert_rejected(app: &TestApp, case: &str, token: &str) {
    let response = app.get("/api/v1/customers", token).await;
    assert_eq!(
        response.status(),
        StatusCode::UNAUTHORIZED,
        "a {case} access token must be refused"
    );
    assert_problem(response, StatusCode::UNAUTHORIZED, "unauthenticated").await;
}

db_test!(
    forged_expired_and_misaddressed_access_tokens_are_refused_with_401_problem_json,
    |app| async move {
        let (_, admin) = app.reseller_with_admin("Target Reseller").await;
        let (other_tenant, _) = app.reseller_with_admin("Other Reseller").await;
        let genuine = app.sign_in(&admin.email, PASSWORD).await;
        let claims = payload_of(&genuine);
        let now = chrono::Utc::now().timestamp();
        // Re-signing the untouched claims with the server's key must work, so that every
        // refusal below is due to the one thing each case changes.
        let control = sign(Algorithm::HS256, TEST_JWT_SECRET, &claims);
        assert_eq!(
            app.get("/api/v1/customers", &control).await.status(),
            StatusCode::OK,
            "the forging machinery reproduces a valid token"
        );

        let wrong_key = "an-attackers-own-signing-secret-0123456789abcdef";
        let cases = [
            (
                "expired",
                sign(
                    Algorithm::HS256,
                    TEST_JWT_SECRET,
                    &changed(
                        &changed(&claims, "exp", json!(now - 3600)),
                        "iat",
                        json!(now - 7200),
                    ),
                ),
            ),
            (
                "tampered (tenant moved, signature kept)",
                with_payload_swapped(&genuine, &changed(&claims, "tid", json!(other_tenant.id))),
            ),
            (
                "tampered (lifetime extended, signature kept)",
                with_payload_swapped(&genuine, &changed(&claims, "exp", json!(now + 86_400))),
            ),
            ("wrong-key", sign(Algorithm::HS256, wrong_key, &claims)),
            (
                "alg: none",
                unsigned(&json!({ "alg": "none", "typ": "JWT" }), &claims),
            ),
            (
                "alg: None with the genuine signature",
                format!(
                    "{}.{}",
                    unsigned(&json!({ "alg": "None", "typ": "JWT" }), &claims)
                        .trim_end_matches('.'),
                    genuine.rsplit('.').next().unwrap()
                ),
            ),
            (
                "other-algorithm (HS512 with the right key)",
                sign(Algorithm::HS512, TEST_JWT_SECRET, &claims),
            ),
            (
                "wrong-audience",
                sign(
                    Algorithm::HS256,
                    TEST_JWT_SECRET,
                    &changed(&claims, "aud", json!("some-other-api")),
                ),
            ),
            (
                "wrong-issuer",
                sign(
                    Algorithm::HS256,
                    TEST_JWT_SECRET,
                    &changed(&claims, "iss", json!("https://login.example.test")),
                ),
            ),
            (
                "expiry-less",
                sign(Algorithm::HS256, TEST_JWT_SECRET, &{
                    let mut payload = claims.clone();
                    payload.as_object_mut().unwrap().remove("exp");
                    payload
                }),
            ),
            ("truncated", genuine[..genuine.len() - 3].to_owned()),
        ];
        for (case, token) in &cases {
            assert_rejected(&app, case, token).await;
        }

        let (_, forged_expired) = &cases[0];
        let cookie = app
            .client
            .get(app.url("/api/v1/customers"))
            .header(header::COOKIE, format!("msp_session={forged_expired}"))
            .send()
            .await
            .unwrap();
        assert_problem(cookie, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    }
);

db_test!(
    an_api_token_revoked_by_an_admin_is_refused_on_the_very_next_request,
    |app| async move {
        let (tenant, admin) = app.reseller_with_admin("Script Reseller").await;
        let technician = app
            .create_user(
                tenant.id,
                "robot@script-reseller.test",
                Role::Technician,
                ClaimSet::all(),
            )
            .await;
        let technician_session = app.sign_in(&technician.email, PASSWORD).await;
        let created = app
            .post_json(
                "/api/v1/api-tokens",
                &technician_session,
                &json!({ "name": "nightly sync" }),
            )
            .await;
        assert_eq!(created.status(), StatusCode::CREATED);
        let created: Value = created.json().await.unwrap();
        let api_token = created["token"].as_str().unwrap().to_owned();
        // Used repeatedly first, so any cache of a recent successful look-up would be warm.
        for _ in 0..3 {
            assert_eq!(
                app.get("/api/v1/me", &api_token).await.status(),
                StatusCode::OK
            );
        }

        let admin_session = app.sign_in(&admin.email, PASSWORD).await;
        let revoked = app
            .delete(
                &format!("/api/v1/api-tokens/{}", created["id"].as_str().unwrap()),
                &admin_session,
            )
            .await;
        assert_eq!(revoked.status(), StatusCode::NO_CONTENT);

        for path in ["/api/v1/me", "/api/v1/customers", "/api/v1/api-tokens"] {
            let response = app.get(path, &api_token).await;
            assert_problem(response, StatusCode::UNAUTHORIZED, "unauthenticated").await;
        }
        let refused_create = app
            .post_json(
                "/api/v1/api-tokens",
                &api_token,
                &json!({ "name": "again" }),
            )
            .await;
        assert_problem(refused_create, StatusCode::UNAUTHORIZED, "unauthenticated").await;
        assert_eq!(
            app.get("/api/v1/me", &technician_session).await.status(),
            StatusCode::OK,
            "revoking a script's token does not sign its owner out of the web app"
        );
    }
);

const BURST_ATTEMPTS: usize = 1_000;
/// As many attempts in flight as the per-address limit: without attempts being counted before
/// the password check, every one of them would race past the account lock, be hashed (argon2,
/// 7 MiB each) and count against the address, locking out everyone behind it.
const BURST_CONCURRENCY: usize = 100;
const ACCOUNT_MAX_FAILURES: usize = 5;

/// Statuses of `BURST_ATTEMPTS` wrong-password sign-ins for `email`, `BURST_CONCURRENCY` at a
/// time; each 429 is checked to be a problem with `Retry-After`.
async fn wrong_password_burst(app: &TestApp, email: &str) -> Vec<StatusCode> {
    let next = Arc::new(AtomicUsize::new(0));
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..BURST_CONCURRENCY {
        let next = Arc::clone(&next);
        let client = app.client.clone();
        let url = app.url("/api/v1/auth/login");
        let body = json!({ "email": email, "password": "guess-from-a-password-list" });
        workers.spawn(async move {
            let mut statuses = Vec::new();
            while next.fetch_add(1, Ordering::Relaxed) < BURST_ATTEMPTS {
                let response = client.post(&url).json(&body).send().await.unwrap();
                let status = response.status();
                if status == StatusCode::TOO_MANY_REQUESTS {
                    assert!(response.headers().contains_key(header::RETRY_AFTER));
                    assert_problem(response, status, "too_many_attempts").await;
                }
                statuses.push(status);
            }
            statuses
        });
    }
    workers.join_all().await.concat()
}

/// Signs `emails` in one after another until `stop` is set; returns every status seen.
async fn keep_signing_in(
    app: &TestApp,
    emails: Vec<String>,
    stop: Arc<std::sync::atomic::AtomicBool>,
) -> Vec<(String, StatusCode)> {
    let mut seen = Vec::new();
    while !stop.load(Ordering::Relaxed) || seen.is_empty() {
        for email in &emails {
            seen.push((email.clone(), app.login(email, PASSWORD).await.status()));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    seen
}

db_test!(
    a_burst_of_a_thousand_wrong_passwords_locks_only_the_attacked_account_while_others_sign_in,
    |app| async move {
        let (tenant, victim) = app.reseller_with_admin("Attacked Reseller").await;
        let colleague = app
            .create_user(
                tenant.id,
                "colleague@attacked-reseller.test",
                Role::Technician,
                ClaimSet::all(),
            )
            .await;
        let (_, stranger) = app.reseller_with_admin("Unrelated Reseller").await;
        let app = Arc::new(app);
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let legitimate = tokio::spawn({
            let app = Arc::clone(&app);
            let stop = Arc::clone(&stop);
            let emails = vec![colleague.email.clone(), stranger.email.clone()];
            async move { keep_signing_in(&app, emails, stop).await }
        });

        let started = Instant::now();
        let statuses = wrong_password_burst(&app, &victim.email).await;
        let elapsed = started.elapsed();
        stop.store(true, Ordering::Relaxed);
        let during = legitimate.await.unwrap();

        let count =
            |wanted: StatusCode| statuses.iter().filter(|status| **status == wanted).count();
        let (refused, wrong) = (
            count(StatusCode::TOO_MANY_REQUESTS),
            count(StatusCode::UNAUTHORIZED),
        );
        eprintln!(
            "{BURST_ATTEMPTS} attempts, {BURST_CONCURRENCY} at a time: {wrong} × 401, \
             {refused} × 429 in {elapsed:?}"
        );
        assert_eq!(statuses.len(), BURST_ATTEMPTS);
        assert_eq!(
            refused + wrong,
            BURST_ATTEMPTS,
            "every attempt is a 401 or a 429, none signs in or fails otherwise"
        );
        assert_eq!(
            wrong, ACCOUNT_MAX_FAILURES,
            "only the attempts within the account limit reach the password check"
        );
        assert!(
            during.iter().all(|(_, status)| *status == StatusCode::OK),
            "other users from the same address sign in during the burst: {during:?}"
        );

        let right_password = app.login(&victim.email, PASSWORD).await;
        assert_problem(
            right_password,
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_attempts",
        )
        .await;
        for email in [&colleague.email, &stranger.email] {
            assert_eq!(
                app.login(email, PASSWORD).await.status(),
                StatusCode::OK,
                "{email} signs in after the burst"
            );
        }
    }
);

db_test!(
    a_right_password_on_the_last_allowed_attempt_still_signs_in_and_starts_the_count_afresh,
    |app| async move {
        let (_, admin) = app.reseller_with_admin("Forgetful Reseller").await;
        // Attempts are counted before the password check, so the last allowed one sets the lock
        // while it is checked; a right password must lift it.
        for _ in 0..2 {
            for attempt in 1..ACCOUNT_MAX_FAILURES {
                let response = app.login(&admin.email, "misremembered-password").await;
                assert_eq!(
                    response.status(),
                    StatusCode::UNAUTHORIZED,
                    "attempt {attempt}"
                );
            }
            let response = app.login(&admin.email, PASSWORD).await;
            assert_eq!(response.status(), StatusCode::OK);
        }
    }
);
