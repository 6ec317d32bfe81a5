//! **Authorize**: the admin's browser goes to Entra's admin consent with a `state` that only this
//! server knows (its SHA-256 is kept for ten minutes), and comes back to the callback, which
//! records the consented Entra tenant and who authorised it, or the refusal in Entra's words.

use chrono::Utc;
use entity::{user, user_source};
use msp_graph::{GraphClient, SignInApp};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::{UserSourceError, save, stored};
pub use crate::services::entra_consent::{ConsentAnswer, ConsentOutcome};
use crate::{
    infra::auth::Caller,
    services::{
        audit::{self, AuditRecord, Source},
        entra_consent::NewConsent,
        storage::StorageError,
    },
};

/// Starts an admin consent for the caller's tenant; answers where to send the browser.
pub async fn begin(
    db: &impl ConnectionTrait,
    caller: &Caller,
    graph: &GraphClient,
    app: Option<&SignInApp>,
    redirect_uri: &str,
) -> Result<String, UserSourceError> {
    caller.require_admin()?;
    let app = app.ok_or(UserSourceError::AppNotConfigured)?;
    let consent = NewConsent::start()?;
    let mut row = stored(db, caller.tenant_id).await?;
    row.consent_state_hash = Some(consent.state_hash);
    row.consent_started_by = Some(caller.user_id);
    row.consent_expires_at = Some(consent.expires_at);
    save(db, row).await?;
    Ok(graph
        .admin_consent_url(app, redirect_uri, &consent.state)?
        .to_string())
}

/// Records the answer of a consent this server started, on `db` (a transaction).
pub async fn complete(
    db: &impl ConnectionTrait,
    answer: ConsentAnswer,
) -> Result<ConsentOutcome, StorageError> {
    let Some(state_hash) = answer.state_hash() else {
        return Ok(ConsentOutcome::no_state());
    };
    let pending = user_source::Entity::find()
        .filter(user_source::Column::ConsentStateHash.eq(state_hash))
        .one(db)
        .await?;
    let Some(mut row) = pending else {
        return Ok(ConsentOutcome::unknown_state());
    };
    let expires_at = row.consent_expires_at;
    let started_by = row.consent_started_by;
    row.consent_state_hash = None;
    row.consent_started_by = None;
    row.consent_expires_at = None;
    let tenant_id = row.tenant_id;
    let entra = match answer.verdict(expires_at) {
        Ok(entra) => entra,
        Err(refusal) => {
            save(db, row).await?;
            return Ok(ConsentOutcome::Refused(refusal));
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
    if row.entra_tenant_id.as_deref() != Some(entra.to_string().as_str()) {
        // Another directory: its changes start with a full round.
        row.delta_link = None;
    }
    row.entra_tenant_id = Some(entra.to_string());
    row.authorised_by = Some(authorised_by.clone());
    row.authorised_at = Some(Utc::now());
    save(db, row).await?;
    audit::record(
        db,
        AuditRecord {
            copy_to_msp: None,
            tenant_id,
            actor_user_id: by.map(|user| user.id),
            source: Source::Api,
            source_ip: None,
            action: "user_source.authorise",
            target: format!("tenant:{tenant_id}"),
            details: Some(serde_json::json!({
                "entra_tenant_id": entra.to_string(),
                "authorised_by": authorised_by,
            })),
        },
    )
    .await?;
    Ok(ConsentOutcome::Granted)
}
