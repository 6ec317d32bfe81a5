//! The audit trail: who changed what, in which tenant, from where, and when.

use chrono::Utc;
use entity::audit_log;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait};
use uuid::Uuid;

use crate::{auth::Caller, error::ApiError};

/// Where a change came from.
#[derive(Debug, Clone, Copy)]
pub enum Source {
    Api,
    Cli,
    Demo,
}

impl Source {
    fn as_str(self) -> &'static str {
        match self {
            Self::Api => "api",
            Self::Cli => "cli",
            Self::Demo => "demo",
        }
    }
}

pub struct AuditRecord {
    pub tenant_id: Uuid,
    pub actor_user_id: Option<Uuid>,
    pub source: Source,
    pub source_ip: Option<String>,
    pub action: &'static str,
    pub target: String,
    pub details: Option<serde_json::Value>,
}

impl AuditRecord {
    /// A change made through the API by `caller`.
    pub fn by(caller: &Caller, action: &'static str, target: String) -> Self {
        Self {
            tenant_id: caller.tenant_id,
            actor_user_id: Some(caller.user_id),
            source: Source::Api,
            source_ip: caller.source_ip.clone(),
            action,
            target,
            details: None,
        }
    }

    pub fn with_details(mut self, details: serde_json::Value) -> Self {
        self.details = Some(details);
        self
    }
}

/// Writes the entry on `db`, which should be the transaction of the change it describes.
pub async fn record(db: &impl ConnectionTrait, entry: AuditRecord) -> Result<(), ApiError> {
    audit_log::ActiveModel {
        id: Set(Uuid::new_v4()),
        tenant_id: Set(entry.tenant_id),
        actor_user_id: Set(entry.actor_user_id),
        source: Set(entry.source.as_str().to_owned()),
        action: Set(entry.action.to_owned()),
        target: Set(entry.target),
        details: Set(entry.details.map(|details| details.to_string())),
        source_ip: Set(entry.source_ip),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await?;
    Ok(())
}
