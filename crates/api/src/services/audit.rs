//! The audit trail: who changed what, in which tenant, from where, and when.

use chrono::Utc;
use entity::audit_log::{self, AuditSource};
use proto::{AuditEntry, Page};
use sea_orm::{
    ActiveEnum, ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait,
    DatabaseConnection, EntityTrait, ExprTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use crate::{
    infra::auth::Caller,
    services::{
        paging::{PageRequest, fetch_page},
        storage::StorageError,
        tenancy::{self, TenancyError},
    },
};

pub use entity::audit_log::AuditSource as Source;

pub struct AuditRecord {
    /// Set when a technician of this MSP made the change inside one of its customer tenants
    /// (`tenant_id`): the MSP's log gets a copy, which outlives the customer tenant.
    pub copy_to_msp: Option<Uuid>,
    pub tenant_id: Uuid,
    pub actor_user_id: Option<Uuid>,
    pub source: AuditSource,
    pub source_ip: Option<String>,
    pub action: &'static str,
    pub target: String,
    pub details: Option<serde_json::Value>,
}

impl AuditRecord {
    /// A change made through the API by `caller`.
    pub fn by(caller: &Caller, action: &'static str, target: String) -> Self {
        Self {
            copy_to_msp: caller.customer_tenant_id().map(|_| caller.home_tenant_id),
            tenant_id: caller.tenant_id,
            actor_user_id: Some(caller.user_id),
            source: AuditSource::Api,
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

/// Writes the entry on `db`, which should be the transaction of the change it describes; a
/// change made inside a customer tenant from the MSP is written in both tenants.
pub async fn record(db: &impl ConnectionTrait, entry: AuditRecord) -> Result<(), StorageError> {
    let now = Utc::now();
    let row = |tenant_id, in_tenant_id, copied_to_tenant_id| audit_log::ActiveModel {
        id: Set(Uuid::new_v4()),
        tenant_id: Set(tenant_id),
        actor_user_id: Set(entry.actor_user_id),
        source: Set(entry.source),
        action: Set(entry.action.to_owned()),
        target: Set(entry.target.clone()),
        details: Set(entry.details.clone()),
        source_ip: Set(entry.source_ip.clone()),
        created_at: Set(now),
        in_tenant_id: Set(in_tenant_id),
        copied_to_tenant_id: Set(copied_to_tenant_id),
    };
    row(entry.tenant_id, None, entry.copy_to_msp)
        .insert(db)
        .await?;
    if let Some(msp) = entry.copy_to_msp {
        row(msp, Some(entry.tenant_id), None).insert(db).await?;
    }
    Ok(())
}

/// The audit log of the caller's tenant and every tenant below it, newest first.
pub async fn list(
    db: &DatabaseConnection,
    caller: &Caller,
    page: PageRequest,
) -> Result<Page<AuditEntry>, TenancyError> {
    let own = tenancy::find_tenant(db, caller.tenant_id).await?;
    // Above a customer tenant, a change made there from its MSP shows as the MSP's copy only.
    let select = audit_log::Entity::find()
        .filter(audit_log::Column::TenantId.in_subquery(tenancy::subtree_ids(&own)))
        .filter(
            audit_log::Column::CopiedToTenantId
                .is_null()
                .or(audit_log::Column::TenantId.eq(own.id)),
        )
        .order_by_desc(audit_log::Column::CreatedAt)
        .order_by_desc(audit_log::Column::Id);
    let (rows, total) = fetch_page(db, select, page).await?;
    let items = rows
        .into_iter()
        .map(|entry| AuditEntry {
            id: entry.id,
            tenant_id: entry.tenant_id,
            actor_user_id: entry.actor_user_id,
            source: entry.source.to_value(),
            action: entry.action,
            target: entry.target,
            details: entry.details,
            source_ip: entry.source_ip,
            created_at: entry.created_at,
            in_tenant_id: entry.in_tenant_id,
        })
        .collect();
    Ok(Page { items, total })
}
