//! The provisioning log: every call Entra's provisioning service makes with a tenant's token,
//! with its answer, newest first on the SSO page; kept 30 days.
//!
//! Calls are noted off the request path: a background task inserts them in batches, so a lookup
//! does not wait for a commit of its own (on PostgreSQL that flush was most of a lookup's time,
//! on SQLite it queued lookups behind the one writer).

use chrono::{Duration, Utc};
use entity::provisioning_call;
use proto::{Page, ProvisioningCall};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder,
};
use tokio::{
    sync::{mpsc, oneshot},
    task::JoinHandle,
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

fn row(call: CallRecord) -> provisioning_call::ActiveModel {
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
}

enum Message {
    Call(Box<CallRecord>),
    /// Answered once everything noted before it is written.
    Flush(oneshot::Sender<()>),
}

/// Most calls written in one statement.
const BATCH: usize = 256;
/// Calls waiting to be written before `note` waits too.
const QUEUE: usize = 4096;

/// The writer of the provisioning log (one per process).
#[derive(Clone)]
pub struct CallLog {
    sender: mpsc::Sender<Message>,
}

impl std::fmt::Debug for CallLog {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("CallLog")
    }
}

impl CallLog {
    /// Starts the writer on `db`; it ends once every `CallLog` is dropped and the queue is
    /// written.
    pub fn start(db: DatabaseConnection) -> (Self, JoinHandle<()>) {
        let (sender, receiver) = mpsc::channel(QUEUE);
        let writer = tokio::spawn(write_batches(db, receiver));
        (Self { sender }, writer)
    }

    /// Notes a call, whatever its answer (refused calls are logged too).
    pub async fn note(&self, call: CallRecord) {
        if self
            .sender
            .send(Message::Call(Box::new(call)))
            .await
            .is_err()
        {
            tracing::warn!("the provisioning log's writer has stopped; a call was not noted");
        }
    }

    /// Waits until every call noted before is written, so this process reads its own log.
    pub async fn flush(&self) {
        let (done, written) = oneshot::channel();
        if self.sender.send(Message::Flush(done)).await.is_ok() {
            let _ = written.await;
        }
    }
}

async fn write_batches(db: DatabaseConnection, mut receiver: mpsc::Receiver<Message>) {
    while let Some(first) = receiver.recv().await {
        let mut rows = Vec::new();
        let mut waiting = Vec::new();
        let mut next = Some(first);
        while let Some(message) = next {
            match message {
                Message::Call(call) => rows.push(row(*call)),
                Message::Flush(done) => waiting.push(done),
            }
            next = if rows.len() < BATCH {
                receiver.try_recv().ok()
            } else {
                None
            };
        }
        if !rows.is_empty() {
            let count = rows.len();
            if let Err(error) = provisioning_call::Entity::insert_many(rows).exec(&db).await {
                tracing::warn!(%error, count, "could not write provisioning calls to the log");
            }
        }
        for done in waiting {
            let _ = done.send(());
        }
    }
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
