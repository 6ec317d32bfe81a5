//! The checks of the user source (SPEC §16): a tenant's settings, consent and sync are its own;
//! the consent callback answers a state nobody issued the same way for everyone and changes
//! nobody's settings. (No Entra app is configured in this matrix; `user_source` tests the rest
//! against the fake Entra.)

use reqwest::{Method, StatusCode, header};
use serde_json::json;

use super::{
    Op,
    parties::{Party, assert_no_leak, call, expect, get},
};
use crate::helpers::TestApp;

const SETTINGS: &str = "/api/v1/settings/user-source";

pub async fn check(app: &TestApp, op: Op, owner: &Party, caller: &Party) {
    let token = caller.token.as_str();
    let leak = |context: &str, text: &str| assert_no_leak(context, text, owner, caller);
    match op {
        Op::GetUserSource => {
            let own = expect(app, get(SETTINGS), token, None, StatusCode::OK).await;
            assert_eq!(own["source"], "local");
            leak("GET user-source", &own.to_string());
        }
        Op::PutUserSource => {
            let changed = json!({ "source": "local", "jit_prefix": "probe-" });
            let saved = expect(
                app,
                (Method::PUT, SETTINGS),
                token,
                Some(&changed),
                StatusCode::OK,
            )
            .await;
            leak("PUT user-source", &saved.to_string());
            let owners = expect(app, get(SETTINGS), &owner.token, None, StatusCode::OK).await;
            if owner.label != caller.label {
                assert_eq!(
                    owners["jit_prefix"], "msp-",
                    "{}'s prefix is untouched",
                    owner.label
                );
            }
            let restore = json!({ "source": "local" });
            expect(
                app,
                (Method::PUT, SETTINGS),
                token,
                Some(&restore),
                StatusCode::OK,
            )
            .await;
        }
        Op::AuthorizeUserSource | Op::UserSourceDomains | Op::SyncUserSource => {
            let (method, path, code) = match op {
                Op::AuthorizeUserSource => (
                    Method::POST,
                    "/api/v1/settings/user-source/authorize",
                    "entra_app_not_configured",
                ),
                Op::UserSourceDomains => (
                    Method::GET,
                    "/api/v1/settings/user-source/domains",
                    "entra_app_not_configured",
                ),
                _ => (
                    Method::POST,
                    "/api/v1/settings/user-source/sync",
                    "not_entra_source",
                ),
            };
            let (status, _, text) = call(app, method, path, Some(token), None).await;
            assert_eq!(status, StatusCode::CONFLICT, "{path}: {text}");
            assert!(text.contains(code), "{path}: {text}");
            leak(path, &text);
        }
        Op::UserSourceConsentCallback => {
            let browser = reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap();
            let path = "/api/v1/settings/user-source/consent-callback?admin_consent=True&tenant=5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f&state=not-issued";
            let response = browser
                .get(app.url(path))
                .bearer_auth(token)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::FOUND);
            let location = response.headers()[header::LOCATION]
                .to_str()
                .unwrap()
                .to_owned();
            assert!(
                location.starts_with("/user-source?consent=refused"),
                "{location}"
            );
            leak("consent callback", &location);
            let owners = expect(app, get(SETTINGS), &owner.token, None, StatusCode::OK).await;
            assert_eq!(owners["connection"], serde_json::Value::Null);
        }
        _ => unreachable!("{op:?} is not a user source operation"),
    }
}
