//! The offboarding sync (SPEC §16), run as the durable job `user_source_sync:<tenant>`: one
//! `/users/delta` round from the stored delta link (a full round the first time), then, in one
//! transaction, every technician removed from the directory or disabled there is deactivated
//! (sessions end; API tokens stop with the user), each audited with the reason. A re-enabled
//! account is not reactivated here: an admin decides. The delta link is kept only once the
//! round's changes are stored, so a failure never loses one.

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use entity::user;
use msp_graph::{DirectoryChange, GraphClient, SignInApp};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
    TransactionTrait,
};
use uuid::Uuid;

use super::{
    AZUREAD, connected_tenant,
    offboarding::{self, NoticedBy},
    save, stored,
};
use crate::services::storage::StorageError;

/// Runs one sync of `tenant_id`'s directory; answers how many users it deactivated, or why it
/// failed (also stored for the settings page).
pub async fn run(
    db: &DatabaseConnection,
    graph: &GraphClient,
    app: Option<&SignInApp>,
    tenant_id: Uuid,
) -> Result<u32, String> {
    let row = stored(db, tenant_id)
        .await
        .map_err(|error| error.to_string())?;
    if row.source != AZUREAD {
        return Ok(0);
    }
    let round = match (app, connected_tenant(&row)) {
        (None, _) => Err("no Microsoft Entra app is configured for this server".to_owned()),
        (Some(_), Err(error)) => Err(error.to_string()),
        (Some(app), Ok(entra)) => graph
            .users_delta(app, &entra, row.delta_link.as_deref())
            .await
            .map_err(|error| format!("Microsoft Graph: {error}")),
    };
    let round = match round {
        Ok(round) => round,
        Err(message) => {
            record_failure(db, tenant_id, &message)
                .await
                .map_err(|error| error.to_string())?;
            return Err(message);
        }
    };
    let full_round = row.delta_link.is_none();
    apply(db, tenant_id, round, full_round)
        .await
        .map_err(|error| error.to_string())
}

async fn record_failure(
    db: &DatabaseConnection,
    tenant_id: Uuid,
    message: &str,
) -> Result<(), StorageError> {
    let mut row = stored(db, tenant_id).await?;
    row.last_sync_at = Some(Utc::now());
    row.last_sync_error = Some(message.chars().take(2000).collect());
    save(db, row).await
}

async fn apply(
    db: &DatabaseConnection,
    tenant_id: Uuid,
    round: msp_graph::DeltaRound,
    full_round: bool,
) -> Result<u32, StorageError> {
    let transaction = db.begin().await?;
    let users = user::Entity::find()
        .filter(user::Column::TenantId.eq(tenant_id))
        .all(&transaction)
        .await?;
    let by_object: HashMap<String, usize> = users
        .iter()
        .enumerate()
        .filter_map(|(index, user)| Some((user.external_id.clone()?.to_lowercase(), index)))
        .collect();
    let by_email: HashMap<String, usize> = users
        .iter()
        .enumerate()
        .map(|(index, user)| (user.email.to_lowercase(), index))
        .collect();
    let mut present = HashSet::new();
    let mut leaving: Vec<(usize, &'static str, String)> = Vec::new();
    let mut linked: Vec<(usize, String)> = Vec::new();
    // Accounts the directory enables (true) or disables (false) that are inactive here.
    let mut inactive_seen: Vec<(usize, bool)> = Vec::new();
    for change in round.changes {
        match change {
            DirectoryChange::Removed { object_id } => {
                if let Some(&index) = by_object.get(&object_id.to_lowercase()) {
                    leaving.push((index, "removed from Microsoft Entra", object_id));
                }
            }
            DirectoryChange::Present(found) => {
                let object_id = found.object_id.to_lowercase();
                present.insert(object_id.clone());
                let index = by_object.get(&object_id).copied().or_else(|| {
                    [Some(&found.user_principal_name), found.mail.as_ref()]
                        .into_iter()
                        .flatten()
                        .find_map(|email| by_email.get(&email.to_lowercase()).copied())
                });
                let Some(index) = index else { continue };
                if users[index].external_id.is_none() {
                    linked.push((index, found.object_id.clone()));
                }
                if !users[index].active {
                    inactive_seen.push((index, found.enabled));
                } else if !found.enabled {
                    leaving.push((index, "disabled in Microsoft Entra", found.object_id));
                }
            }
        }
    }
    if full_round {
        for (object_id, &index) in &by_object {
            if !present.contains(object_id) {
                leaving.push((index, "not in Microsoft Entra", object_id.clone()));
            }
        }
    }
    for (index, object_id) in linked {
        let mut row: user::ActiveModel = users[index].clone().into();
        row.external_id = Set(Some(object_id));
        row.update(&transaction).await?;
    }
    for (index, enabled) in inactive_seen {
        offboarding::note_directory_state(&transaction, users[index].id, enabled).await?;
    }
    let mut deactivated = 0u32;
    let mut done = HashSet::new();
    for (index, reason, object_id) in leaving {
        let target = &users[index];
        if !done.insert(target.id) {
            continue;
        }
        if offboarding::offboard(&transaction, target, reason, &object_id, NoticedBy::Sync).await? {
            deactivated += 1;
        }
    }
    let mut source = stored(&transaction, tenant_id).await?;
    source.delta_link = Some(round.delta_link);
    source.last_sync_at = Some(Utc::now());
    source.last_sync_error = None;
    source.last_sync_deactivated = i32::try_from(deactivated).unwrap_or(i32::MAX);
    save(&transaction, source).await?;
    transaction.commit().await?;
    Ok(deactivated)
}
