//! Duo as the second factor (SPEC §14): the password step hands over to Duo's prompt and Duo's
//! redirect hands back. The same round trip links Duo from the profile page. Whatever Duo does
//! not clearly allow refuses: a deny, an answer that does not verify, and no answer at all
//! (fail closed; recovery codes still work).

use chrono::Utc;
use domain::DuoRefusal;
use entity::{security_integration, user};
use msp_duo::DuoError;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, EntityTrait};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::SignInError;
use crate::{
    infra::auth::MfaKey,
    services::{
        audit::{self, AuditRecord, Source},
        security_integrations::{self, DuoGateway, IntegrationError},
        sessions,
    },
};

/// What a Duo round trip is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DuoPurpose {
    /// The second step of a sign-in.
    SignIn,
    /// "Link Duo" on the profile page, from this session.
    Link { session_id: Uuid },
}

/// What must survive the trip to Duo and back; kept signed in an HttpOnly cookie so that any
/// replica can finish it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PendingDuo {
    pub purpose: DuoPurpose,
    pub user_id: Uuid,
    pub integration_id: Uuid,
    pub state: String,
    pub nonce: String,
}

/// A Duo round trip begun: where the browser goes, and what the callback is checked against.
pub struct BegunDuo {
    pub redirect_url: String,
    pub pending: PendingDuo,
}

fn refused(refusal: DuoRefusal) -> SignInError {
    SignInError::Duo(refusal)
}

fn refusal_of(error: &DuoError) -> DuoRefusal {
    match error {
        DuoError::Unreachable { .. } | DuoError::NotDuo { .. } => DuoRefusal::Unreachable,
        DuoError::CredentialsRefused(_)
        | DuoError::CodeRefused(_)
        | DuoError::TokenInvalid(_)
        | DuoError::Signing(_) => DuoRefusal::Invalid,
    }
}

fn integration_failure(error: IntegrationError) -> SignInError {
    match error {
        IntegrationError::Storage(storage) => SignInError::Storage(storage),
        IntegrationError::Infra(infra) => SignInError::Infra(infra),
        other => {
            tracing::warn!(%other, "the stored Duo integration cannot be used");
            refused(DuoRefusal::NotAvailable)
        }
    }
}

/// Whether `user` is offered Duo at sign-in: linked, and its tenant's Duo integration is on.
pub async fn offered(db: &impl ConnectionTrait, user: &user::Model) -> Result<bool, SignInError> {
    if user.duo_linked_at.is_none() {
        return Ok(false);
    }
    Ok(security_integrations::enabled_duo(db, user.tenant_id)
        .await?
        .is_some())
}

/// Checks Duo's health (fail closed) and prepares the prompt for `user`.
pub async fn begin(
    db: &impl ConnectionTrait,
    gateway: &DuoGateway,
    key: &MfaKey,
    user: &user::Model,
    purpose: DuoPurpose,
    redirect_uri: &str,
) -> Result<BegunDuo, SignInError> {
    if purpose == DuoPurpose::SignIn && user.duo_linked_at.is_none() {
        return Err(refused(DuoRefusal::NotAvailable));
    }
    let stored = security_integrations::enabled_duo(db, user.tenant_id)
        .await?
        .ok_or(refused(DuoRefusal::NotAvailable))?;
    let integration = security_integrations::unseal(key, &stored).map_err(integration_failure)?;
    if let Err(error) = gateway.client.health_check(&integration).await {
        tracing::warn!(%error, "Duo's health check failed; the Duo step is refused");
        metrics::counter!("duo_calls_total", "call" => "health_check", "outcome" => "failed")
            .increment(1);
        return Err(refused(DuoRefusal::Unreachable));
    }
    let begun = gateway
        .client
        .begin(&integration, &user.email, redirect_uri)
        .map_err(|error| {
            tracing::warn!(%error, "cannot prepare Duo's prompt");
            refused(refusal_of(&error))
        })?;
    Ok(BegunDuo {
        redirect_url: begun.authorize_url,
        pending: PendingDuo {
            purpose,
            user_id: user.id,
            integration_id: stored.id,
            state: begun.state,
            nonce: begun.nonce,
        },
    })
}

/// Redeems Duo's `duo_code` for the pending round trip and answers the user Duo allowed.
pub async fn complete(
    db: &impl ConnectionTrait,
    gateway: &DuoGateway,
    key: &MfaKey,
    pending: &PendingDuo,
    duo_code: &str,
    redirect_uri: &str,
) -> Result<user::Model, SignInError> {
    let user = user::Entity::find_by_id(pending.user_id)
        .one(db)
        .await?
        .ok_or(refused(DuoRefusal::Expired))?;
    if !user.active {
        return Err(SignInError::Deactivated);
    }
    let stored = security_integration::Entity::find_by_id(pending.integration_id)
        .one(db)
        .await?
        .filter(|stored| stored.enabled && stored.tenant_id == user.tenant_id)
        .ok_or(refused(DuoRefusal::NotAvailable))?;
    let integration = security_integrations::unseal(key, &stored).map_err(integration_failure)?;
    let outcome = gateway
        .client
        .complete(
            &integration,
            duo_code,
            redirect_uri,
            &user.email,
            &pending.nonce,
        )
        .await
        .map_err(|error| {
            tracing::warn!(%error, "Duo's answer was refused");
            metrics::counter!("duo_calls_total", "call" => "token", "outcome" => "failed")
                .increment(1);
            refused(refusal_of(&error))
        })?;
    if !outcome.allowed() {
        tracing::info!(status = %outcome.status, "Duo denied the authentication");
        return Err(refused(DuoRefusal::Denied));
    }
    metrics::counter!("duo_calls_total", "call" => "token", "outcome" => "allowed").increment(1);
    Ok(user)
}

/// Records that `user` completed Duo from the profile page; a session that was waiting for a
/// factor may now do everything.
pub async fn link(
    db: &impl ConnectionTrait,
    user: user::Model,
    session_id: Uuid,
    source_ip: Option<String>,
) -> Result<(), SignInError> {
    let (tenant_id, user_id) = (user.tenant_id, user.id);
    let mut linked: user::ActiveModel = user.into();
    linked.duo_linked_at = Set(Some(Utc::now()));
    linked.update(db).await?;
    sessions::complete_enrolment(db, session_id).await?;
    audit::record(
        db,
        AuditRecord {
            copy_to_msp: None,
            tenant_id,
            actor_user_id: Some(user_id),
            source: Source::Api,
            source_ip,
            action: "mfa.duo_link",
            target: format!("user:{user_id}"),
            details: None,
        },
    )
    .await?;
    Ok(())
}

/// "Unlink Duo" on the profile page.
pub async fn unlink(
    db: &impl ConnectionTrait,
    caller: &crate::infra::auth::Caller,
) -> Result<bool, SignInError> {
    let Some(user) = user::Entity::find_by_id(caller.user_id).one(db).await? else {
        return Ok(false);
    };
    if user.duo_linked_at.is_none() {
        return Ok(false);
    }
    let mut unlinked: user::ActiveModel = user.into();
    unlinked.duo_linked_at = Set(None);
    unlinked.update(db).await?;
    audit::record(
        db,
        AuditRecord::by(caller, "mfa.duo_unlink", format!("user:{}", caller.user_id)),
    )
    .await?;
    Ok(true)
}
