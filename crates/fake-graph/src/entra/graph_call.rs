//! What every just-in-time account, role and LAPS endpoint does around its own work: find the
//! tenant of the app-only token, apply the permission switches and queued faults, and log the
//! call for [`EntraDirectories::calls`](crate::EntraDirectories::calls). Also the error answers
//! these endpoints share, worded as Graph words them.

use actix_web::{HttpRequest, HttpResponse, http::header};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::{
    contracts::{fault_answer, graph_error},
    faults::{ContractsFault, GraphPermission},
    server::FakeState,
};

/// One request the fake answered on a just-in-time account, role or LAPS endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphCall {
    pub method: String,
    /// Without the query, e.g. `/v1.0/users/{id}/revokeSignInSessions`.
    pub path: String,
    /// As sent, without `?`; empty when there is none.
    pub query: String,
    /// The answer's status; `None` when the fake cut the connection on purpose.
    pub status: Option<u16>,
}

impl GraphCall {
    /// `PATCH /v1.0/users/{id}`: what a test compares the order of calls by.
    pub fn request_line(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

impl std::fmt::Display for GraphCall {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "{} {}", self.method, self.path)?;
        if !self.query.is_empty() {
            write!(formatter, "?{}", self.query)?;
        }
        match self.status {
            Some(status) => write!(formatter, " -> {status}"),
            None => write!(formatter, " -> connection cut"),
        }
    }
}

/// Answers a request with `respond(tenant)` once the latency has passed and the token, the
/// permission switches and the queued faults let it through, and logs the call either way.
/// `needs` lists the permissions of which any one grants the call; empty: none beyond reading.
pub(crate) async fn answer(
    state: &FakeState,
    request: &HttpRequest,
    needs: &[GraphPermission],
    respond: impl FnOnce(&str) -> HttpResponse,
) -> HttpResponse {
    tokio::time::sleep(state.faults.latency()).await;
    let (response, status) = match admission(state, request, needs) {
        Ok(tenant) => {
            let response = respond(&tenant);
            let creates_user = request.method() == actix_web::http::Method::POST
                && request.path().trim_end_matches('/') == "/v1.0/users";
            if state.faults.take_dropped_answer()
                || (creates_user && state.faults.take_dropped_create_answer())
            {
                (fault_answer(ContractsFault::DropConnection), None)
            } else {
                let status = response.status().as_u16();
                (response, Some(status))
            }
        }
        Err((refusal, status)) => (*refusal, status),
    };
    state.entra.record_call(GraphCall {
        method: request.method().to_string(),
        path: request.path().to_owned(),
        query: request.query_string().to_owned(),
        status,
    });
    response
}

fn admission(
    state: &FakeState,
    request: &HttpRequest,
    needs: &[GraphPermission],
) -> Result<String, (Box<HttpResponse>, Option<u16>)> {
    let bearer = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "));
    let Some(tenant) = bearer.and_then(|token| state.tokens.tenant_of(token)) else {
        return Err((
            Box::new(graph_error(
                401,
                "InvalidAuthenticationToken",
                "Access token validation failure. Invalid audience.",
            )),
            Some(401),
        ));
    };
    if !needs.is_empty() && needs.iter().all(|needed| state.faults.lacks(*needed)) {
        return Err((Box::new(insufficient_privileges()), Some(403)));
    }
    match state.faults.next_contracts_fault() {
        None => Ok(tenant),
        Some(ContractsFault::DropConnection) => {
            Err((Box::new(fault_answer(ContractsFault::DropConnection)), None))
        }
        Some(fault) => {
            let response = fault_answer(fault);
            let status = response.status().as_u16();
            Err((Box::new(response), Some(status)))
        }
    }
}

pub(crate) fn insufficient_privileges() -> HttpResponse {
    graph_error(
        403,
        "Authorization_RequestDenied",
        "Insufficient privileges to complete the operation.",
    )
}

/// Graph's 404 for an object the directory does not hold (or holds in another tenant).
pub(crate) fn not_found(id: &str) -> HttpResponse {
    graph_error(
        404,
        "Request_ResourceNotFound",
        &format!(
            "Resource '{id}' does not exist or one of its queried reference-property objects are \
             not present."
        ),
    )
}

/// A 400 `Request_BadRequest` whose `details` name the property at fault, as Graph's directory
/// answers a create that conflicts or carries an invalid value.
pub(crate) fn bad_property(message: &str, detail_code: &str, target: &str) -> HttpResponse {
    HttpResponse::BadRequest().json(json!({"error": {
        "code": "Request_BadRequest",
        "message": message,
        "details": [{"code": detail_code, "message": message, "target": target}],
        "innerError": {"request-id": "00000000-0000-0000-0000-000000000000"},
    }}))
}

/// A required property is absent from a create request.
pub(crate) fn missing_property(property: &str, resource: &str) -> HttpResponse {
    graph_error(
        400,
        "Request_BadRequest",
        &format!("A value is required for property '{property}' of resource '{resource}'."),
    )
}

/// The request body as `T`, or Graph's 400 for a body that is not such JSON.
pub(crate) fn parse_body<T: DeserializeOwned>(body: &[u8]) -> Result<T, Box<HttpResponse>> {
    serde_json::from_slice(body).map_err(|_| {
        Box::new(graph_error(
            400,
            "BadRequest",
            "Unable to read JSON request payload. Please ensure Content-Type header is set and \
             payload is of valid JSON format.",
        ))
    })
}

/// `eq` clauses joined by `and` (`principalId eq '…' and isBuiltIn eq true`), each as
/// (property, value with its quotes taken off); `None` for anything else.
fn eq_clauses(filter: &str) -> Option<Vec<(String, String)>> {
    filter
        .split(" and ")
        .map(|clause| {
            let (property, literal) = clause.trim().split_once(" eq ")?;
            let literal = literal.trim();
            let value = match literal.strip_prefix('\'') {
                Some(quoted) => quoted.strip_suffix('\'')?.replace("''", "'"),
                None => literal.to_owned(),
            };
            Some((property.trim().to_owned(), value))
        })
        .collect()
}

/// The clauses of an optional `$filter`, or Graph's 400 for one the fake cannot read.
pub(crate) fn filter_clauses(
    filter: Option<&str>,
    resource: &str,
) -> Result<Vec<(String, String)>, Box<HttpResponse>> {
    match filter.map(eq_clauses) {
        None => Ok(Vec::new()),
        Some(Some(clauses)) => Ok(clauses),
        Some(None) => Err(Box::new(unsupported_filter(resource))),
    }
}

/// 204 when the object was there to change or delete, else Graph's 404 naming it.
pub(crate) fn done_or_not_found(done: bool, id: &str) -> HttpResponse {
    if done {
        HttpResponse::NoContent().finish()
    } else {
        not_found(id)
    }
}

pub(crate) fn unsupported_filter(resource: &str) -> HttpResponse {
    graph_error(
        400,
        "Request_UnsupportedQuery",
        &format!(
            "Unsupported or invalid query filter clause specified for property of resource \
             '{resource}'."
        ),
    )
}

/// A JSON object of `body` with `@odata.context` first.
pub(crate) fn with_context(context: &str, body: Value) -> Value {
    let mut object = serde_json::Map::new();
    object.insert(
        "@odata.context".to_owned(),
        Value::String(context.to_owned()),
    );
    if let Value::Object(fields) = body {
        object.extend(fields);
    }
    Value::Object(object)
}
