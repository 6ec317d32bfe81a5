//! An account's roles as its row keeps them: `[{"id": template ID, "display_name": …}]`, so
//! that the list shows names without asking Graph.

use proto::JitRole;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredRole {
    pub id: Uuid,
    pub display_name: String,
}

/// The roles of a row; a value that does not parse shows as no roles rather than failing a list.
pub(super) fn parse(stored: &str) -> Vec<JitRole> {
    serde_json::from_str::<Vec<StoredRole>>(stored)
        .unwrap_or_default()
        .into_iter()
        .map(|role| JitRole {
            id: role.id,
            display_name: role.display_name,
        })
        .collect()
}

pub(super) fn to_text(roles: &[StoredRole]) -> String {
    serde_json::to_string(roles).unwrap_or_else(|_| "[]".to_owned())
}
