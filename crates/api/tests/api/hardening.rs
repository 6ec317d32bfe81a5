//! Response hardening: security headers and request IDs on every answer, CORS only for
//! configured origins, a limit on request headers.

use reqwest::StatusCode;

use crate::helpers::TestApp;

async fn head_of(app: &TestApp, path: &str) -> reqwest::Response {
    app.client
        .get(app.url(path))
        .header("Origin", "https://evil.example")
        .send()
        .await
        .expect("the request failed")
}

db_test!(
    every_response_carries_the_security_headers_and_a_request_id,
    |app| async move {
        let mut request_ids = Vec::new();
        for (path, docs) in [
            ("/healthz", false),
            ("/", false),
            ("/api/v1/me", false),
            ("/api/v1/nope", false),
            ("/api-docs/openapi.json", true),
        ] {
            let response = head_of(&app, path).await;
            let headers = response.headers();
            let policy = headers
                .get("content-security-policy")
                .and_then(|value| value.to_str().ok())
                .unwrap_or_default();
            assert!(
                policy.contains("frame-ancestors 'none'"),
                "{path}: {policy}"
            );
            assert!(policy.contains("default-src 'self'"), "{path}: {policy}");
            assert_eq!(
                policy.contains("unsafe-inline"),
                docs,
                "{path}: only the docs page allows inline code"
            );
            assert_eq!(
                headers
                    .get("x-content-type-options")
                    .map(|value| value.as_bytes()),
                Some(&b"nosniff"[..]),
                "{path}"
            );
            assert_eq!(
                headers.get("referrer-policy").map(|value| value.as_bytes()),
                Some(&b"no-referrer"[..]),
                "{path}"
            );
            assert_eq!(
                headers.get("x-frame-options").map(|value| value.as_bytes()),
                Some(&b"DENY"[..]),
                "{path}"
            );
            assert!(
                headers.get("access-control-allow-origin").is_none(),
                "{path}: no CORS unless configured"
            );
            let request_id = headers
                .get("x-request-id")
                .and_then(|value| value.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            assert!(!request_id.is_empty(), "{path}: a request ID");
            request_ids.push(request_id);
        }
        request_ids.sort();
        request_ids.dedup();
        assert_eq!(request_ids.len(), 5, "each request has its own ID");
    }
);

db_test!(
    the_web_app_policy_allows_webassembly_but_no_other_origin,
    |app| async move {
        let response = head_of(&app, "/").await;
        assert_ne!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let policy = response.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(
            policy.contains("script-src 'self' 'wasm-unsafe-eval'"),
            "{policy}"
        );
        assert!(
            !policy.contains("http"),
            "no external origin is allowed: {policy}"
        );
    }
);

/// A configured origin's pages may call the API; any other origin still gets no CORS headers.
#[tokio::test]
async fn a_configured_origin_gets_cors_answers_and_other_origins_none() {
    let options = crate::helpers::AppOptions {
        cors_allowed_origins: vec!["https://portal.example".to_owned()],
        ..Default::default()
    };
    crate::helpers::run_db_test(
        crate::helpers::Backend::Sqlite,
        concat!(module_path!(), "::cors"),
        options,
        |app| async move {
            let preflight = app
                .client
                .request(reqwest::Method::OPTIONS, app.url("/api/v1/customers"))
                .header("Origin", "https://portal.example")
                .header("Access-Control-Request-Method", "POST")
                .header(
                    "Access-Control-Request-Headers",
                    "authorization, content-type, idempotency-key",
                )
                .send()
                .await
                .unwrap();
            assert!(preflight.status().is_success(), "{}", preflight.status());
            let headers = preflight.headers();
            assert_eq!(
                headers["access-control-allow-origin"],
                "https://portal.example"
            );
            let allowed = headers["access-control-allow-headers"]
                .to_str()
                .unwrap()
                .to_lowercase();
            assert!(allowed.contains("idempotency-key"), "{allowed}");
            assert!(headers.get("access-control-allow-credentials").is_none());

            let answer = head_of(&app, "/healthz").await;
            assert!(
                answer
                    .headers()
                    .get("access-control-allow-origin")
                    .is_none()
            );
            let allowed_origin = app
                .client
                .get(app.url("/healthz"))
                .header("Origin", "https://portal.example")
                .send()
                .await
                .unwrap();
            assert_eq!(
                allowed_origin.headers()["access-control-allow-origin"],
                "https://portal.example"
            );
            let exposed = allowed_origin.headers()["access-control-expose-headers"]
                .to_str()
                .unwrap()
                .to_lowercase();
            assert!(exposed.contains("x-request-id"), "{exposed}");
        },
    )
    .await;
}

db_test!(
    an_oversized_request_header_is_refused_before_any_handler_runs,
    |app| async move {
        let response = app
            .client
            .get(app.url("/api/v1/me"))
            .header("X-Padding", "a".repeat(40 * 1024))
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE
        );
    }
);

