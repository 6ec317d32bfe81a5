//! Which account a sign-in with Microsoft opens (SPEC §14): the one whose Entra object ID (SCIM
//! `externalId`) is the ID token's `oid`, else the one whose e-mail is its UPN; only when the
//! account's company saved the same Microsoft tenant ID (`tid`) under Azure Login, or connected
//! that directory as its user source, and the account is active and may use the web app.

use domain::MicrosoftSignInRefusal;
use std::collections::HashMap;

use entity::{tenant, user, user_source};
use msp_graph::MicrosoftIdentity;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::SignInError;

/// The candidates for `identity`: by object ID first, then by e-mail or UPN.
async fn candidates(
    db: &impl ConnectionTrait,
    identity: &MicrosoftIdentity,
) -> Result<Vec<(user::Model, Option<tenant::Model>)>, SignInError> {
    let by_object_id = user::Entity::find()
        .filter(user::Column::ExternalId.eq(identity.object_id.as_str()))
        .find_also_related(tenant::Entity)
        .all(db)
        .await?;
    if !by_object_id.is_empty() {
        return Ok(by_object_id);
    }
    let names: Vec<String> = [&identity.user_name, &identity.email]
        .into_iter()
        .flatten()
        .map(|name| name.trim().to_lowercase())
        .filter(|name| !name.is_empty())
        .collect();
    if names.is_empty() {
        return Ok(Vec::new());
    }
    Ok(user::Entity::find()
        .filter(user::Column::Email.is_in(names))
        .find_also_related(tenant::Entity)
        .all(db)
        .await?)
}

/// The account `identity` opens, or why it opens none.
pub async fn account_for(
    db: &impl ConnectionTrait,
    identity: &MicrosoftIdentity,
) -> Result<user::Model, SignInError> {
    let refused = |refusal| Err(SignInError::Microsoft(refusal));
    let found = candidates(db, identity).await?;
    if found.is_empty() {
        return refused(MicrosoftSignInRefusal::NoAccount);
    }
    let directories = user_source_directories(db, &found).await?;
    let saved = |company: &Option<tenant::Model>| {
        company.as_ref().and_then(|company| {
            company
                .azure_tenant_id
                .clone()
                .filter(|saved| saved.eq_ignore_ascii_case(&identity.tenant_id))
                .or_else(|| directories.get(&company.id).cloned())
                .or_else(|| company.azure_tenant_id.clone())
        })
    };
    let matching = found.iter().find(|(_, company)| {
        saved(company).is_some_and(|saved| saved.eq_ignore_ascii_case(&identity.tenant_id))
    });
    let Some((account, _)) = matching else {
        return if found.iter().all(|(_, company)| saved(company).is_none()) {
            refused(MicrosoftSignInRefusal::TenantIdNotSaved)
        } else {
            refused(MicrosoftSignInRefusal::OtherTenant)
        };
    };
    if !account.active {
        return refused(MicrosoftSignInRefusal::Deactivated);
    }
    if !account.allow_ui_access {
        return refused(MicrosoftSignInRefusal::UiAccessOff);
    }
    Ok(account.clone())
}

/// The Entra directory each candidate's company connected as its user source.
async fn user_source_directories(
    db: &impl ConnectionTrait,
    found: &[(user::Model, Option<tenant::Model>)],
) -> Result<HashMap<Uuid, String>, SignInError> {
    let tenants: Vec<Uuid> = found.iter().map(|(account, _)| account.tenant_id).collect();
    Ok(user_source::Entity::find()
        .filter(user_source::Column::TenantId.is_in(tenants))
        .filter(user_source::Column::Source.eq(crate::services::user_source::AZUREAD))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|source| Some((source.tenant_id, source.entra_tenant_id?)))
        .collect())
}
