//! `GET /v1.0/contracts` (the reseller's customer contracts) and
//! `GET /v1.0/tenantRelationships/delegatedAdminCustomers` (its GDAP customers), paged with
//! `@odata.nextLink`, throttled and faulted alike.

use actix_web::{HttpRequest, HttpResponse, http::header, web};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::{faults::ContractsFault, server::FakeState};

/// Graph's own limit for `$top` on directory objects.
const MAX_TOP: usize = 999;

#[derive(Deserialize)]
pub(crate) struct ContractsQuery {
    #[serde(rename = "$top")]
    top: Option<String>,
    #[serde(rename = "$skiptoken")]
    skip_token: Option<String>,
}

/// Where the next page starts; an `Empty` page precedes the real one when that fault is on.
enum Cursor {
    At(usize),
    EmptyBefore(usize),
}

impl Cursor {
    fn parse(token: Option<&str>) -> Option<Self> {
        match token {
            None => Some(Self::At(0)),
            Some(token) => {
                if let Some(offset) = token.strip_prefix('o') {
                    offset.parse().ok().map(Self::At)
                } else {
                    token
                        .strip_prefix('e')
                        .and_then(|offset| offset.parse().ok())
                        .map(Self::EmptyBefore)
                }
            }
        }
    }
}

/// The two lists of customers Graph pages the same way.
#[derive(Clone, Copy)]
enum Collection {
    Contracts,
    DelegatedAdminCustomers,
}

impl Collection {
    fn path(self) -> &'static str {
        match self {
            Self::Contracts => "v1.0/contracts",
            Self::DelegatedAdminCustomers => "v1.0/tenantRelationships/delegatedAdminCustomers",
        }
    }

    fn context(self) -> &'static str {
        match self {
            Self::Contracts => "https://graph.microsoft.com/v1.0/$metadata#contracts",
            Self::DelegatedAdminCustomers => {
                "https://graph.microsoft.com/v1.0/$metadata#tenantRelationships/delegatedAdminCustomers"
            }
        }
    }

    fn items(self, directory: &crate::Directory) -> Vec<crate::SubTenant> {
        match self {
            Self::Contracts => directory.contracts(),
            Self::DelegatedAdminCustomers => directory.gdap_customers(),
        }
    }

    fn json(self, sub_tenant: &crate::SubTenant) -> Value {
        match self {
            Self::Contracts => contract_json(sub_tenant),
            Self::DelegatedAdminCustomers => json!({
                "id": sub_tenant.customer_id,
                "tenantId": sub_tenant.customer_id,
                "displayName": sub_tenant.display_name,
            }),
        }
    }
}

pub(crate) async fn list_contracts(
    state: web::Data<FakeState>,
    request: HttpRequest,
    query: web::Query<ContractsQuery>,
) -> HttpResponse {
    state.stats.count_contracts_request();
    list(Collection::Contracts, state, request, query).await
}

pub(crate) async fn list_delegated_admin_customers(
    state: web::Data<FakeState>,
    request: HttpRequest,
    query: web::Query<ContractsQuery>,
) -> HttpResponse {
    state.stats.count_gdap_request();
    if state.faults.gdap_denied() {
        return graph_error(
            403,
            "Authorization_RequestDenied",
            "Insufficient privileges to complete the operation.",
        );
    }
    list(Collection::DelegatedAdminCustomers, state, request, query).await
}