db_test!(
    api_answers_are_never_cached_and_no_hsts_is_sent_over_plain_http,
    |app| async move {
        let (_, admin) = app.reseller_with_admin("Acme Reseller").await;
        let token = app.sign_in(&admin.email, crate::helpers::PASSWORD).await;
        for response in [
            app.get("/api/v1/me", &token).await,
            app.get("/api/v1/customers", "not-a-token").await,
        ] {
            assert_eq!(response.headers().get("cache-control").unwrap(), "no-store");
            assert!(
                response
                    .headers()
                    .get("strict-transport-security")
                    .is_none()
            );
        }
    }
);

/// Behind HTTPS (`--cookie-secure`), browsers are told to keep to HTTPS.
#[tokio::test]
async fn behind_https_every_answer_carries_hsts() {
    let options = crate::helpers::AppOptions {
        cookie_secure: true,
        ..Default::default()
    };
    crate::helpers::run_db_test(
        crate::helpers::Backend::Sqlite,
        concat!(module_path!(), "::hsts"),
        options,
        |app| async move {
            for path in ["/healthz", "/api/v1/me", "/"] {
                let response = app.client.get(app.url(path)).send().await.unwrap();
                assert_eq!(
                    response.headers().get("strict-transport-security").unwrap(),
                    "max-age=31536000",
                    "{path}"
                );
            }
        },
    )
    .await;
}

/// The source address of the newest `auth.login` audit entry after a sign-in that claims to be
/// forwarded for 203.0.113.7.
async fn login_address_seen(app: &crate::helpers::TestApp) -> String {
    let (_, admin) = app.reseller_with_admin("Proxy Reseller").await;
    let login = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header("X-Forwarded-For", "203.0.113.7")
        .json(&serde_json::json!({ "email": admin.email, "password": crate::helpers::PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), StatusCode::OK);
    let token = login.json::<serde_json::Value>().await.unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, audit) = app.get_json("/api/v1/audit-log", &token).await;
    audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|entry| entry["action"] == "auth.login")
        .map(|entry| entry["source_ip"].as_str().unwrap_or_default().to_owned())
        .unwrap()
}

db_test!(
    forwarding_headers_from_an_untrusted_peer_are_ignored,
    |app| async move {
        assert_eq!(login_address_seen(&app).await, "127.0.0.1");
    }
);

/// Behind a trusted proxy, the address it forwards for is the client's: in the audit log and
/// for the sign-in throttle.
#[tokio::test]
async fn a_trusted_proxy_names_the_client_address() {
    let options = crate::helpers::AppOptions {
        trusted_proxies: vec!["127.0.0.0/8".parse().unwrap()],
        ..Default::default()
    };
    crate::helpers::run_db_test(
        crate::helpers::Backend::Sqlite,
        concat!(module_path!(), "::trusted_proxy"),
        options,
        |app| async move {
            assert_eq!(login_address_seen(&app).await, "203.0.113.7");
        },
    )
    .await;
}
