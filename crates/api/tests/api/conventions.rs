//! Cross-cutting HTTP conventions: problem documents, body and query checks, fallbacks.

use reqwest::{Method, StatusCode, header};
use serde_json::Value;

use crate::helpers::{PASSWORD, TestApp, assert_problem, error_fields};

async fn signed_in(app: &TestApp) -> String {
    let (_, admin) = app.reseller_with_admin("Acme Reseller").await;
    app.sign_in(&admin.email, PASSWORD).await
}

db_test!(
    unreadable_request_bodies_get_problem_documents_with_a_stable_code,
    |app| async move {
        let oversized = format!(
            r#"{{"email":"{}@example.test","password":"x"}}"#,
            "a".repeat(66 * 1024)
        );
        let valid = r#"{"email":"a@example.test","password":"x"}"#.to_owned();
        let cases = [
            (
                "malformed JSON",
                Some("application/json"),
                r#"{"email":"#.to_owned(),
                StatusCode::BAD_REQUEST,
                "malformed_json",
            ),
            (
                "wrong content type",
                Some("text/plain"),
                valid.clone(),
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
            ),
            (
                "no content type",
                None,
                valid,
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
            ),
            (
                "unknown field",
                Some("application/json"),
                r#"{"email":"a@example.test","password":"x","admin":true}"#.to_owned(),
                StatusCode::BAD_REQUEST,
                "unknown_field",
            ),
            (
                "wrong field type",
                Some("application/json"),
                r#"{"email":5,"password":"x"}"#.to_owned(),
                StatusCode::BAD_REQUEST,
                "invalid_body",
            ),
            (
                "a body over 64 KiB",
                Some("application/json"),
                oversized,
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
            ),
        ];
        for (case, content_type, body, status, code) in cases {
            let mut request = app.client.post(app.url("/api/v1/auth/login")).body(body);
            if let Some(content_type) = content_type {
                request = request.header(header::CONTENT_TYPE, content_type);
            }
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), status, "{case}");
            assert_problem(response, status, code).await;
        }
    }
);

db_test!(an_unknown_api_path_is_a_404_problem, |app| async move {
    for path in [
        "/api/v1/does-not-exist",
        "/api/v2/me",
        "/api",
        "/api/v1/tenants/x/y",
    ] {
        let response = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        assert_problem(response, StatusCode::NOT_FOUND, "not_found").await;
    }
});

db_test!(
    a_wrong_method_on_an_api_route_is_a_problem_document,
    |app| async move {
        let cases = [
            (Method::DELETE, "/api/v1/me"),
            (Method::GET, "/api/v1/auth/login"),
            (Method::PUT, "/api/v1/tenants"),
            (Method::PATCH, "/api/v1/audit-log"),
        ];
        for (method, path) in cases {
            let response = app
                .client
                .request(method.clone(), app.url(path))
                .send()
                .await
                .unwrap();
            let status = response.status();
            let code = match status {
                StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
                StatusCode::NOT_FOUND => "not_found",
                other => panic!("{method} {path}: expected 405 or 404, got {other}"),
            };
            assert_problem(response, status, code).await;
        }
    }
);

db_test!(
    out_of_range_paging_is_a_422_naming_the_field,
    |app| async move {
        let token = signed_in(&app).await;
        let cases = [
            ("page=0", vec!["page"]),
            ("per_page=1000", vec!["per_page"]),
            ("per_page=0", vec!["per_page"]),
            ("page=0&per_page=101", vec!["page", "per_page"]),
        ];
        for listing in ["/api/v1/tenants", "/api/v1/api-tokens", "/api/v1/audit-log"] {
            for (query, fields) in &cases {
                let response = app.get(&format!("{listing}?{query}"), &token).await;
                let problem = assert_problem(
                    response,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "validation_failed",
                )
                .await;
                assert_eq!(&error_fields(&problem), fields, "{listing}?{query}");
            }
        }
    }
);

db_test!(an_unparsable_query_string_is_a_400, |app| async move {
    let token = signed_in(&app).await;
    for query in ["page=abc", "per_page=-1", "page=1.5", "colour=red"] {
        let response = app.get(&format!("/api/v1/tenants?{query}"), &token).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{query}");
        assert_problem(response, StatusCode::BAD_REQUEST, "invalid_query").await;
    }
});

db_test!(a_malformed_uuid_in_a_path_is_a_404, |app| async move {
    let token = signed_in(&app).await;
    let cases = [
        (Method::GET, "/api/v1/tenants/not-a-uuid"),
        (Method::GET, "/api/v1/tenants/123"),
        (Method::DELETE, "/api/v1/api-tokens/not-a-uuid"),
    ];
    for (method, path) in cases {
        let response = app
            .client
            .request(method.clone(), app.url(path))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{method} {path}");
        assert_problem(response, StatusCode::NOT_FOUND, "not_found").await;
    }
});

db_test!(
    pages_without_a_built_frontend_are_not_a_server_error,
    |app| async move {
        for path in ["/", "/customers", "/onboarding/step/3"] {
            let response = app.client.get(app.url(path)).send().await.unwrap();
            let status = response.status();
            let body = response.text().await.unwrap();
            assert_ne!(status, StatusCode::INTERNAL_SERVER_ERROR, "{path}: {body}");
            assert!(!body.is_empty(), "{path} says nothing");
        }
    }
);

db_test!(healthz_answers_200, |app| async move {
    let response = app.client.get(app.url("/healthz")).send().await.unwrap();

    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], "ok");
});

db_test!(
    the_openapi_document_is_served_as_openapi_3_1,
    |app| async move {
        let response = app
            .client
            .get(app.url("/api-docs/openapi.json"))
            .send()
            .await
            .unwrap();

        assert_eq!(response.status(), StatusCode::OK);
        let content_type = response.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(
            content_type.starts_with("application/json"),
            "{content_type}"
        );
        let served: Value = response.json().await.unwrap();
        let version = served["openapi"].as_str().expect("an openapi version");
        assert!(version.starts_with("3.1"), "{version}");
        let generated: Value =
            serde_json::from_str(&msp_api::openapi::document_json().unwrap()).unwrap();
        assert_eq!(
            served, generated,
            "the served document is the generated one"
        );
    }
);
