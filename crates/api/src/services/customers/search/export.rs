//! The customer grid's current search as CSV (issue 19): every match, not a page, written in
//! batches as they are read so that 100 000 customers take the memory of one batch. Without a
//! search the scope's customers are read in name order a batch after the last one (keyset), so no
//! batch pays for the ones before it; a search reads its matches a page at a time.

use domain::spreadsheet_safe;
use entity::{customer, tenant};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use tokio::sync::mpsc;
use uuid::Uuid;

use super::{CustomerSearch, Readings, Scope, search_customer_rows};
use crate::services::{paging::PageRequest, storage::StorageError};

/// Customers read and written per batch.
const BATCH: u64 = 1_000;

/// The columns of the export, in order.
const HEADER: [&str; 9] = [
    "id",
    "name",
    "display_name",
    "tenant_name",
    "email",
    "total_licenses",
    "active_licenses",
    "azure_tenant_id",
    "created_at",
];

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error("the CSV writer failed: {0}")]
    Csv(String),
}

impl From<sea_orm::DbErr> for ExportError {
    fn from(error: sea_orm::DbErr) -> Self {
        Self::Storage(error.into())
    }
}

/// The CSV of the customers `caller_tenant` sees that match `text` (all of them without one), by
/// name, UTF-8 with a header row, as chunks from a task of its own. The task stops when the
/// receiver is dropped (the client went away); a failure midway is the last item.
pub fn export_customers(
    db: DatabaseConnection,
    caller_tenant: tenant::Model,
    text: Option<String>,
) -> mpsc::Receiver<Result<Vec<u8>, ExportError>> {
    let (sender, receiver) = mpsc::channel(2);
    tokio::spawn(async move {
        if let Err(error) = write_export(&db, &caller_tenant, text, &sender).await {
            tracing::warn!(%error, "the customer export stopped");
            let _ = sender.send(Err(error)).await;
        }
    });
    receiver
}

/// Whether the chunk reached a listener.
async fn send(sender: &mpsc::Sender<Result<Vec<u8>, ExportError>>, chunk: Vec<u8>) -> bool {
    sender.send(Ok(chunk)).await.is_ok()
}

async fn write_export(
    db: &DatabaseConnection,
    caller_tenant: &tenant::Model,
    text: Option<String>,
    sender: &mpsc::Sender<Result<Vec<u8>, ExportError>>,
) -> Result<(), ExportError> {
    if !send(sender, csv_of(&[], true)?).await {
        return Ok(());
    }
    let searching = text.as_deref().and_then(Readings::parse).is_some();
    let scope = Scope::of(caller_tenant);
    let mut after: Option<(String, Uuid)> = None;
    for index in 0.. {
        let rows = if searching {
            let search = CustomerSearch {
                text: text.clone(),
                page: PageRequest { index, size: BATCH },
            };
            let (rows, _) = search_customer_rows(db, caller_tenant, &search).await?;
            rows
        } else {
            let mut select = customer::Entity::find().filter(scope.condition());
            if let Some((name_key, id)) = &after {
                select = select.filter(
                    Condition::any()
                        .add(customer::Column::NameKey.gt(name_key.as_str()))
                        .add(
                            Condition::all()
                                .add(customer::Column::NameKey.eq(name_key.as_str()))
                                .add(customer::Column::TenantId.gt(*id)),
                        ),
                );
            }
            select
                .order_by_asc(customer::Column::NameKey)
                .order_by_asc(customer::Column::TenantId)
                .limit(BATCH)
                .all(db)
                .await?
        };
        let last_batch = (rows.len() as u64) < BATCH;
        after = rows.last().map(|row| (row.name_key.clone(), row.tenant_id));
        if !rows.is_empty() && !send(sender, csv_of(&rows, false)?).await {
            return Ok(());
        }
        if last_batch {
            break;
        }
    }
    Ok(())
}

/// `rows` as CSV lines (the header alone when `header`), each text cell safe to open in a
/// spreadsheet.
fn csv_of(rows: &[customer::Model], header: bool) -> Result<Vec<u8>, ExportError> {
    let failed = |error: csv::Error| ExportError::Csv(error.to_string());
    let mut writer = csv::Writer::from_writer(Vec::with_capacity(rows.len() * 160 + 128));
    if header {
        writer.write_record(HEADER).map_err(failed)?;
    }
    for row in rows {
        writer
            .write_record([
                row.tenant_id.to_string().as_str(),
                &spreadsheet_safe(&row.name),
                &spreadsheet_safe(&row.display_name),
                &spreadsheet_safe(&row.tenant_name),
                &spreadsheet_safe(&row.email),
                &row.total_licenses.to_string(),
                &row.active_licenses.to_string(),
                row.azure_tenant_id.as_deref().unwrap_or_default(),
                &row.created_at.to_rfc3339(),
            ])
            .map_err(failed)?;
    }
    writer
        .into_inner()
        .map_err(|error| ExportError::Csv(error.to_string()))
}
