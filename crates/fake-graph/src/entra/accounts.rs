//! `POST /v1.0/users`, `GET|PATCH|DELETE /v1.0/users/{id | userPrincipalName}` and
//! `POST /v1.0/users/{id}/revokeSignInSessions` in the token's tenant, as Graph answers them:
//! what a just-in-time admin account goes through from creation to deletion.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::{
    graph_call::{answer, bad_property, done_or_not_found, not_found, parse_body},
    user_rules::{self, UserCreate},
};
use crate::{
    contracts::graph_error, faults::GraphPermission, fixture::DirectoryAccount, server::FakeState,
    sign_in::rules::random_guid,
};

const USERS_CONTEXT: &str = "https://graph.microsoft.com/v1.0/$metadata#users";

pub(crate) async fn create_user(
    state: web::Data<FakeState>,
    request: HttpRequest,
    body: web::Bytes,
) -> HttpResponse {
    answer(
        &state,
        &request,
        &[GraphPermission::UserReadWriteAll],
        |tenant| {
            let new = match parse_body::<UserCreate>(&body)
                .and_then(|create| user_rules::check(create, &state.entra.domains_of(tenant)))
            {
                Ok(new) => new,
                Err(refusal) => return *refusal,
            };
            let nickname = new.mail_nickname.clone();
            match state.entra.create_account(tenant, random_guid(), new) {
                Some(account) => {
                    HttpResponse::Created().json(user_body(&account, Some(&nickname), None))
                }
                None => bad_property(
                    "Another object with the same value for property userPrincipalName already \
                     exists.",
                    "ObjectConflict",
                    "userPrincipalName",
                ),
            }
        },
    )
    .await
}

#[derive(Deserialize)]
pub(crate) struct UserQuery {
    #[serde(rename = "$select")]
    select: Option<String>,
}

pub(crate) async fn get_user(
    state: web::Data<FakeState>,
    request: HttpRequest,
    id: web::Path<String>,
    query: web::Query<UserQuery>,
) -> HttpResponse {
    answer(&state, &request, &[], |tenant| {
        match state.entra.find_user(tenant, &id) {
            Some((account, nickname)) => HttpResponse::Ok().json(user_body(
                &account,
                nickname.as_deref(),
                query.select.as_deref(),
            )),
            None => not_found(&id),
        }
    })
    .await
}

/// The properties a just-in-time account changes; Graph accepts many more, which the fake
/// ignores.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct UserUpdate {
    account_enabled: Option<bool>,
    display_name: Option<String>,
}

pub(crate) async fn update_user(
    state: web::Data<FakeState>,
    request: HttpRequest,
    id: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    answer(
        &state,
        &request,
        &[GraphPermission::UserReadWriteAll],
        |tenant| {
            let update = match parse_body::<UserUpdate>(&body) {
                Ok(update) => update,
                Err(refusal) => return *refusal,
            };
            if update
                .display_name
                .as_deref()
                .is_some_and(|name| name.trim().is_empty())
            {
                return graph_error(
                    400,
                    "Request_BadRequest",
                    "Invalid value specified for property 'displayName' of resource 'User'.",
                );
            }
            let updated = state.entra.update_account(
                tenant,
                &id,
                update.account_enabled,
                update.display_name,
            );
            done_or_not_found(updated, &id)
        },
    )
    .await
}

pub(crate) async fn delete_user(
    state: web::Data<FakeState>,
    request: HttpRequest,
    id: web::Path<String>,
) -> HttpResponse {
    answer(
        &state,
        &request,
        &[GraphPermission::UserReadWriteAll],
        |tenant| done_or_not_found(state.entra.delete_account(tenant, &id), &id),
    )
    .await
}

pub(crate) async fn revoke_sign_in_sessions(
    state: web::Data<FakeState>,
    request: HttpRequest,
    id: web::Path<String>,
) -> HttpResponse {
    answer(
        &state,
        &request,
        &[GraphPermission::UserReadWriteAll],
        |tenant| {
            if state.entra.revoke_sessions(tenant, &id) {
                // Graph documents 204 but answers this, a known issue it keeps for compatibility.
                HttpResponse::Ok().json(json!({
                    "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#Edm.Boolean",
                    "value": true,
                }))
            } else {
                not_found(&id)
            }
        },
    )
    .await
}

/// A user as Graph returns it: its default properties, or those `$select` names.
fn user_body(account: &DirectoryAccount, nickname: Option<&str>, select: Option<&str>) -> Value {
    let upn = account.user_principal_name.as_str();
    // Graph gives a created user no mail until Exchange does; a fixture account reads its UPN.
    let mail = match nickname {
        Some(_) => Value::Null,
        None => Value::String(upn.to_owned()),
    };
    let local_part = upn.split('@').next().unwrap_or(upn);
    let properties = [
        ("businessPhones", json!([]), true),
        ("displayName", json!(account.display_name), true),
        ("givenName", Value::Null, true),
        ("jobTitle", Value::Null, true),
        ("mail", mail, true),
        ("mobilePhone", Value::Null, true),
        ("officeLocation", Value::Null, true),
        ("preferredLanguage", Value::Null, true),
        ("surname", Value::Null, true),
        ("userPrincipalName", json!(upn), true),
        ("id", json!(account.object_id), true),
        ("accountEnabled", json!(account.account_enabled), false),
        ("mailNickname", json!(nickname.unwrap_or(local_part)), false),
    ];
    let wanted: Option<Vec<&str>> = select.map(|list| list.split(',').map(str::trim).collect());
    let mut body = Map::new();
    let context = match &wanted {
        None => format!("{USERS_CONTEXT}/$entity"),
        Some(names) => format!("{USERS_CONTEXT}({})/$entity", names.join(",")),
    };
    body.insert("@odata.context".to_owned(), Value::String(context));
    for (name, value, default) in properties {
        let included = match &wanted {
            None => default,
            Some(names) => names.iter().any(|wanted| wanted.eq_ignore_ascii_case(name)),
        };
        if included {
            body.insert(name.to_owned(), value);
        }
    }
    Value::Object(body)
}
