//! The directory's say at sign-in, for a tenant whose user source is Microsoft Entra (SPEC §16):
//! a technician removed or disabled in Entra is deactivated here as they sign in, without
//! waiting for the next sync; and someone signing in with Microsoft whose e-mail at the
//! onboarding domain is an enabled account of the consented directory is onboarded as a
//! technician.

use chrono::Utc;
use domain::{DisplayName, Email};
use entity::{ClaimCodes, user, user_source};
use msp_graph::{GraphClient, MicrosoftIdentity, SignInApp, UserLookup};
use proto::{Role, UserSource};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
    TransactionTrait,
};
use uuid::Uuid;

use super::{
    AZUREAD, connected_tenant,
    offboarding::{self, NoticedBy},
    stored,
};
use crate::services::{
    audit::{self, AuditRecord, Source},
    storage::StorageError,
    users,
};

/// Whether `account` may go on signing in: false once the directory removed or disabled it
/// (it is then deactivated here, audited). An account the directory never knew (the admin who
/// set the source up, say) is left alone, as the sync leaves it. When Graph cannot answer, the
/// sign-in goes on: the next sync still offboards, and an outage of Microsoft's should not lock
/// every technician out.
/// `reads` serves the look-up of the tenant's source, `db` the offboarding.
pub async fn still_in_directory(
    reads: &DatabaseConnection,
    db: &DatabaseConnection,
    graph: &GraphClient,
    app: Option<&SignInApp>,
    account: &user::Model,
) -> Result<bool, StorageError> {
    let source = stored(reads, account.tenant_id).await?;
    if source.source != AZUREAD {
        return Ok(true);
    }
    let (Some(app), Ok(entra)) = (app, connected_tenant(&source)) else {
        return Ok(true);
    };
    let lookup = match &account.external_id {
        Some(object_id) => UserLookup::ObjectId(object_id),
        None => UserLookup::Email(&account.email),
    };
    let (reason, object_id) = match graph.find_user(app, &entra, lookup).await {
        Err(error) => {
            tracing::warn!(%error, user_id = %account.id, "the directory could not be asked at sign-in");
            return Ok(true);
        }
        Ok(Some(found)) if found.enabled => return Ok(true),
        Ok(Some(found)) => ("disabled in Microsoft Entra", found.object_id),
        Ok(None) => match &account.external_id {
            Some(object_id) => ("not in Microsoft Entra", object_id.clone()),
            None => return Ok(true),
        },
    };
    let transaction = db.begin().await?;
    offboarding::offboard(&transaction, account, reason, &object_id, NoticedBy::SignIn).await?;
    transaction.commit().await?;
    Ok(false)
}

/// The tenant whose Entra user source `identity`'s directory is, and its onboarding domain:
/// only when exactly one tenant connected that directory.
async fn onboarding_tenant(
    db: &DatabaseConnection,
    identity: &MicrosoftIdentity,
) -> Result<Option<user_source::Model>, StorageError> {
    let mut sources = user_source::Entity::find()
        .filter(user_source::Column::Source.eq(AZUREAD))
        .filter(user_source::Column::EntraTenantId.eq(identity.tenant_id.to_lowercase()))
        .all(db)
        .await?;
    Ok(if sources.len() == 1 {
        sources.pop()
    } else {
        None
    })
}

/// Onboards `identity` as a technician of the tenant whose user source is its directory, when
/// its e-mail is at the onboarding domain and the directory holds it, enabled. Answers the new
/// account, or `None` when the identity is not the directory's to onboard.
pub async fn onboard(
    db: &DatabaseConnection,
    graph: &GraphClient,
    app: Option<&SignInApp>,
    identity: &MicrosoftIdentity,
) -> Result<Option<user::Model>, StorageError> {
    let Some(source) = onboarding_tenant(db, identity).await? else {
        return Ok(None);
    };
    let email = [&identity.user_name, &identity.email]
        .into_iter()
        .flatten()
        .filter_map(|name| Email::parse(name).ok())
        .find(|email| {
            source
                .onboarding_domain
                .as_deref()
                .is_some_and(|domain| domain.eq_ignore_ascii_case(email.domain()))
        });
    let (Some(email), Some(app), Ok(entra)) = (email, app, connected_tenant(&source)) else {
        return Ok(None);
    };
    match graph
        .find_user(app, &entra, UserLookup::ObjectId(&identity.object_id))
        .await
    {
        Ok(Some(found)) if found.enabled => {}
        Ok(_) => return Ok(None),
        Err(error) => {
            tracing::warn!(%error, "the directory could not be asked to onboard a technician");
            return Ok(None);
        }
    }
    let transaction = db.begin().await?;
    if users::find_by_email(&transaction, &email).await?.is_some() {
        return Ok(None);
    }
    let display_name = identity
        .name
        .as_deref()
        .and_then(|name| DisplayName::parse(name).ok())
        .unwrap_or_default();
    let created = user::ActiveModel {
        id: Set(Uuid::new_v4()),
        tenant_id: Set(source.tenant_id),
        email: Set(email.as_str().to_owned()),
        // Signs in with Microsoft; a password can only come from an admin's invitation.
        password_hash: Set(String::new()),
        role: Set(Role::Technician),
        claims: Set(ClaimCodes(Vec::new())),
        created_at: Set(Utc::now()),
        display_name: Set(display_name.as_str().to_owned()),
        use_mfa: Set(false),
        allow_ui_access: Set(true),
        active: Set(true),
        source: Set(UserSource::Entra),
        last_sign_in_at: Set(None),
        external_id: Set(Some(identity.object_id.clone())),
        scim_profile: Set(None),
        modified_at: Set(None),
        provisioned_at: Set(None),
        duo_linked_at: Set(None),
    }
    .insert(&transaction)
    .await?;
    audit::record(
        &transaction,
        AuditRecord {
            copy_to_msp: None,
            tenant_id: source.tenant_id,
            actor_user_id: Some(created.id),
            source: Source::Api,
            source_ip: None,
            action: "user.onboard",
            target: format!("user:{}", created.id),
            details: Some(serde_json::json!({
                "email": created.email,
                "role": created.role.as_str(),
                "entra_object_id": identity.object_id,
                "by": "sign_in_with_microsoft",
            })),
        },
    )
    .await?;
    transaction.commit().await?;
    Ok(Some(created))
}
