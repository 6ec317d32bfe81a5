//! Sending a bulk create in chunks (`POST /api/v1/customers/batch`), and what became of each
//! row: created with its licence key, or refused with the server's words.

use proto::{CreateCustomer, Customer, CustomersBatchOutcome};

use super::form::random_idempotency_key;
use crate::api::{ApiFailure, customers as api, sentence};

/// Rows per batch request: small enough for the progress bar to move, large enough to be quick.
pub const CHUNK_SIZE: usize = 25;

/// How often a chunk whose outcome is unknown (no answer, a 5xx) is sent again, with the same
/// Idempotency-Key so nothing it created is created twice.
const RETRIES: u32 = 2;

/// What became of one row.
#[derive(Clone, Debug, PartialEq)]
pub enum RowOutcome {
    /// Created, with its licence key.
    Created(Box<Customer>),
    /// The server's words: its detail, then one line per field it complained about.
    Refused(Vec<String>),
}

/// One row's outcome, with the sub-tenant's name.
#[derive(Clone, PartialEq)]
pub struct RowResult {
    pub name: String,
    pub outcome: RowOutcome,
}

fn refusal_words(failure: &ApiFailure) -> Vec<String> {
    let mut words = vec![failure.message()];
    words.extend(
        failure
            .field_errors()
            .iter()
            .map(|error| format!("{}: {}", error.field, sentence(&error.message))),
    );
    words
}

/// The chunk's answer read row by row, in the order the rows were sent.
fn row_outcomes(sent: usize, answer: CustomersBatchOutcome) -> Vec<RowOutcome> {
    let mut outcomes = vec![RowOutcome::Refused(vec!["The server did not say.".to_owned()]); sent];
    for item in answer.items {
        let Some(slot) = usize::try_from(item.index)
            .ok()
            .and_then(|index| outcomes.get_mut(index))
        else {
            continue;
        };
        *slot = match (item.customer, item.problem) {
            (Some(customer), _) => RowOutcome::Created(Box::new(customer)),
            (None, Some(problem)) => RowOutcome::Refused(refusal_words(&ApiFailure::Problem {
                status: item.status,
                problem,
                retry_after: None,
            })),
            (None, None) => {
                RowOutcome::Refused(vec![format!("Refused by the server ({}).", item.status)])
            }
        };
    }
    outcomes
}

/// Sends one chunk, retrying under the same key while its outcome is unknown; every row's
/// outcome, in order.
pub async fn send_chunk(items: Vec<CreateCustomer>) -> Vec<RowOutcome> {
    let sent = items.len();
    let Some(key) = random_idempotency_key() else {
        let words = "Your browser could not generate a request key. Reload the page and try again.";
        return vec![RowOutcome::Refused(vec![words.to_owned()]); sent];
    };
    let mut tries = 0;
    loop {
        match api::create_customers_batch(items.clone(), &key).await {
            Ok(answer) => return row_outcomes(sent, answer),
            Err(failure) if failure.outcome_unknown() && tries < RETRIES => tries += 1,
            Err(failure) => return vec![RowOutcome::Refused(refusal_words(&failure)); sent],
        }
    }
}

#[cfg(test)]
mod tests {
    use proto::{BatchItemOutcome, Problem};

    use super::*;

    #[test]
    fn each_row_gets_its_own_items_outcome_and_a_missing_one_is_refused() {
        let problem = Problem {
            problem_type: "about:blank".to_owned(),
            title: "Conflict".to_owned(),
            status: 409,
            detail: Some("a customer with this name already exists".to_owned()),
            code: "name_exists".to_owned(),
            errors: vec![],
        };
        let answer = CustomersBatchOutcome {
            items: vec![BatchItemOutcome {
                index: 1,
                status: 409,
                customer: None,
                problem: Some(problem),
            }],
            created: 0,
            refused: 1,
        };
        let outcomes = row_outcomes(2, answer);
        assert_eq!(
            outcomes[1],
            RowOutcome::Refused(vec!["A customer with this name already exists.".to_owned()])
        );
        assert!(
            matches!(&outcomes[0], RowOutcome::Refused(words) if words[0].contains("did not say"))
        );
    }
}
