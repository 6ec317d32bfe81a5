//! The route table: every documented operation is served, and a documented path asked with a
//! method it does not serve answers 405 with `Allow` (the document and the server are built
//! from one list, so this checks the list's two uses agree at run time too).

use reqwest::{Method, StatusCode, header};
use serde_json::Value;

use crate::helpers::assert_problem;

/// Operations that answer without a token.
const PUBLIC: [(&str, &str); 14] = [
    ("get", "/api/v1/settings/user-source/consent-callback"),
    ("get", "/api/v1/customer-entra/consent-callback"),
    ("get", "/api/v1/host-address"),
    ("get", "/api/v1/auth/providers"),
    ("post", "/api/v1/auth/login/duo"),
    ("get", "/api/v1/auth/duo/callback"),
    ("get", "/api/v1/auth/microsoft"),
    ("get", "/api/v1/auth/microsoft/callback"),
    ("get", "/readyz"),
    ("post", "/api/v1/auth/login"),
    ("post", "/api/v1/auth/login/totp"),
    ("post", "/api/v1/auth/accept-invitation"),
    ("post", "/api/v1/auth/logout"),
    ("get", "/healthz"),
];

fn documented_operations() -> Vec<(Method, String)> {
    let document: Value =
        serde_json::from_str(&msp_api::openapi::document_json().unwrap()).unwrap();
    let mut operations = Vec::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            if PUBLIC.contains(&(method.as_str(), path.as_str())) {
                continue;
            }
            let concrete = path.replace("{id}", "0b6e3c1a-2f4d-4e8a-9c7b-1d2e3f4a5b6c");
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            operations.push((method, concrete));
        }
    }
    operations
}

db_test!(
    every_documented_operation_is_served_and_asks_for_a_token,
    |app| async move {
        let operations = documented_operations();
        assert!(operations.len() >= 20, "{operations:?}");
        let client = reqwest::Client::new();
        for (method, path) in operations {
            let response = client
                .request(method.clone(), app.url(&path))
                .header(header::CONTENT_TYPE, "application/json")
                .body("{}")
                .send()
                .await
                .unwrap();
            assert_eq!(
                response.status(),
                StatusCode::UNAUTHORIZED,
                "{method} {path} is documented but not served as documented"
            );
        }
    }
);

db_test!(
    a_documented_path_asked_with_another_method_answers_405_with_allow,
    |app| async move {
        let client = reqwest::Client::new();
        for (method, path, allow) in [
            ("TRACE", "/api/v1/customers", "GET, POST"),
            ("DELETE", "/api/v1/customers", "GET, POST"),
            (
                "PUT",
                "/api/v1/customers/0b6e3c1a-2f4d-4e8a-9c7b-1d2e3f4a5b6c",
                "GET, DELETE, PATCH",
            ),
            ("HEAD", "/api/v1/me", "GET"),
            // Paths of their own beside a templated one: not `/customers/{id}` with a bad ID.
            ("PATCH", "/api/v1/customers/batch", "POST"),
            ("DELETE", "/api/v1/customers/batch", "POST"),
            ("PATCH", "/api/v1/customers/export", "GET"),
            ("POST", "/healthz", "GET"),
        ] {
            let method = Method::from_bytes(method.as_bytes()).unwrap();
            let response = client
                .request(method.clone(), app.url(path))
                .send()
                .await
                .unwrap();
            assert_eq!(
                response
                    .headers()
                    .get(header::ALLOW)
                    .map(|value| value.to_str().unwrap()),
                Some(allow),
                "{method} {path}"
            );
            if method == Method::HEAD {
                assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
            } else {
                assert_problem(
                    response,
                    StatusCode::METHOD_NOT_ALLOWED,
                    "method_not_allowed",
                )
                .await;
            }
        }
    }
);

db_test!(an_undocumented_api_path_is_a_404, |app| async move {
    let response = reqwest::Client::new()
        .get(app.url("/api/v1/no-such-thing"))
        .send()
        .await
        .unwrap();
    assert_problem(response, StatusCode::NOT_FOUND, "not_found").await;
});
