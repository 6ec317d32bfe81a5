//! The checks of the technicians' operations (SPEC §12): a caller manages the users of its own
//! tenant only, and its own password and factor; another tenant's users are never reached.

use reqwest::{Method, StatusCode};
use serde_json::json;

use super::{
    Op,
    parties::{Party, assert_denied, assert_no_leak, call, expect, get, probe_name, text_of},
};
use crate::helpers::{PASSWORD, TestApp, all_items};

pub async fn check(app: &TestApp, op: Op, owner: &Party, caller: &Party) {
    let token = caller.token.as_str();
    let leak = |context: &str, text: &str| assert_no_leak(context, text, owner, caller);
    let owners_user = format!("/api/v1/users/{}", owner.admin.id);
    match op {
        Op::LoginTotp => {
            let body = json!({ "mfa_token": "not-a-token", "code": "123456" });
            let (status, _, text) = call(
                app,
                Method::POST,
                "/api/v1/auth/login/totp",
                None,
                Some(&body),
            )
            .await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{text}");
            leak("POST /api/v1/auth/login/totp", &text);
        }
        Op::AcceptInvitation => {
            let body = json!({ "token": "not-a-token", "password": "a-long-enough-password" });
            let (status, _, text) = call(
                app,
                Method::POST,
                "/api/v1/auth/accept-invitation",
                None,
                Some(&body),
            )
            .await;
            assert_eq!(status, StatusCode::GONE, "{text}");
            leak("POST /api/v1/auth/accept-invitation", &text);
        }
        Op::ChangePassword => {
            let body = json!({ "current_password": "not-the-password", "new_password": "a-long-enough-password" });
            let (status, _, text) = call(
                app,
                Method::PUT,
                "/api/v1/me/password",
                Some(token),
                Some(&body),
            )
            .await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{text}");
            leak("PUT /api/v1/me/password", &text);
            app.sign_in(&owner.admin.email, PASSWORD).await;
        }
        Op::BeginTotp | Op::ConfirmTotp | Op::RecoveryCodes => {
            let (method, path, body, expected) = match op {
                Op::BeginTotp => (
                    Method::POST,
                    "/api/v1/me/mfa/totp",
                    None,
                    StatusCode::CREATED,
                ),
                Op::ConfirmTotp => (
                    Method::POST,
                    "/api/v1/me/mfa/totp/confirm",
                    Some(json!({ "code": "000000" })),
                    StatusCode::UNPROCESSABLE_ENTITY,
                ),
                _ => (
                    Method::POST,
                    "/api/v1/me/mfa/recovery-codes",
                    None,
                    StatusCode::CONFLICT,
                ),
            };
            let (status, _, text) = call(app, method, path, Some(token), body.as_ref()).await;
            assert_eq!(status, expected, "{path}: {text}");
            leak(path, &text);
            let me = expect(app, get("/api/v1/me"), &owner.token, None, StatusCode::OK).await;
            assert_eq!(
                me["mfa_enrolled"], false,
                "{}'s factor is untouched",
                owner.label
            );
        }
        Op::ListUsers => {
            leak(
                "GET /api/v1/users",
                &text_of(&all_items(app, "/api/v1/users", token).await),
            );
        }
        Op::InviteUser => {
            let email = format!("probe-{}@invited.test", uuid::Uuid::new_v4().simple());
            let invited = expect(
                app,
                (Method::POST, "/api/v1/users"),
                token,
                Some(&json!({ "email": email })),
                StatusCode::CREATED,
            )
            .await;
            leak("POST /api/v1/users", &invited.to_string());
            let owners = text_of(&all_items(app, "/api/v1/users", &owner.token).await);
            assert!(
                !owners.contains(&email),
                "the invitee joined {}'s tenant",
                caller.label
            );
        }
        Op::GetUser => assert_denied(app, get(&owners_user), None, owner, caller).await,
        Op::UpdateUser => {
            let body = json!({ "active": false, "display_name": "Taken over" });
            assert_denied(
                app,
                (Method::PATCH, &owners_user),
                Some(&body),
                owner,
                caller,
            )
            .await;
        }
        Op::DeleteUser => {
            assert_denied(app, (Method::DELETE, &owners_user), None, owner, caller).await
        }
        Op::ResetUserMfa => {
            let path = format!("{owners_user}/mfa");
            assert_denied(app, (Method::DELETE, &path), None, owner, caller).await;
        }
        Op::CreateUserApiToken => {
            let path = format!("{owners_user}/api-tokens");
            let body = json!({ "name": probe_name() });
            assert_denied(app, (Method::POST, &path), Some(&body), owner, caller).await;
        }
        other => unreachable!("{other:?} is not a technicians' operation"),
    }
    // Whatever the caller tried, the owner's admin still works as before.
    let me = expect(app, get("/api/v1/me"), &owner.token, None, StatusCode::OK).await;
    assert_eq!(me["user"]["id"], owner.admin.id.to_string());
}
