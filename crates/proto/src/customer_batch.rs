use serde::{Deserialize, Serialize};

use crate::{CreateCustomer, Customer, Problem};

/// The most customers one batch creates.
pub const MAX_BATCH_ITEMS: usize = 500;

/// `POST /api/v1/customers/batch` body: 1–500 customers, each as `POST /api/v1/customers` takes
/// it, created one by one.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateCustomersBatch {
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 500))]
    pub items: Vec<CreateCustomer>,
}

/// The answer to a batch: each item's outcome in the body's order, and the counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomersBatchOutcome {
    pub items: Vec<BatchItemOutcome>,
    pub created: u32,
    pub refused: u32,
}

/// One item of a batch: created (`status` 201, with the customer) or refused (the status and
/// problem `POST /api/v1/customers` would have answered).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BatchItemOutcome {
    /// The item's 0-based position in the body.
    pub index: u32,
    pub status: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<Customer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<Problem>,
}
