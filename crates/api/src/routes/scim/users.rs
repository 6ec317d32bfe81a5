//! `/scim/v2/Users`: list and filter, create, read, replace, patch and delete the tenant's users,
//! each call noted in the tenant's provisioning log.

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, http::header, web};
use sea_orm::TransactionTrait;
use serde_json::{Value, json};
use uuid::Uuid;

use super::{
    Outcome, ScimTenant, base_url, discovery, filter, json_body, logged, patch,
    projection::Projection,
    resource::{self, parse_user, user_resource},
    scim_json,
};
use crate::{
    infra::state::AppState,
    routes::scim::error::{ScimError, ScimType},
    services::provisioning::users::{self as provisioned, LookupTerm},
};

/// SCIM's listing parameters, from a query string or a SearchRequest.
struct ListRequest {
    terms: Vec<LookupTerm>,
    start_index: u64,
    count: u64,
    projection: Projection,
}

fn number(name: &str, raw: &str) -> Result<i64, ScimError> {
    raw.trim().parse().map_err(|_| {
        ScimError::bad_request(
            ScimType::InvalidValue,
            format!("{name} must be a whole number"),
        )
    })
}

/// `startIndex` counts from 1 (less means 1); `count` is at most the maximum (less than 0
/// means 0), 100 unless given.
fn paging(start_index: Option<i64>, count: Option<i64>) -> (u64, u64) {
    let start_index = start_index.map_or(1, |index| u64::try_from(index.max(1)).unwrap_or(1));
    let count = count.map_or(100, |count| {
        u64::try_from(count.max(0)).map_or(0, |count| count.min(discovery::MAX_RESULTS))
    });
    (start_index, count)
}

fn from_query(request: &HttpRequest) -> Result<ListRequest, ScimError> {
    let pairs = web::Query::<Vec<(String, String)>>::from_query(request.query_string())
        .map_err(|error| {
            ScimError::bad_request(
                ScimType::InvalidSyntax,
                format!("the query string is not valid: {error}"),
            )
        })?
        .into_inner();
    let find = |name: &str| {
        pairs
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    };
    let terms = match find("filter").map(str::trim).filter(|raw| !raw.is_empty()) {
        Some(raw) => filter::lookup_terms(raw)?,
        None => Vec::new(),
    };
    let start_index = find("startIndex")
        .map(|raw| number("startIndex", raw))
        .transpose()?;
    let count = find("count").map(|raw| number("count", raw)).transpose()?;
    let (start_index, count) = paging(start_index, count);
    Ok(ListRequest {
        terms,
        start_index,
        count,
        projection: Projection::new(find("attributes"), find("excludedAttributes")),
    })
}

fn from_search_request(body: &Value) -> Result<ListRequest, ScimError> {
    let invalid = |detail: &str| ScimError::bad_request(ScimType::InvalidValue, detail);
    let Value::Object(body) = body else {
        return Err(ScimError::bad_request(
            ScimType::InvalidSyntax,
            "the body must be a SearchRequest object",
        ));
    };
    let find = |name: &str| {
        body.iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value)
            .filter(|value| !value.is_null())
    };
    let terms = match find("filter") {
        Some(Value::String(raw)) if !raw.trim().is_empty() => filter::lookup_terms(raw)?,
        Some(Value::String(_)) | None => Vec::new(),
        Some(_) => return Err(invalid("filter must be a string")),
    };
    let whole = |name: &str| match find(name) {
        None => Ok(None),
        Some(value) => value
            .as_i64()
            .map(Some)
            .ok_or_else(|| invalid("startIndex and count must be whole numbers")),
    };
    let (start_index, count) = paging(whole("startIndex")?, whole("count")?);
    let list = |name: &str| -> Result<Vec<&str>, ScimError> {
        match find(name) {
            None => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| {
                    item.as_str()
                        .ok_or_else(|| invalid("attributes are listed as strings"))
                })
                .collect(),
            Some(Value::String(text)) => Ok(vec![text.as_str()]),
            Some(_) => Err(invalid("attributes are listed as strings")),
        }
    };
    let projection = Projection::new(list("attributes")?, list("excludedAttributes")?);
    Ok(ListRequest {
        terms,
        start_index,
        count,
        projection,
    })
}

async fn listing(
    state: &AppState,
    request: &HttpRequest,
    tenant: &ScimTenant,
    list: ListRequest,
) -> Result<HttpResponse, ScimError> {
    let found = provisioned::search(
        &state.reads,
        tenant.provisioner.tenant_id,
        &list.terms,
        list.start_index,
        list.count,
    )
    .await?;
    let base = base_url(request);
    let resources: Vec<Value> = found
        .users
        .iter()
        .map(|user| list.projection.apply(user_resource(user, &base)))
        .collect();
    Ok(scim_json(
        StatusCode::OK,
        &json!({
            "schemas": [discovery::LIST_SCHEMA],
            "totalResults": found.total,
            "startIndex": list.start_index,
            "itemsPerPage": resources.len(),
            "Resources": resources,
        }),
    ))
}

pub async fn list(
    state: web::Data<AppState>,
    request: HttpRequest,
    tenant: ScimTenant,
) -> HttpResponse {
    let answer = match from_query(&request) {
        Ok(list) => listing(&state, &request, &tenant, list).await,
        Err(error) => Err(error),
    };
    let outcome = Outcome {
        answer,
        user_id: None,
    };
    logged(&state, &request, &tenant, outcome).await
}

