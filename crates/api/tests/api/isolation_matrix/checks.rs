//! The checks of the operations that do not concern customers: who the caller is, its own
//! settings, tokens, policies, the tenant tree and the audit log.

use reqwest::{Method, StatusCode};
use serde_json::json;
use uuid::Uuid;

use super::{
    Op, customer_checks, customer_entra_checks, duo_checks, group_checks, jit_account_checks,
    parties::{Party, assert_denied, assert_no_leak, call, expect, get, probe_name, text_of},
    sso_checks, tenant_checks, user_checks, user_source_checks,
};
use crate::helpers::{PASSWORD, TestApp, all_items};

/// Calls `op` as `caller` against `owner`'s data and asserts what the caller may get.
pub async fn check(app: &TestApp, op: Op, owner: &Party, caller: &Party, visible: bool) {
    let (token, owner_token) = (caller.token.as_str(), owner.token.as_str());
    let leak = |context: &str, text: &str| assert_no_leak(context, text, owner, caller);
    match op {
        Op::Health | Op::Ready => {
            let path = if matches!(op, Op::Health) {
                "/healthz"
            } else {
                "/readyz"
            };
            let (status, _, text) = call(app, Method::GET, path, None, None).await;
            assert_eq!(status, StatusCode::OK);
            leak(path, &text);
        }
        Op::Login => {
            let body = json!({ "email": caller.admin.email, "password": PASSWORD });
            let (status, _, text) =
                call(app, Method::POST, "/api/v1/auth/login", None, Some(&body)).await;
            assert_eq!(status, StatusCode::OK, "{text}");
            leak("POST /api/v1/auth/login", &text);
            let wrong = json!({ "email": owner.admin.email, "password": "a-guess-by-the-caller" });
            let (status, _, text) =
                call(app, Method::POST, "/api/v1/auth/login", None, Some(&wrong)).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{text}");
            leak("POST /api/v1/auth/login with a wrong password", &text);
        }
        Op::SignInProviders | Op::BeginMicrosoftSignIn | Op::CompleteMicrosoftSignIn => {
            // No tenant's data: the same answer for everyone, with or without a token.
            let path = match op {
                Op::SignInProviders => "/api/v1/auth/providers",
                Op::BeginMicrosoftSignIn => "/api/v1/auth/microsoft",
                _ => "/api/v1/auth/microsoft/callback?code=not-a-code&state=not-a-state",
            };
            let (status, _, text) = call(app, Method::GET, path, Some(token), None).await;
            assert!(
                status == StatusCode::OK || status == StatusCode::FOUND,
                "{path}: {status}"
            );
            leak(path, &text);
        }
        Op::Logout => {
            // A session of its own: signing out ends the session its token names.
            let session = app.sign_in(&caller.admin.email, PASSWORD).await;
            let (status, _, text) = call(
                app,
                Method::POST,
                "/api/v1/auth/logout",
                Some(&session),
                None,
            )
            .await;
            assert_eq!(status, StatusCode::NO_CONTENT);
            leak("POST /api/v1/auth/logout", &text);
        }
        Op::Me => {
            let me = expect(app, get("/api/v1/me"), token, None, StatusCode::OK).await;
            assert_eq!(me["user"]["id"], caller.admin.id.to_string());
            leak("GET /api/v1/me", &me.to_string());
        }
        Op::GetWizard => {
            let wizard = expect(
                app,
                get("/api/v1/onboarding-wizard"),
                token,
                None,
                StatusCode::OK,
            )
            .await;
            assert_eq!(wizard, caller.wizard, "the caller's own progress");
        }
        Op::PutWizard => {
            let put = (Method::PUT, "/api/v1/onboarding-wizard");
            let moved = json!({ "status": "in_progress", "step": 2, "history": [1] });
            assert_eq!(
                expect(app, put.clone(), token, Some(&moved), StatusCode::OK).await,
                moved
            );
            let owners = expect(
                app,
                get("/api/v1/onboarding-wizard"),
                owner_token,
                None,
                StatusCode::OK,
            )
            .await;
            assert_eq!(
                owners, owner.wizard,
                "{}'s progress is untouched",
                owner.label
            );
            expect(app, put, token, Some(&caller.wizard), StatusCode::OK).await;
        }
        Op::ListApiTokens => {
            leak(
                "GET /api/v1/api-tokens",
                &text_of(&all_items(app, "/api/v1/api-tokens", token).await),
            );
        }
        Op::CreateApiToken => {
            let body = json!({ "name": probe_name() });
            let created = expect(
                app,
                (Method::POST, "/api/v1/api-tokens"),
                token,
                Some(&body),
                StatusCode::CREATED,
            )
            .await;
            leak("POST /api/v1/api-tokens", &created.to_string());
            let as_new = created["token"].as_str().unwrap();
            let me = expect(app, get("/api/v1/me"), as_new, None, StatusCode::OK).await;
            assert_eq!(
                me["user"]["id"],
                caller.admin.id.to_string(),
                "a new token acts as its creator"
            );
            let owners = text_of(&all_items(app, "/api/v1/api-tokens", owner_token).await);
            assert!(!owners.contains(created["id"].as_str().unwrap()));
        }
        Op::RevokeApiToken => {
            if visible {
                let body = json!({ "name": probe_name() });
                let fresh = expect(
                    app,
                    (Method::POST, "/api/v1/api-tokens"),
                    owner_token,
                    Some(&body),
                    StatusCode::CREATED,
                )
                .await;
                let path = format!("/api/v1/api-tokens/{}", fresh["id"].as_str().unwrap());
                expect(
                    app,
                    (Method::DELETE, &path),
                    token,
                    None,
                    StatusCode::NO_CONTENT,
                )
                .await;
                let (status, ..) = call(
                    app,
                    Method::GET,
                    "/api/v1/me",
                    fresh["token"].as_str(),
                    None,
                )
                .await;
                assert_eq!(
                    status,
                    StatusCode::UNAUTHORIZED,
                    "an ancestor's admin revoked it"
                );
            } else {
                let path = format!("/api/v1/api-tokens/{}", owner.api_token.0);
                assert_denied(app, (Method::DELETE, &path), None, owner, caller).await;
                expect(
                    app,
                    get("/api/v1/me"),
                    &owner.api_token.2,
                    None,
                    StatusCode::OK,
                )
                .await;
            }
        }
        Op::AuditLog => {
            let text = text_of(&all_items(app, "/api/v1/audit-log", token).await);
            if visible {
                assert!(
                    text.contains(&owner.tenant.id.to_string()),
                    "{} sees {}'s entries",
                    caller.label,
                    owner.label
                );
            } else {
                leak("GET /api/v1/audit-log", &text);
            }
        }
        Op::ListCustomers
        | Op::ExportCustomers
        | Op::CreateCustomersBatch
        | Op::CreateCustomer
        | Op::GetCustomer
        | Op::UpdateCustomer
        | Op::DeleteCustomer
        | Op::GetDelegation
        | Op::PutDelegation
        | Op::Activate
        | Op::Deactivate
        | Op::AzureCustomers
        | Op::LinkAzureCustomer
        | Op::RejectAzureMatch
        | Op::RenameCustomerAfterAzure => {
            customer_checks::check(app, op, owner, caller, visible).await
        }
        Op::GetUserSource
        | Op::PutUserSource
        | Op::AuthorizeUserSource
        | Op::UserSourceConsentCallback
        | Op::UserSourceDomains
        | Op::SyncUserSource => user_source_checks::check(app, op, owner, caller).await,
        Op::GetCustomerEntra
        | Op::PutCustomerEntra
        | Op::AuthorizeCustomerEntra
        | Op::CustomerEntraConsentCallback
        | Op::CustomerEntraDomains
        | Op::CustomerEntraRoles => customer_entra_checks::check(app, op, owner, caller).await,
        Op::GetJitAccess
        | Op::RequestJitAccount
        | Op::EndJitAccount
        | Op::MyJitAccounts
        | Op::ListLapsDevices
        | Op::RevealLapsPassword => jit_account_checks::check(app, op, owner, caller).await,
        Op::ListJobs => {
            // The platform's jobs only, so far: nothing of any tenant, the same for everyone.
            let page = expect(app, get("/api/v1/jobs"), token, None, StatusCode::OK).await;
            leak("GET /api/v1/jobs", &page.to_string());
            let names: Vec<&str> = page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|job| job["name"].as_str().unwrap())
                .collect();
            assert_eq!(names, vec!["housekeeping"]);
        }
        Op::GetNewSubTenants => {
            let own = expect(
                app,
                get("/api/v1/settings/new-sub-tenants"),
                token,
                None,
                StatusCode::OK,
            )
            .await;
            assert_eq!(own, json!({ "show_new_sub_tenants": false }));
        }
        Op::PutNewSubTenants => {
            let path = "/api/v1/settings/new-sub-tenants";
            let on = json!({ "show_new_sub_tenants": true });
            expect(app, (Method::PUT, path), token, Some(&on), StatusCode::OK).await;
            let owners = expect(app, get(path), owner_token, None, StatusCode::OK).await;
            assert_eq!(
                owners,
                json!({ "show_new_sub_tenants": false }),
                "{}'s setting is untouched",
                owner.label
            );
            let off = json!({ "show_new_sub_tenants": false });
            expect(app, (Method::PUT, path), token, Some(&off), StatusCode::OK).await;
        }
        Op::GetAzureLogin => {
            let own = expect(
                app,
                get("/api/v1/settings/azure-login"),
                token,
                None,
                StatusCode::OK,
            )
            .await;
            assert_eq!(own["tenant_id"], caller.azure_login);
        }
        Op::PutAzureLogin => {
            let put = (Method::PUT, "/api/v1/settings/azure-login");
            let body = json!({ "tenant_id": Uuid::new_v4().to_string() });
            expect(app, put.clone(), token, Some(&body), StatusCode::OK).await;
            let owners = expect(
                app,
                get("/api/v1/settings/azure-login"),
                owner_token,
                None,
                StatusCode::OK,
            )
            .await;
            assert_eq!(
                owners["tenant_id"], owner.azure_login,
                "{}'s tenant ID is untouched",
                owner.label
            );
            let restore = json!({ "tenant_id": caller.azure_login });
            expect(app, put, token, Some(&restore), StatusCode::OK).await;
        }
        Op::GetWindowsGp => {
            let own = expect(
                app,
                get("/api/v1/endpoint-settings/windows-gp"),
                token,
                None,
                StatusCode::OK,
            )
            .await;
            assert_eq!(own["master_gp_distribution"], caller.master_gp_distribution);
        }
        Op::PutWindowsGp => {
            let path = "/api/v1/endpoint-settings/windows-gp";
            let flipped = json!({ "master_gp_distribution": !caller.master_gp_distribution });
            expect(
                app,
                (Method::PUT, path),
                token,
                Some(&flipped),
                StatusCode::OK,
            )
            .await;
            let owners = expect(app, get(path), owner_token, None, StatusCode::OK).await;
            assert_eq!(
                owners["master_gp_distribution"],
                owner.master_gp_distribution
            );
            let restore = json!({ "master_gp_distribution": caller.master_gp_distribution });
            expect(
                app,
                (Method::PUT, path),
                token,
                Some(&restore),
                StatusCode::OK,
            )
            .await;
        }
        Op::ListGroupPolicies => {
            leak(
                "GET /api/v1/group-policies",
                &text_of(&all_items(app, "/api/v1/group-policies", token).await),
            );
        }
        Op::CreateGroupPolicy => {
            // Names are unique per tenant: another tenant's name (in other case) is free.
            let body = json!({ "name": owner.group_policy.1.to_uppercase() });
            let created = expect(
                app,
                (Method::POST, "/api/v1/group-policies"),
                token,
                Some(&body),
                StatusCode::CREATED,
            )
            .await;
            assert_ne!(created["id"], owner.group_policy.0);
        }
        Op::UpdateGroupPolicy | Op::DeleteGroupPolicy => {
            let path = format!("/api/v1/group-policies/{}", owner.group_policy.0);
            let request = match op {
                Op::UpdateGroupPolicy => (Method::PATCH, path.as_str()),
                _ => (Method::DELETE, path.as_str()),
            };
            assert_denied(
                app,
                request,
                Some(&json!({ "enabled": false })),
                owner,
                caller,
            )
            .await;
            let policies = all_items(app, "/api/v1/group-policies", owner_token).await;
            let policy = policies
                .iter()
                .find(|policy| policy["id"] == owner.group_policy.0);
            assert_eq!(
                policy.map(|policy| &policy["enabled"]),
                Some(&json!(true)),
                "{}'s policy is untouched",
                owner.label
            );
        }
        Op::ListTenants => {
            let text = text_of(&all_items(app, "/api/v1/tenants", token).await);
            if visible {
                assert!(text.contains(&owner.tenant.id.to_string()));
            } else {
                leak("GET /api/v1/tenants", &text);
            }
        }
        Op::LoginTotp
        | Op::AcceptInvitation
        | Op::ChangePassword
        | Op::BeginTotp
        | Op::ConfirmTotp
        | Op::RecoveryCodes
        | Op::ListUsers
        | Op::InviteUser
        | Op::GetUser
        | Op::UpdateUser
        | Op::DeleteUser
        | Op::ResetUserMfa
        | Op::CreateUserApiToken => user_checks::check(app, op, owner, caller).await,
        Op::GetScimSettings
        | Op::CreateScimToken
        | Op::RevokeScimToken
        | Op::ListProvisioningCalls => sso_checks::check(app, op, owner, caller).await,
        Op::BeginDuoSignIn
        | Op::CompleteDuo
        | Op::BeginDuoLink
        | Op::UnlinkDuo
        | Op::ListSecurityIntegrations
        | Op::CreateSecurityIntegration
        | Op::GetSecurityIntegration
        | Op::UpdateSecurityIntegration
        | Op::DeleteSecurityIntegration
        | Op::CheckSecurityIntegration => duo_checks::check(app, op, owner, caller).await,
        Op::ListTechnicianGroups
        | Op::CreateTechnicianGroup
        | Op::GetTechnicianGroup
        | Op::UpdateTechnicianGroup
        | Op::DeleteTechnicianGroup
        | Op::AddTechnicianGroupMember
        | Op::RemoveTechnicianGroupMember => group_checks::check(app, op, owner, caller).await,
        Op::OpenCustomerTenant
        | Op::LeaveCustomerTenant
        | Op::ListCustomerTenants
        | Op::FindCustomerTenant
        | Op::HostAddress => tenant_checks::check(app, op, owner, caller).await,
        Op::GetTenant => {
            let path = format!("/api/v1/tenants/{}", owner.tenant.id);
            if visible {
                let found = expect(app, get(&path), token, None, StatusCode::OK).await;
                assert_eq!(found["id"], owner.tenant.id.to_string());
            } else {
                assert_denied(app, get(&path), None, owner, caller).await;
            }
        }
    }
}
