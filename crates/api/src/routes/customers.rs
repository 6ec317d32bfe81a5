use actix_web::{HttpRequest, HttpResponse, delete, get, http::StatusCode, patch, post, put, web};
use domain::{CustomerChanges, CustomerDraft};
use proto::{Claim, CreateCustomer, Customer, Delegation, Page, UpdateCustomer};
use sea_orm::TransactionTrait;
use uuid::Uuid;

use crate::{
    error::{ApiError, RequestError},
    infra::{auth::Caller, state::AppState},
    routes::{
        idempotency::{IdempotencyKey, StoredAnswer},
        json_object::JsonObject,
        paging::SearchQuery,
    },
    services::{
        customers::{self, CustomerError, CustomerSearch},
        delegation, tenancy,
    },
};

/// The Corporate customers under the caller's reseller (or a distributor's resellers), by name,
/// with one search box over name, type, created date (`YYYY-MM-DD`) and the three numbers.
#[utoipa::path(
    tag = "customers",
    params(SearchQuery),
    responses(
        (status = 200, description = "A page of customers", body = Page<Customer>),
        (status = 400, description = "Malformed query", body = proto::Problem, content_type = "application/problem+json"),
        (status = 403, description = "Needs `view_customers`", body = proto::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Paging out of range", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[get("/customers")]
pub async fn list_customers(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<SearchQuery>,
) -> Result<web::Json<Page<Customer>>, ApiError> {
    caller.require(Claim::ViewCustomers)?;
    let search = CustomerSearch::try_from(&*query)?;
    let own = tenancy::find_tenant(&state.reads, caller.tenant_id).await?;
    let mut found = customers::search_customers(&state.reads, &own, &search).await?;
    for customer in &mut found.items {
        state.addresses.localize(customer);
    }
    Ok(web::Json(found))
}

/// Creates a Corporate customer under the caller's reseller, with a licence key valid for a year.
/// Send an `Idempotency-Key` header to make retries safe: a repeat returns the first answer.
#[utoipa::path(
    tag = "customers",
    request_body = CreateCustomer,
    params(("Idempotency-Key" = Option<String>, Header, min_length = 1, pattern = r"^([\t ]*[!-~](?:[\t -~]{0,198}[!-~])?[\t ]*)$", description = "Makes a retry return the first result instead of creating twice: 1–200 visible ASCII characters")),
    responses(
        (status = 201, description = "Created", body = Customer),
        (status = 400, description = "Malformed body or key", body = proto::Problem, content_type = "application/problem+json"),
        (status = 403, description = "Needs `create_customer` on a reseller", body = proto::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Name or Azure tenant ID taken, or the key reused", body = proto::Problem, content_type = "application/problem+json"),
        (status = 422, description = "A rule of the form is broken", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[post("/customers")]
pub async fn create_customer(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    body: JsonObject<CreateCustomer>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Claim::CreateCustomer)?;
    let idempotency = IdempotencyKey::of(&request, caller.user_id, &*body)?;
    if let Some(key) = &idempotency
        && let Some(replay) = key.stored(&state.reads).await?
    {
        return Ok(replay);
    }
    let reseller = customers::caller_reseller(&state.reads, &caller).await?;
    match create_one(&state, &caller, &reseller, &body, idempotency.as_ref()).await? {
        Created::Now(created) => Ok(HttpResponse::Created().json(*created)),
        Created::Before(answer) => Ok(answer.replay()),
    }
}

/// A customer created by this request, or the stored answer of the first request with its key.
pub enum Created {
    Now(Box<Customer>),
    Before(StoredAnswer),
}

/// Creates the customer `body` under `reseller` in a transaction of its own, claiming and
/// completing `idempotency` in it.
pub async fn create_one(
    state: &AppState,
    caller: &Caller,
    reseller: &entity::tenant::Model,
    body: &CreateCustomer,
    idempotency: Option<&IdempotencyKey>,
) -> Result<Created, ApiError> {
    let draft = CustomerDraft::parse(body, &customers::terms_of(reseller))
        .map_err(CustomerError::Invalid)?;
    let transaction = state.db.begin().await?;
    if let Some(key) = idempotency
        && let Err(error) = key.claim(&transaction).await
    {
        drop(transaction);
        // The same key committed meanwhile: answer as it did.
        return match key.stored_answer(&state.db).await? {
            Some(answer) => Ok(Created::Before(answer)),
            None => Err(error),
        };
    }
    let mut created = customers::create_customer(&transaction, caller, reseller, draft).await?;
    state.addresses.localize(&mut created);
    if let Some(key) = idempotency {
        key.complete(&transaction, StatusCode::CREATED, &created)
            .await?;
    }
    transaction.commit().await?;
    Ok(Created::Now(Box::new(created)))
}

/// One customer of the caller's subtree.
#[utoipa::path(
    tag = "customers",
    params(("id" = Uuid, Path, description = "Customer ID")),
    responses(
        (status = 200, description = "The customer", body = Customer),
        (status = 403, description = "Needs `view_customers`", body = proto::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such customer in your tree", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[get("/customers/{id}")]
pub async fn get_customer(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<web::Json<Customer>, ApiError> {
    caller.require(Claim::ViewCustomers)?;
    let own = tenancy::find_tenant(&state.reads, caller.tenant_id).await?;
    let row = customers::find_visible_customer(&state.reads, &own, id.into_inner()).await?;
    let mut customer = customers::customer_views(&state.reads, &[row.tenant_id])
        .await?
        .pop()
        .ok_or(RequestError::NotFound)?;
    state.addresses.localize(&mut customer);
    Ok(web::Json(customer))
}

/// Changes a customer under the rules of creation; only the fields given change.
#[utoipa::path(
    tag = "customers",
    params(("id" = Uuid, Path, description = "Customer ID")),
    request_body = UpdateCustomer,
    responses(
        (status = 200, description = "Updated", body = Customer),
        (status = 400, description = "Malformed body", body = proto::Problem, content_type = "application/problem+json"),
        (status = 403, description = "Needs `create_customer` and `view_customers`", body = proto::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such customer in your tree", body = proto::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Name or Azure tenant ID taken", body = proto::Problem, content_type = "application/problem+json"),
        (status = 422, description = "A rule of the form is broken", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[patch("/customers/{id}")]
pub async fn update_customer(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: JsonObject<UpdateCustomer>,
) -> Result<web::Json<Customer>, ApiError> {
    // The answer is the whole customer, licence key included: only for those who may see it.
    caller.require(Claim::CreateCustomer)?;
    caller.require(Claim::ViewCustomers)?;
    let transaction = state.db.begin().await?;
    let own = tenancy::find_tenant(&transaction, caller.tenant_id).await?;
    let existing = customers::find_visible_customer(&transaction, &own, id.into_inner()).await?;
    let reseller = tenancy::find_tenant(&transaction, existing.reseller_id).await?;
    let changes = CustomerChanges::parse(&body, &customers::terms_of(&reseller))
        .map_err(CustomerError::Invalid)?;
    let mut updated = customers::update_customer(&transaction, &caller, existing, changes).await?;
    transaction.commit().await?;
    state.addresses.localize(&mut updated);
    Ok(web::Json(updated))
}

/// Deletes a customer tenant (admins) and everything that belongs to it, in one transaction:
/// the customer, its licence keys and their activations, its group policy assignments, its
/// users with their sessions, tokens and factors, its settings and its own audit log. Your
/// audit log keeps the deletion. The web app asks for the customer's name to be typed first.
#[utoipa::path(
    tag = "customers",
    params(("id" = Uuid, Path, description = "Customer ID")),
    responses(
        (status = 204, description = "Deleted with all of its data"),
        (status = 403, description = "Admins only", body = proto::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such customer in your tree (or already deleted)", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[delete("/customers/{id}")]
pub async fn delete_customer(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require_admin()?;
    let transaction = state.db.begin().await?;
    let own = tenancy::find_tenant(&transaction, caller.tenant_id).await?;
    let existing = customers::find_visible_customer(&transaction, &own, id.into_inner()).await?;
    customers::delete_customer(&transaction, &caller, existing).await?;
    transaction.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The MSP's technicians and technician groups allowed into this customer tenant besides its
/// admins (admins).
#[utoipa::path(
    tag = "customers",
    params(("id" = Uuid, Path, description = "Customer ID")),
    responses(
        (status = 200, description = "The delegation", body = Delegation),
        (status = 403, description = "Admins only", body = proto::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such customer in your tree", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[get("/customers/{id}/delegation")]
pub async fn get_delegation(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<web::Json<Delegation>, ApiError> {
    caller.require_admin()?;
    let own = tenancy::find_tenant(&state.reads, caller.tenant_id).await?;
    let existing = customers::find_visible_customer(&state.reads, &own, id.into_inner()).await?;
    Ok(web::Json(delegation::get(&state.reads, &existing).await?))
}

/// Replaces who may go into this customer tenant: users and technician groups of its MSP. It
/// holds from the next request and is audited with what it was before.
#[utoipa::path(
    tag = "customers",
    params(("id" = Uuid, Path, description = "Customer ID")),
    request_body = Delegation,
    responses(
        (status = 200, description = "The new delegation", body = Delegation),
        (status = 400, description = "Malformed body", body = proto::Problem, content_type = "application/problem+json"),
        (status = 403, description = "Admins only", body = proto::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such customer in your tree", body = proto::Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = proto::Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not JSON", body = proto::Problem, content_type = "application/problem+json"),
        (status = 422, description = "A user or group that is not the MSP's (`unknown`, by position), or too many", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[put("/customers/{id}/delegation")]
pub async fn put_delegation(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: JsonObject<Delegation>,
) -> Result<web::Json<Delegation>, ApiError> {
    caller.require_admin()?;
    let transaction = state.db.begin().await?;
    let own = tenancy::find_tenant(&transaction, caller.tenant_id).await?;
    let existing = customers::find_visible_customer(&transaction, &own, id.into_inner()).await?;
    let replaced = delegation::replace(&transaction, &caller, &existing, &body).await?;
    transaction.commit().await?;
    Ok(web::Json(replaced))
}