pub async fn search(
    state: web::Data<AppState>,
    request: HttpRequest,
    tenant: ScimTenant,
    payload: web::Payload,
) -> HttpResponse {
    let answer = async {
        let body = json_body(payload).await?;
        listing(&state, &request, &tenant, from_search_request(&body)?).await
    }
    .await;
    let outcome = Outcome {
        answer,
        user_id: None,
    };
    logged(&state, &request, &tenant, outcome).await
}

fn resource_response(
    status: StatusCode,
    request: &HttpRequest,
    user: &entity::user::Model,
) -> HttpResponse {
    let base = base_url(request);
    let mut response = scim_json(status, &user_resource(user, &base));
    if let Ok(location) = header::HeaderValue::from_str(&format!("{base}/Users/{}", user.id)) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

pub async fn create(
    state: web::Data<AppState>,
    request: HttpRequest,
    tenant: ScimTenant,
    payload: web::Payload,
) -> HttpResponse {
    let answer = async {
        let wanted = parse_user(&json_body(payload).await?)?;
        let transaction = state.db.begin().await?;
        let created = provisioned::create(&transaction, &tenant.provisioner, wanted).await?;
        transaction.commit().await?;
        Ok::<_, ScimError>(created)
    }
    .await;
    let outcome = Outcome {
        user_id: answer.as_ref().ok().map(|user| user.id),
        answer: answer.map(|user| resource_response(StatusCode::CREATED, &request, &user)),
    };
    logged(&state, &request, &tenant, outcome).await
}

/// The user ID in the path: anything that is not a UUID names no user.
fn user_id(id: &str) -> Result<Uuid, ScimError> {
    Uuid::parse_str(id.trim())
        .map_err(|_| ScimError::from(crate::services::provisioning::ProvisioningError::NotFound))
}

/// Runs `work` on the user the path names (a path that is not a UUID names no user) and notes
/// the call with that user.
async fn on_user<Work, Answer>(
    state: &AppState,
    request: &HttpRequest,
    tenant: &ScimTenant,
    id: &str,
    work: Work,
) -> HttpResponse
where
    Work: FnOnce(Uuid) -> Answer,
    Answer: std::future::Future<Output = Result<HttpResponse, ScimError>>,
{
    let parsed = user_id(id);
    let answer = match parsed.clone() {
        Ok(id) => work(id).await,
        Err(error) => Err(error),
    };
    let outcome = Outcome {
        answer,
        user_id: parsed.ok(),
    };
    logged(state, request, tenant, outcome).await
}

pub async fn get(
    state: web::Data<AppState>,
    request: HttpRequest,
    tenant: ScimTenant,
    id: web::Path<String>,
) -> HttpResponse {
    let (state, request, tenant) = (&*state, &request, &tenant);
    on_user(state, request, tenant, &id, |id| async move {
        let list = from_query(request)?;
        let user = provisioned::find(&state.reads, tenant.provisioner.tenant_id, id).await?;
        let resource = list
            .projection
            .apply(user_resource(&user, &base_url(request)));
        Ok(scim_json(StatusCode::OK, &resource))
    })
    .await
}

pub async fn replace(
    state: web::Data<AppState>,
    request: HttpRequest,
    tenant: ScimTenant,
    id: web::Path<String>,
    payload: web::Payload,
) -> HttpResponse {
    let (state, request, tenant) = (&*state, &request, &tenant);
    on_user(state, request, tenant, &id, |id| async move {
        let wanted = parse_user(&json_body(payload).await?)?;
        let transaction = state.db.begin().await?;
        let updated = provisioned::replace(&transaction, &tenant.provisioner, id, wanted).await?;
        transaction.commit().await?;
        Ok(resource_response(StatusCode::OK, request, &updated))
    })
    .await
}

/// Applies the PATCH to the user's attributes as SCIM returns them, then stores the result as
/// a replace would: a patch obeys every rule a replace does.
pub async fn patch(
    state: web::Data<AppState>,
    request: HttpRequest,
    tenant: ScimTenant,
    id: web::Path<String>,
    payload: web::Payload,
) -> HttpResponse {
    let (state, request, tenant) = (&*state, &request, &tenant);
    on_user(state, request, tenant, &id, |id| async move {
        let body = json_body(payload).await?;
        let transaction = state.db.begin().await?;
        let current = provisioned::find(&transaction, tenant.provisioner.tenant_id, id).await?;
        let mut attributes = resource::writable_attributes(&current);
        patch::apply(&mut attributes, &body)?;
        let wanted = parse_user(&Value::Object(attributes))?;
        let updated = provisioned::replace(&transaction, &tenant.provisioner, id, wanted).await?;
        transaction.commit().await?;
        Ok(resource_response(StatusCode::OK, request, &updated))
    })
    .await
}

pub async fn delete(
    state: web::Data<AppState>,
    request: HttpRequest,
    tenant: ScimTenant,
    id: web::Path<String>,
) -> HttpResponse {
    let (state, request, tenant) = (&*state, &request, &tenant);
    on_user(state, request, tenant, &id, |id| async move {
        let transaction = state.db.begin().await?;
        provisioned::delete(&transaction, &tenant.provisioner, id).await?;
        transaction.commit().await?;
        Ok(HttpResponse::NoContent().finish())
    })
    .await
}
