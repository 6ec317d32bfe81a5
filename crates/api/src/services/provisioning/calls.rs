//! The provisioning log: every call Entra's provisioning service makes with a tenant's token,
//! with its answer, newest first on the SSO page; kept 30 days.

use chrono::{Duration, Utc};
use entity::provisioning_call;
use proto::{Page, ProvisioningCall};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};
use uuid::Uuid;

use super::ProvisioningError;
use crate::{
    infra::auth::Caller,
    services::{
        paging::{PageRequest, fetch_page},
        storage::StorageError,
    },
};

pub const RETENTION_DAYS: i64 = 30;
const MAX_PATH_CHARS: usize = 500;
const MAX_DETAIL_CHARS: usize = 500;

/// One call as the SCIM routes saw it.
pub struct CallRecord {
    pub tenant_id: Uuid,
    pub method: String,
    pub path: String,
    pub status: u16,
    pub user_id: Option<Uuid>,
    pub detail: Option<String>,
}

fn cut(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

/// Notes a call, outside the call's own transaction so that refused calls are logged too.
pub async fn record(db: &impl ConnectionTrait, call: CallRecord) -> Result<(), StorageError> {
    provisioning_call::ActiveModel {
        id: Set(Uuid::new_v4()),
        tenant_id: Set(call.tenant_id),
        created_at: Set(Utc::now()),
        method: Set(cut(&call.method, 10)),
        path: Set(cut(&call.path, MAX_PATH_CHARS)),
        status: Set(i32::from(call.status)),
        user_id: Set(call.user_id),
        detail: Set(call.detail.map(|detail| cut(&detail, MAX_DETAIL_CHARS))),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The caller's tenant's latest calls (admins), newest first.
pub async fn list(
    db: &sea_orm::DatabaseConnection,
    caller: &Caller,
    page: PageRequest,
) -> Result<Page<ProvisioningCall>, ProvisioningError> {
    caller.require_admin()?;
    let select = provisioning_call::Entity::find()
        .filter(provisioning_call::Column::TenantId.eq(caller.tenant_id))
        .order_by_desc(provisioning_call::Column::CreatedAt)
        .order_by_desc(provisioning_call::Column::Id);
    let (rows, total) = fetch_page(db, select, page).await?;
    let items = rows
        .into_iter()
        .map(|call| {
            let status = u16::try_from(call.status).map_err(|_| StorageError::Corrupt {
                what: "provisioning call status",
                value: call.status.to_string(),
            })?;
            Ok(ProvisioningCall {
                id: call.id,
                created_at: call.created_at,
                method: call.method,
                path: call.path,
                status,
                user_id: call.user_id,
                detail: call.detail,
            })
        })
        .collect::<Result<_, StorageError>>()?;
    Ok(Page { items, total })
}

/// Deletes the calls older than the retention (housekeeping).
pub async fn purge_old(db: &impl ConnectionTrait) -> Result<u64, StorageError> {
    Ok(provisioning_call::Entity::delete_many()
        .filter(
            provisioning_call::Column::CreatedAt.lt(Utc::now() - Duration::days(RETENTION_DAYS)),
        )
        .exec(db)
        .await?
        .rows_affected)
}
