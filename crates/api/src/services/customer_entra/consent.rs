//! **Authorize** for a customer's directory: the MSP admin's browser goes to Entra's admin
//! consent, where an admin of the customer's directory consents, and comes back to the callback,
//! which records the customer's Entra tenant and who authorised it, or the refusal in Entra's
//! words.

use chrono::Utc;
use entity::{customer, customer_entra_connection, user};
use msp_graph::{GraphClient, SignInApp};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::{CustomerEntraError, customer_of, save, stored};
use crate::{
    infra::auth::Caller,
    services::{
        audit::{self, AuditRecord, Source},
        entra_consent::{ConsentAnswer, ConsentOutcome, NewConsent},
        storage::StorageError,
    },
};

/// Starts an admin consent for the customer's directory; answers where to send the browser.
pub async fn begin(
    db: &impl ConnectionTrait,
    caller: &Caller,
    graph: &GraphClient,
    app: Option<&SignInApp>,
    customer_id: Uuid,
    redirect_uri: &str,
) -> Result<String, CustomerEntraError> {
    let customer = customer_of(db, caller, customer_id).await?;
    let app = app.ok_or(CustomerEntraError::AppNotConfigured)?;
    let consent = NewConsent::start()?;
    let mut row = stored(db, &customer).await?;
    row.consent_state_hash = Some(consent.state_hash);
    row.consent_started_by = Some(caller.user_id);
    row.consent_expires_at = Some(consent.expires_at);
    save(db, row).await?;
    Ok(graph
        .admin_consent_url(app, redirect_uri, &consent.state)?
        .to_string())
}

/// Records the answer of a consent this server started, on `db` (a transaction); answers the
/// customer it was for (when the state is ours) and the outcome.
pub async fn complete(
    db: &impl ConnectionTrait,
    answer: ConsentAnswer,
) -> Result<(Option<Uuid>, ConsentOutcome), StorageError> {
    let Some(state_hash) = answer.state_hash() else {
        return Ok((None, ConsentOutcome::no_state()));
    };
    let pending = customer_entra_connection::Entity::find()
        .filter(customer_entra_connection::Column::ConsentStateHash.eq(state_hash))
        .one(db)
        .await?;
    let Some(mut row) = pending else {
        return Ok((None, ConsentOutcome::unknown_state()));
    };
    let customer_id = row.customer_id;
    let expires_at = row.consent_expires_at;
    let started_by = row.consent_started_by;
    row.consent_state_hash = None;
    row.consent_started_by = None;
    row.consent_expires_at = None;
    let entra = match answer.verdict(expires_at) {
        Ok(entra) => entra,
        Err(refusal) => {
            save(db, row).await?;
            return Ok((Some(customer_id), ConsentOutcome::Refused(refusal)));
        }
    };
    let by = match started_by {
        Some(id) => user::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    let authorised_by = by
        .as_ref()
        .map(|user| user.email.clone())
        .unwrap_or_default();
    row.entra_tenant_id = Some(entra.to_string());
    row.authorised_by = Some(authorised_by.clone());
    row.authorised_at = Some(Utc::now());
    let reseller_id = row.reseller_id;
    save(db, row).await?;
    // Written in the customer tenant, with the MSP's copy, as a change made from inside it.
    let in_customer = customer::Entity::find_by_id(customer_id).one(db).await?;
    audit::record(
        db,
        AuditRecord {
            copy_to_msp: in_customer.map(|_| reseller_id),
            tenant_id: customer_id,
            actor_user_id: by.map(|user| user.id),
            source: Source::Api,
            source_ip: None,
            action: "customer.entra_connection.authorise",
            target: format!("customer:{customer_id}"),
            details: Some(serde_json::json!({
                "entra_tenant_id": entra.to_string(),
                "authorised_by": authorised_by,
            })),
        },
    )
    .await?;
    Ok((Some(customer_id), ConsentOutcome::Granted))
}
