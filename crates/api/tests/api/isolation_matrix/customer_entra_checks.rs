//! The checks of a customer's Entra connection (SPEC §16): only the customer's own MSP sees or
//! changes it (a distributor above that MSP does not); the consent callback answers a state
//! nobody issued the same way for everyone and changes nobody's connection. (No Entra app is
//! configured in this matrix; `customer_entra` tests the rest against the fake Entra.)

use reqwest::{Method, StatusCode, header};
use serde_json::json;

use super::{
    Op,
    parties::{Party, assert_denied, assert_no_leak, expect, get},
};
use crate::helpers::TestApp;

pub async fn check(app: &TestApp, op: Op, owner: &Party, caller: &Party) {
    let connection = format!("/api/v1/customers/{}/entra-connection", owner.customer_id());
    let body = json!({ "app_name": "Probe application" });
    match op {
        Op::GetCustomerEntra => {
            assert_denied(app, get(&connection), None, owner, caller).await;
        }
        Op::PutCustomerEntra => {
            assert_denied(app, (Method::PUT, &connection), Some(&body), owner, caller).await;
            if owner.customer.is_some() {
                let own = expect(app, get(&connection), &owner.token, None, StatusCode::OK).await;
                assert_eq!(
                    own["app_name"], "Entra ID",
                    "{}'s connection is untouched",
                    owner.label
                );
            }
        }
        Op::AuthorizeCustomerEntra => {
            let path = format!("{connection}/authorize");
            assert_denied(app, (Method::POST, &path), None, owner, caller).await;
        }
        Op::CustomerEntraDomains | Op::CustomerEntraRoles => {
            let tail = match op {
                Op::CustomerEntraDomains => "domains",
                _ => "roles",
            };
            let path = format!("{connection}/{tail}");
            assert_denied(app, get(&path), None, owner, caller).await;
        }
        Op::CustomerEntraConsentCallback => {
            let browser = reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap();
            let path = "/api/v1/customer-entra/consent-callback?admin_consent=True&tenant=3b9e4c1a-7d2f-4e8b-a6c5-0f1e2d3c4b5a&state=not-issued";
            let response = browser
                .get(app.url(path))
                .bearer_auth(&caller.token)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::FOUND);
            let location = response.headers()[header::LOCATION]
                .to_str()
                .unwrap()
                .to_owned();
            assert!(
                location.starts_with("/customer-entra?consent=refused"),
                "{location}"
            );
            assert_no_leak("customer consent callback", &location, owner, caller);
            if owner.customer.is_some() {
                let own = expect(app, get(&connection), &owner.token, None, StatusCode::OK).await;
                assert_eq!(own["connection"], serde_json::Value::Null);
            }
        }
        _ => unreachable!("{op:?} is not a customer Entra operation"),
    }
}
