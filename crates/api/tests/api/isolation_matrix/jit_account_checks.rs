//! The checks of just-in-time accounts and LAPS (SPEC §16): only those who may go into the
//! customer tenant (its own MSP's admins and delegated technicians; not a distributor above the
//! MSP) list, request or end its accounts or read its devices; anyone else is told the customer
//! does not exist, and an account of the owner's is left as it was. (No Entra app is configured
//! in this matrix; `jit_accounts` tests the rest against the fake Entra.)

use chrono::{Duration, Utc};
use entity::jit_account;
use reqwest::{Method, StatusCode};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
use serde_json::json;
use uuid::Uuid;

use super::{
    Op,
    parties::{Party, assert_denied, assert_no_leak, expect, get},
};
use crate::helpers::TestApp;

/// An active account of `owner`'s customer, as the request would have stored it.
async fn owners_account(app: &TestApp, owner: &Party) -> Uuid {
    let id = Uuid::new_v4();
    let now = Utc::now();
    jit_account::ActiveModel {
        id: Set(id),
        reseller_id: Set(owner.tenant.id),
        customer_id: Set(Some(owner.customer_id().parse().unwrap())),
        technician_id: Set(Uuid::new_v4()),
        technician_email: Set(owner.admin.email.clone()),
        entra_tenant_id: Set("3b9e4c1a-7d2f-4e8b-a6c5-0f1e2d3c4b5a".to_owned()),
        user_principal_name: Set(format!("msp-probe-{}@woodgrovebank.test", id.simple())),
        object_id: Set(Some(Uuid::new_v4().to_string())),
        roles: Set("[]".to_owned()),
        state: Set("active".to_owned()),
        created_at: Set(now),
        expires_at: Set(now + Duration::days(1)),
        ended_by: Set(None),
        teardown_step: Set(None),
        last_error: Set(None),
        last_attempt_at: Set(None),
    }
    .insert(&app.db)
    .await
    .unwrap();
    id
}

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
            let id = owners_account(app, owner).await;
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