async fn list(
    collection: Collection,
    state: web::Data<FakeState>,
    request: HttpRequest,
    query: web::Query<ContractsQuery>,
) -> HttpResponse {
    tokio::time::sleep(state.faults.latency()).await;
    let bearer = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "));
    match bearer {
        Some(token) if state.tokens.is_valid(token) => {}
        Some(_) => {
            return graph_error(
                401,
                "InvalidAuthenticationToken",
                "Access token validation failure. Invalid audience.",
            );
        }
        None => return graph_error(401, "InvalidAuthenticationToken", "Access token is empty."),
    }
    if let Some(fault) = state.faults.next_contracts_fault() {
        return fault_answer(fault);
    }
    let page_size = match query.top.as_deref() {
        None => state.fixture.page_size.max(1),
        Some(top) => match top.parse::<usize>() {
            // Server-driven paging: Graph may serve fewer rows than `$top` asks for.
            Ok(top) if (1..=MAX_TOP).contains(&top) => top.min(state.fixture.page_size.max(1)),
            _ => {
                return graph_error(
                    400,
                    "Request_BadRequest",
                    "Invalid value specified for query parameter '$top'.",
                );
            }
        },
    };
    let Some(cursor) = Cursor::parse(query.skip_token.as_deref()) else {
        return graph_error(
            400,
            "Request_BadRequest",
            "The specified page token value has expired or is invalid.",
        );
    };
    let connection = request.connection_info();
    let next_link = |token: String| {
        format!(
            "https://{}/{}?$top={page_size}&$skiptoken={token}",
            connection.host(),
            collection.path()
        )
    };
    let all = collection.items(&state.directory);
    let (items, next): (&[crate::SubTenant], Option<String>) = match cursor {
        Cursor::EmptyBefore(offset) => (&[], Some(format!("o{offset}"))),
        Cursor::At(offset) => {
            let start = offset.min(all.len());
            let end = start.saturating_add(page_size).min(all.len());
            let next = (end < all.len()).then(|| {
                if state.faults.empty_pages() {
                    format!("e{end}")
                } else {
                    format!("o{end}")
                }
            });
            (&all[start..end], next)
        }
    };
    let value: Vec<Value> = items.iter().map(|item| collection.json(item)).collect();
    let mut body = json!({
        "@odata.context": collection.context(),
        "value": value,
    });
    if let (Some(token), Some(object)) = (next, body.as_object_mut()) {
        object.insert(
            "@odata.nextLink".to_owned(),
            Value::String(next_link(token)),
        );
    }
    HttpResponse::Ok().json(body)
}

fn contract_json(sub_tenant: &crate::SubTenant) -> Value {
    let domain: String = sub_tenant
        .display_name
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    json!({
        "id": sub_tenant.customer_id,
        "contractType": "ResellerPartner",
        "customerId": sub_tenant.customer_id,
        "defaultDomainName": format!("{domain}.onmicrosoft.com"),
        "displayName": sub_tenant.display_name,
    })
}

pub(crate) fn fault_answer(fault: ContractsFault) -> HttpResponse {
    match fault {
        ContractsFault::Throttle { retry_after_secs } => {
            let mut response = HttpResponse::TooManyRequests();
            if let Some(seconds) = retry_after_secs {
                response.insert_header((header::RETRY_AFTER, seconds.to_string()));
            }
            response.json(json!({"error": {
                "code": "TooManyRequests",
                "message": "Too many requests. Please retry after some time.",
            }}))
        }
        ContractsFault::Unavailable => graph_error(
            503,
            "serviceNotAvailable",
            "The service is temporarily unavailable. Please retry later.",
        ),
        ContractsFault::DenyPermission => graph_error(
            403,
            "Authorization_RequestDenied",
            "Insufficient privileges to complete the operation.",
        ),
        ContractsFault::DropConnection => {
            // Headers and half a body, then the stream fails: the connection is cut mid-answer.
            let chunks: Vec<Result<web::Bytes, std::io::Error>> = vec![
                Ok(web::Bytes::from_static(b"{\"value\":[{\"displayName\":")),
                Err(std::io::Error::new(
                    std::io::ErrorKind::ConnectionReset,
                    "the fake Graph drops this connection on purpose",
                )),
            ];
            HttpResponse::Ok()
                .content_type("application/json")
                .streaming(futures_util::stream::iter(chunks))
        }
    }
}

pub(crate) fn graph_error(status: u16, code: &str, message: &str) -> HttpResponse {
    let status = actix_web::http::StatusCode::from_u16(status)
        .unwrap_or(actix_web::http::StatusCode::BAD_REQUEST);
    HttpResponse::build(status).json(json!({"error": {
        "code": code,
        "message": message,
        "innerError": {"request-id": "00000000-0000-0000-0000-000000000000"},
    }}))
}
