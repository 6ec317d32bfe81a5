//! The checks of technician groups (SPEC §15): a tenant's groups are its own, and another
//! tenant's users can be put in none of them.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::{
    Op,
    parties::{Party, assert_denied, assert_no_leak, call, expect, get, probe_name},
};
use crate::helpers::TestApp;

/// A group of the owner's, holding the owner's admin.
async fn owners_group(app: &TestApp, owner: &Party) -> Value {
    let body = json!({ "name": probe_name(), "member_ids": [owner.admin.id] });
    expect(
        app,
        (Method::POST, "/api/v1/technician-groups"),
        &owner.token,
        Some(&body),
        StatusCode::CREATED,
    )
    .await
}

pub async fn check(app: &TestApp, op: Op, owner: &Party, caller: &Party) {
    let token = caller.token.as_str();
    let group = owners_group(app, owner).await;
    let id = group["id"].as_str().unwrap();
    let path = format!("/api/v1/technician-groups/{id}");
    let leak = |context: &str, text: &str| {
        assert_no_leak(context, text, owner, caller);
        for marker in [id, group["name"].as_str().unwrap()] {
            assert!(!text.contains(marker), "{context}: {marker} in {text}");
        }
    };
    match op {
        Op::ListTechnicianGroups => {
            let listed = expect(
                app,
                get("/api/v1/technician-groups"),
                token,
                None,
                StatusCode::OK,
            )
            .await;
            leak("GET /api/v1/technician-groups", &listed.to_string());
        }
        Op::CreateTechnicianGroup => {
            // In the caller's own tenant, with the owner's admin as a member: refused.
            let body = json!({ "name": probe_name(), "member_ids": [owner.admin.id] });
            let (status, _, text) = call(
                app,
                Method::POST,
                "/api/v1/technician-groups",
                Some(token),
                Some(&body),
            )
            .await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{text}");
            leak("POST /api/v1/technician-groups", &text);
        }
        Op::GetTechnicianGroup => assert_denied(app, get(&path), None, owner, caller).await,
        Op::UpdateTechnicianGroup => {
            let body = json!({ "name": "Taken over", "member_ids": [] });
            assert_denied(app, (Method::PATCH, &path), Some(&body), owner, caller).await;
        }
        Op::DeleteTechnicianGroup => {
            assert_denied(app, (Method::DELETE, &path), None, owner, caller).await;
        }
        Op::AddTechnicianGroupMember | Op::RemoveTechnicianGroupMember => {
            let method = if matches!(op, Op::AddTechnicianGroupMember) {
                Method::PUT
            } else {
                Method::DELETE
            };
            let into_owners = format!("{path}/members/{}", caller.admin.id);
            assert_denied(app, (method.clone(), &into_owners), None, owner, caller).await;
            let removing_owner = format!("{path}/members/{}", owner.admin.id);
            assert_denied(app, (method, &removing_owner), None, owner, caller).await;
        }
        _ => unreachable!("not a technician group operation: {op:?}"),
    }
    let after = expect(app, get(&path), &owner.token, None, StatusCode::OK).await;
    assert_eq!(after, group, "{op:?} changed the owner's group");
}
