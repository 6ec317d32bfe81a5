//! The checks of just-in-time accounts and LAPS (SPEC §16): only those who may go into the
//! customer tenant (its own MSP's admins and delegated technicians; not a distributor above the
//! MSP) list, request or end its accounts or read its devices; anyone else is told the customer
//! does not exist, and an account of the owner's is left as it was. (No Entra app is configured
//! in this matrix; `jit_accounts` tests the rest against the fake Entra.)

use entity::jit_account;
use reqwest::{Method, StatusCode};
use sea_orm::EntityTrait;
use serde_json::json;
use uuid::Uuid;

use super::{
    Op,
    parties::{Party, assert_denied, assert_no_leak, expect, get},
};
use crate::helpers::TestApp;

pub async fn check(app: &TestApp, op: Op, owner: &Party, caller: &Party) {
    let customer = owner.customer_id();
    let accounts = format!("/api/v1/customers/{customer}/jit-accounts");
    let devices = format!("/api/v1/customers/{customer}/laps-devices");
    match op {
        Op::GetJitAccess => assert_denied(app, get(&accounts), None, owner, caller).await,
        Op::RequestJitAccount => {
            let body = json!({});
            assert_denied(app, (Method::POST, &accounts), Some(&body), owner, caller).await;
        }
        Op::EndJitAccount => {
            if owner.customer.is_none() {
                let path = format!("{accounts}/{}", Uuid::new_v4());
                assert_denied(app, (Method::DELETE, &path), None, owner, caller).await;
                return;
            }
            let customer_id = owner.customer_id().parse().unwrap();
            let id = crate::jit_accounts::stored_account(
                app,
                owner.tenant.id,
                customer_id,
                &owner.admin,
            )
            .await;
            let path = format!("{accounts}/{id}");
            assert_denied(app, (Method::DELETE, &path), None, owner, caller).await;
            let kept = jit_account::Entity::find_by_id(id)
                .one(&app.db)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(
                kept.state, "active",
                "{}'s account is untouched",
                owner.label
            );
            jit_account::Entity::delete_by_id(id)
                .exec(&app.db)
                .await
                .unwrap();
        }
        Op::MyJitAccounts => {
            let mine = expect(
                app,
                get("/api/v1/me/jit-accounts"),
                &caller.token,
                None,
                StatusCode::OK,
            )
            .await;
            assert_no_leak(
                "GET /api/v1/me/jit-accounts",
                &mine.to_string(),
                owner,
                caller,
            );
        }
        Op::ListLapsDevices => assert_denied(app, get(&devices), None, owner, caller).await,
        Op::RevealLapsPassword => {
            let path = format!("{devices}/WGB-LT-0142/reveal");
            assert_denied(app, (Method::POST, &path), None, owner, caller).await;
        }
        _ => unreachable!("not a just-in-time account operation: {op:?}"),
    }
}
