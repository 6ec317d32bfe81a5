//! `POST /api/v1/customers/batch`: many customers at once, as the Azure customers grid's bulk
//! create sends them (issue 19). Each item is created as `POST /api/v1/customers` creates one,
//! in a transaction of its own, so one refused item never holds back the others.

use actix_web::{HttpRequest, ResponseError, post, web};
use proto::{
    BatchItemOutcome, Claim, CreateCustomersBatch, Customer, CustomersBatchOutcome, MAX_BATCH_ITEMS,
};

use crate::{
    error::ApiError,
    infra::{auth::Caller, state::AppState},
    routes::{
        customers::{Created, create_one},
        idempotency::IdempotencyKey,
        json_object::BatchJsonObject,
    },
    services::customers,
};

/// Creates 1–500 customers under your reseller, each by the rules of `POST /api/v1/customers`
/// and in its own transaction: the answer lists every item's outcome in order (201 with the
/// customer, or the status and problem a single create would have answered). With an
/// `Idempotency-Key`, each created item is stored with its key and a repeated batch answers the
/// same for it instead of creating it again; refused items are tried again. Bodies up to 1 MiB.
#[utoipa::path(
    tag = "customers",
    request_body = CreateCustomersBatch,
    params(("Idempotency-Key" = Option<String>, Header, min_length = 1, pattern = r"^([\t ]*[!-~](?:[\t -~]{0,198}[!-~])?[\t ]*)$", description = "Makes a retry answer the items it created the first time instead of creating them again: 1–200 visible ASCII characters")),
    responses(
        (status = 200, description = "Each item's outcome", body = CustomersBatchOutcome),
        (status = 400, description = "Malformed body or key", body = proto::Problem, content_type = "application/problem+json"),
        (status = 403, description = "Needs `create_customer` on a reseller", body = proto::Problem, content_type = "application/problem+json"),
        (status = 422, description = "No items, or more than 500", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[post("/customers/batch")]
pub async fn create_customers_batch(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    body: BatchJsonObject<CreateCustomersBatch>,
) -> Result<web::Json<CustomersBatchOutcome>, ApiError> {
    caller.require(Claim::CreateCustomer)?;
    let batch = body.0;
    if batch.items.is_empty() || batch.items.len() > MAX_BATCH_ITEMS {
        return Err(ApiError::field(
            "items",
            "count",
            format!("a batch holds 1 to {MAX_BATCH_ITEMS} customers"),
        ));
    }
    let idempotency = IdempotencyKey::of(&request, caller.user_id, &batch)?;
    let reseller = customers::caller_reseller(&state.reads, &caller).await?;
    let mut outcome = CustomersBatchOutcome {
        items: Vec::with_capacity(batch.items.len()),
        created: 0,
        refused: 0,
    };
    for (index, item) in batch.items.iter().enumerate() {
        let key = match &idempotency {
            Some(key) => Some(key.for_item(index, item)?),
            None => None,
        };
        let created = match &key {
            Some(key) => match key.stored_answer(&state.db).await {
                Ok(Some(answer)) => Ok(Created::Before(answer)),
                Ok(None) => create_one(&state, &caller, &reseller, item, Some(key)).await,
                Err(error) => Err(error),
            },
            None => create_one(&state, &caller, &reseller, item, None).await,
        };
        let index = u32::try_from(index).unwrap_or(u32::MAX);
        let item_outcome = match created.and_then(created_customer) {
            Ok(customer) => {
                outcome.created += 1;
                BatchItemOutcome {
                    index,
                    status: 201,
                    customer: Some(customer),
                    problem: None,
                }
            }
            Err(error) => {
                outcome.refused += 1;
                BatchItemOutcome {
                    index,
                    status: error.status_code().as_u16(),
                    customer: None,
                    problem: Some(error.problem()),
                }
            }
        };
        outcome.items.push(item_outcome);
    }
    Ok(web::Json(outcome))
}

/// The customer a create made, now or the first time.
fn created_customer(created: Created) -> Result<Customer, ApiError> {
    match created {
        Created::Now(customer) => Ok(*customer),
        Created::Before(answer) => serde_json::from_str(&answer.body).map_err(ApiError::internal),
    }
}
