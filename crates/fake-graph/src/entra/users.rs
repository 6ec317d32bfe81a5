//! `GET /v1.0/domains`, `GET /v1.0/users` (with `$filter` on `id`, `userPrincipalName` or `mail`) and
//! `GET /v1.0/users/delta` of the tenant an app-only token was issued for, with Graph's paging,
//! `@odata.deltaLink`, `@removed` and its throttling faults; and the fake's own
//! `PATCH|DELETE /_fake/users/{object_id}` that disable, re-enable or delete an account.

use actix_web::{HttpRequest, HttpResponse, http::header, web};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::{
    contracts::{fault_answer, graph_error},
    fixture::DirectoryAccount,
    server::FakeState,
};

/// The tenant of the request's app-only token, or Graph's 401.
fn tenant_of(state: &FakeState, request: &HttpRequest) -> Result<String, Box<HttpResponse>> {
    let bearer = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "));
    match bearer.and_then(|token| state.tokens.tenant_of(token)) {
        Some(tenant) => Ok(tenant),
        None => Err(Box::new(graph_error(
            401,
            "InvalidAuthenticationToken",
            "Access token validation failure. Invalid audience.",
        ))),
    }
}

/// The token's tenant, after the latency and any queued fault.
async fn admitted(state: &FakeState, request: &HttpRequest) -> Result<String, Box<HttpResponse>> {
    tokio::time::sleep(state.faults.latency()).await;
    let tenant = tenant_of(state, request)?;
    match state.faults.next_contracts_fault() {
        Some(fault) => Err(Box::new(fault_answer(fault))),
        None => Ok(tenant),
    }
}

fn user_json(account: &DirectoryAccount) -> Value {
    json!({
        "id": account.object_id,
        "userPrincipalName": account.user_principal_name,
        "displayName": account.display_name,
        "mail": account.user_principal_name,
        "accountEnabled": account.account_enabled,
    })
}

pub(crate) async fn list_domains(
    state: web::Data<FakeState>,
    request: HttpRequest,
) -> HttpResponse {
    let tenant = match admitted(&state, &request).await {
        Ok(tenant) => tenant,
        Err(answer) => return *answer,
    };
    let value: Vec<Value> = state
        .entra
        .domains_of(&tenant)
        .iter()
        .map(|domain| {
            json!({
                "id": domain.id,
                "authenticationType": domain.authentication_type,
                "isDefault": domain.is_default,
                "isInitial": domain.id.ends_with(".onmicrosoft.com"),
                "isVerified": domain.is_verified,
                "supportedServices": ["Email"],
            })
        })
        .collect();
    HttpResponse::Ok().json(json!({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#domains",
        "value": value,
    }))
}

#[derive(Deserialize)]
pub(crate) struct UsersQuery {
    #[serde(rename = "$filter")]
    filter: Option<String>,
}

/// Which property a `$filter` clause compares.
#[derive(Clone, Copy, PartialEq, Eq)]
enum UserProperty {
    Id,
    Name,
}

/// `id eq '…'`, `userPrincipalName eq '…'` and `mail eq '…'`, joined by `or`: what a user
/// source asks.
fn parse_filter(filter: &str) -> Option<Vec<(UserProperty, String)>> {
    filter
        .split(" or ")
        .map(|clause| {
            let clause = clause.trim();
            let (property, literal) = clause.split_once(" eq ")?;
            let property = match property.trim() {
                "id" => UserProperty::Id,
                "userPrincipalName" | "mail" => UserProperty::Name,
                _ => return None,
            };
            let literal = literal.trim();
            let inner = literal.strip_prefix('\'')?.strip_suffix('\'')?;
            Some((property, inner.replace("''", "'")))
        })
        .collect()
}

pub(crate) async fn list_users(
    state: web::Data<FakeState>,
    request: HttpRequest,
    query: web::Query<UsersQuery>,
) -> HttpResponse {
    let tenant = match admitted(&state, &request).await {
        Ok(tenant) => tenant,
        Err(answer) => return *answer,
    };
    let wanted = match query.filter.as_deref().map(parse_filter) {
        None => None,
        Some(Some(values)) => Some(values),
        Some(None) => {
            return graph_error(
                400,
                "Request_UnsupportedQuery",
                "Unsupported or invalid query filter clause specified for property of resource 'User'.",
            );
        }
    };
    let value: Vec<Value> = state
        .entra
        .users_of(&tenant)
        .iter()
        .filter(|account| {
            wanted.as_ref().is_none_or(|values| {
                values.iter().any(|(property, value)| match property {
                    UserProperty::Id => value.eq_ignore_ascii_case(&account.object_id),
                    UserProperty::Name => value.eq_ignore_ascii_case(&account.user_principal_name),
                })
            })
        })
        .map(user_json)
        .collect();
    HttpResponse::Ok().json(json!({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users",
        "value": value,
    }))
}

#[derive(Deserialize)]
pub(crate) struct DeltaQuery {
    #[serde(rename = "$skiptoken")]
    skip_token: Option<String>,
    #[serde(rename = "$deltatoken")]
    delta_token: Option<String>,
}

