//! The OpenAPI document: committed, up to date, and complete.

use std::path::PathBuf;

use serde_json::Value;

const REGENERATE: &str =
    "cargo run -p msp-api --bin msp-onboarding -- openapi > api-spec/openapi.json";

fn committed_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../api-spec/openapi.json")
}

fn generated() -> String {
    msp_api::openapi::document_json().expect("the OpenAPI document serialises")
}

fn document() -> Value {
    serde_json::from_str(&generated()).expect("the OpenAPI document is JSON")
}

#[test]
fn the_committed_openapi_document_matches_the_code() {
    let path = committed_path();
    let generated = generated();
    if std::env::var("UPDATE_OPENAPI").is_ok_and(|value| value == "1") {
        std::fs::write(&path, &generated)
            .unwrap_or_else(|error| panic!("cannot write {}: {error}", path.display()));
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "api-spec/openapi.json is out of date: run `{REGENERATE}` (or UPDATE_OPENAPI=1 cargo test -p msp-api)"
    );
}

#[test]
fn every_documented_path_has_an_operation_with_responses() {
    let document = document();
    let paths = document["paths"].as_object().expect("paths");
    assert!(!paths.is_empty());
    for (path, item) in paths {
        let operations: Vec<(&String, &Value)> = item
            .as_object()
            .expect("a path item")
            .iter()
            .filter(|(method, _)| {
                ["get", "put", "post", "delete", "patch", "head", "options"]
                    .contains(&method.as_str())
            })
            .collect();
        assert!(!operations.is_empty(), "{path} has no operation");
        for (method, operation) in operations {
            let responses = operation["responses"].as_object();
            assert!(
                responses.is_some_and(|responses| !responses.is_empty()),
                "{method} {path} documents no response"
            );
        }
    }
}

#[test]
fn the_document_is_openapi_3_1_with_bearer_security_and_the_problem_schema() {
    let document = document();
    assert!(
        document["openapi"]
            .as_str()
            .is_some_and(|version| version.starts_with("3.1")),
        "{}",
        document["openapi"]
    );
    let components = &document["components"];
    assert_eq!(components["securitySchemes"]["bearer"]["type"], "http");
    assert_eq!(components["securitySchemes"]["bearer"]["scheme"], "bearer");
    assert!(components["schemas"]["Problem"].is_object());
    for path in ["/api/v1/auth/login", "/api/v1/me", "/healthz"] {
        assert!(
            document["paths"][path].is_object(),
            "{path} is not documented"
        );
    }
}
