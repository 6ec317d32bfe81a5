//! **Authorize**: the admin's browser goes to Entra's admin consent with a `state` that only this
//! server knows (its SHA-256 is kept for ten minutes), and comes back to the callback, which
//! records the consented Entra tenant and who authorised it, or the refusal in Entra's words.

use chrono::{Duration, Utc};
use entity::{user, user_source};
use msp_graph::{GraphClient, SignInApp};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::{UserSourceError, save, stored};
use crate::{
    infra::auth::{ApiTokenSecret, Caller, random_bytes},
    services::{
        audit::{self, AuditRecord, Source},
        storage::StorageError,
    },
};

/// How long an Authorize may take in Entra.
const CONSENT_LIFETIME_MINUTES: i64 = 10;

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
    let state = hex::encode(random_bytes::<32>()?);
    let mut row = stored(db, caller.tenant_id).await?;
    row.consent_state_hash = Some(ApiTokenSecret::hash_of(&state));
    row.consent_started_by = Some(caller.user_id);
    row.consent_expires_at = Some(Utc::now() + Duration::minutes(CONSENT_LIFETIME_MINUTES));
    save(db, row).await?;
    Ok(graph
        .admin_consent_url(app, redirect_uri, &state)?
        .to_string())
}

/// What Entra sent back to the callback.
pub struct ConsentAnswer {
    pub state: Option<String>,
    pub tenant: Option<String>,
    pub admin_consent: Option<String>,
    pub error: Option<String>,
    pub error_description: Option<String>,
}

/// How a consent ended, for the page the browser lands on.
#[derive(Debug, PartialEq, Eq)]
pub enum ConsentOutcome {
    Granted,
    /// Entra's refusal, in its words, or ours for a state we did not issue or that expired.
    Refused(String),
}

/// Records the answer of a consent this server started, on `db` (a transaction).
pub async fn complete(
    db: &impl ConnectionTrait,
    answer: ConsentAnswer,
) -> Result<ConsentOutcome, StorageError> {
    let Some(state) = answer.state.as_deref().filter(|state| !state.is_empty()) else {
        return Ok(ConsentOutcome::Refused(
            "the answer carries no state".to_owned(),
        ));
    };
    let pending = user_source::Entity::find()
        .filter(user_source::Column::ConsentStateHash.eq(ApiTokenSecret::hash_of(state)))
        .one(db)
        .await?;
    let Some(mut row) = pending else {
        return Ok(ConsentOutcome::Refused(
            "this answer does not belong to an Authorize started here; press Authorize again"
                .to_owned(),
        ));
    };
    let expired = row
        .consent_expires_at
        .is_none_or(|expiry| expiry < Utc::now());
    let started_by = row.consent_started_by;
    row.consent_state_hash = None;
    row.consent_started_by = None;
    row.consent_expires_at = None;
    let tenant_id = row.tenant_id;
    if expired {
        save(db, row).await?;
        return Ok(ConsentOutcome::Refused(
            "the Authorize took longer than 10 minutes; press Authorize again".to_owned(),
        ));
    }
    if let Some(error) = answer.error {
        save(db, row).await?;
        let words = answer.error_description.unwrap_or(error);
        return Ok(ConsentOutcome::Refused(words));
    }
    let consented_tenant = answer
        .tenant
        .as_deref()
        .and_then(|tenant| domain::AzureTenantId::parse(tenant).ok());
    let (true, Some(entra)) = (
        answer
            .admin_consent
            .as_deref()
            .is_some_and(|granted| granted.eq_ignore_ascii_case("true")),
        consented_tenant,
    ) else {
        save(db, row).await?;
        return Ok(ConsentOutcome::Refused(
            "Microsoft Entra did not confirm the consent".to_owned(),
        ));
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
