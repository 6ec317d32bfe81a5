//! The checks of going into a customer tenant (SPEC §15): only the customer's own MSP goes in;
//! an ancestor (the distributor) and every other tenant are told it does not exist, by ID, by
//! address and in the listing.

use reqwest::{Method, StatusCode};
use serde_json::json;

use super::{
    Op,
    parties::{Party, assert_denied, assert_no_leak, call, expect, get},
};
use crate::helpers::{TestApp, all_items};

pub async fn check(app: &TestApp, op: Op, owner: &Party, caller: &Party) {
    let token = caller.token.as_str();
    let leak = |context: &str, text: &str| assert_no_leak(context, text, owner, caller);
    let id = owner.customer_id();
    match op {
        Op::OpenCustomerTenant => {
            let path = format!("/api/v1/customers/{id}/open");
            assert_denied(app, (Method::POST, &path), Some(&json!({})), owner, caller).await;
        }
        Op::FindCustomerTenant => {
            // The owner's own address for its customer (or its own name for a party without).
            let address = match &owner.customer {
                Some(_) => {
                    let path = format!("/api/v1/customers/{id}");
                    let found = expect(app, get(&path), &owner.token, None, StatusCode::OK).await;
                    found["address"].as_str().unwrap().to_owned()
                }
                None => domain::msp_label(&owner.tenant.name).as_str().to_owned(),
            };
            let path = format!("/api/v1/customer-tenants/{address}");
            assert_denied(app, get(&path), None, owner, caller).await;
        }
        Op::ListCustomerTenants => {
            let listed = all_items(app, "/api/v1/customer-tenants", token).await;
            let text = serde_json::Value::Array(listed).to_string();
            leak("GET /api/v1/customer-tenants", &text);
            assert!(
                !text.contains(&id),
                "{}'s customer tenant listed",
                owner.label
            );
        }
        Op::LeaveCustomerTenant => {
            let (status, _, text) = call(
                app,
                Method::DELETE,
                "/api/v1/me/customer-tenant",
                Some(token),
                None,
            )
            .await;
            assert_eq!(status, StatusCode::CONFLICT, "{text}");
            leak("DELETE /api/v1/me/customer-tenant", &text);
        }
        Op::HostAddress => {
            let (status, _, text) =
                call(app, Method::GET, "/api/v1/host-address", Some(token), None).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{text}");
            leak("GET /api/v1/host-address", &text);
        }
        _ => unreachable!("not a customer tenant operation: {op:?}"),
    }
}