/// Where a delta page starts: a full round at change position `at`, or the changes `from..to`;
/// both from `offset`.
enum Round {
    Full {
        at: usize,
        offset: usize,
    },
    Changes {
        from: usize,
        to: usize,
        offset: usize,
    },
}

/// The page `offset..offset + page_size` of `total` entries, within bounds.
fn page_bounds(offset: usize, page_size: usize, total: usize) -> (usize, usize) {
    let start = offset.min(total);
    (start, start.saturating_add(page_size).min(total))
}

impl Round {
    fn offset(&self) -> usize {
        match self {
            Self::Full { offset, .. } | Self::Changes { offset, .. } => *offset,
        }
    }

    fn parse(query: &DeltaQuery, now: usize) -> Option<Self> {
        match (&query.skip_token, &query.delta_token) {
            (None, None) => Some(Self::Full { at: now, offset: 0 }),
            (None, Some(token)) => {
                let from: usize = token.parse().ok()?;
                (from <= now).then_some(Self::Changes {
                    from,
                    to: now,
                    offset: 0,
                })
            }
            (Some(token), _) => {
                let parts: Vec<usize> = token
                    .get(1..)?
                    .split('.')
                    .map(|part| part.parse().ok())
                    .collect::<Option<_>>()?;
                match (token.chars().next()?, parts.as_slice()) {
                    ('f', [at, offset]) => Some(Self::Full {
                        at: *at,
                        offset: *offset,
                    }),
                    ('c', [from, to, offset]) => Some(Self::Changes {
                        from: *from,
                        to: *to,
                        offset: *offset,
                    }),
                    _ => None,
                }
            }
        }
    }
}

pub(crate) async fn users_delta(
    state: web::Data<FakeState>,
    request: HttpRequest,
    query: web::Query<DeltaQuery>,
) -> HttpResponse {
    let tenant = match admitted(&state, &request).await {
        Ok(tenant) => tenant,
        Err(answer) => return *answer,
    };
    let Some(round) = Round::parse(&query, state.entra.change_count()) else {
        return graph_error(
            400,
            "Request_BadRequest",
            "The specified page token value has expired or is invalid.",
        );
    };
    if matches!(round, Round::Full { offset: 0, .. }) {
        state.stats.count_full_delta_round();
    }
    let page_size = state.fixture.page_size.max(1);
    // The next page's `$skiptoken` is the round's prefix and the offset it starts at. Only the
    // page's users become JSON: a directory of 50 000 costs the page, not the directory.
    let offset = round.offset();
    let (total, page, prefix, end) = match round {
        Round::Full { at, offset } => {
            let (total, page) = state.entra.users_page(&tenant, offset, page_size);
            (
                total,
                page.iter().map(user_json).collect::<Vec<Value>>(),
                format!("f{at}."),
                at,
            )
        }
        Round::Changes { from, to, offset } => {
            let changed = state.entra.changed(&tenant, from, to);
            let (start, stop) = page_bounds(offset, page_size, changed.len());
            (
                changed.len(),
                changed[start..stop]
                    .iter()
                    .map(|user| {
                        if user.removed {
                            json!({ "id": user.account.object_id, "@removed": { "reason": "changed" } })
                        } else {
                            user_json(&user.account)
                        }
                    })
                    .collect(),
                format!("c{from}.{to}."),
                to,
            )
        }
    };
    let stop = page_bounds(offset, page_size, total).1;
    let host = request.connection_info().host().to_owned();
    let mut body = json!({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users",
        "value": page,
    });
    let (name, link) = if stop < total {
        (
            "@odata.nextLink",
            format!("https://{host}/v1.0/users/delta?$skiptoken={prefix}{stop}"),
        )
    } else {
        (
            "@odata.deltaLink",
            format!("https://{host}/v1.0/users/delta?$deltatoken={end}"),
        )
    };
    if let Some(object) = body.as_object_mut() {
        object.insert(name.to_owned(), Value::String(link));
    }
    HttpResponse::Ok().json(body)
}

#[derive(Deserialize)]
pub(crate) struct PatchUser {
    account_enabled: bool,
}

/// The fake's own control endpoint: disables or re-enables a directory account.
pub(crate) async fn patch_user(
    state: web::Data<FakeState>,
    object_id: web::Path<String>,
    body: web::Json<PatchUser>,
) -> HttpResponse {
    if state
        .entra
        .set_account_enabled(&object_id, body.account_enabled)
    {
        HttpResponse::NoContent().finish()
    } else {
        HttpResponse::NotFound().finish()
    }
}

/// The fake's own control endpoint: deletes a directory account.
pub(crate) async fn delete_user(
    state: web::Data<FakeState>,
    object_id: web::Path<String>,
) -> HttpResponse {
    if state.entra.remove_user(&object_id) {
        HttpResponse::NoContent().finish()
    } else {
        HttpResponse::NotFound().finish()
    }
}
