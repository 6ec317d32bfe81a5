//! A customer as the Customers page lists it: its row, what its view shows of its own tenant and
//! its current licence key, read by one statement. A page is read on every visit of the page:
//! each further statement is a round trip, and on SQLite each row a hand-over between threads
//! (so there a page travels as one JSON value, `sqlite_page`).

mod sqlite_page;

use chrono::{DateTime, Utc};
use entity::{LicensingOptions, customer, tenant};
use proto::LicenceKeyInfo;
use sea_orm::{
    ConnectionTrait, DatabaseBackend, DbErr, FromQueryResult, JoinType, QueryResult, QuerySelect,
    RelationTrait, Select, SelectModel, Selector, sea_query::Expr,
};

use crate::services::storage::StorageError;

/// What a customer's view shows of its own tenant: its billing terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantTerms {
    pub monthly_billing: bool,
    pub licensing_options: LicensingOptions,
}

/// A listed customer. `licence_key` is `None` only when the stored data lacks one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub customer: customer::Model,
    pub terms: TenantTerms,
    pub licence_key: Option<LicenceKeyInfo>,
}

const MONTHLY_BILLING: &str = "tenant_monthly_billing";
const LICENSING_OPTIONS: &str = "tenant_licensing_options";
const LICENCE_KEY: &str = "current_licence_key";
const LICENCE_EXPIRES_AT: &str = "current_licence_expires_at";

/// One column of the customer's newest licence key (renewals add keys; the newest is current),
/// found through the key table's index on the customer.
fn current_key(column: &str) -> Expr {
    Expr::cust(format!(
        r#"(SELECT "licence_keys"."{column}" FROM "licence_keys" WHERE "licence_keys"."customer_id" = "customers"."tenant_id" ORDER BY "licence_keys"."created_at" DESC LIMIT 1)"#
    ))
}

impl FromQueryResult for Listed {
    fn from_query_result(row: &QueryResult, pre: &str) -> Result<Self, DbErr> {
        let key: Option<String> = row.try_get(pre, LICENCE_KEY)?;
        let expires_at: Option<DateTime<Utc>> = row.try_get(pre, LICENCE_EXPIRES_AT)?;
        Ok(Self {
            customer: customer::Model::from_query_result(row, pre)?,
            terms: TenantTerms {
                monthly_billing: row.try_get(pre, MONTHLY_BILLING)?,
                licensing_options: row.try_get(pre, LICENSING_OPTIONS)?,
            },
            licence_key: key
                .zip(expires_at)
                .map(|(key, expires_at)| LicenceKeyInfo { key, expires_at }),
        })
    }
}

/// `select`'s customers as listed, in `select`'s order.
pub fn listing(select: Select<customer::Entity>) -> Selector<SelectModel<Listed>> {
    select
        .join(JoinType::InnerJoin, customer::Relation::Tenant.def())
        .column_as(tenant::Column::MonthlyBilling, MONTHLY_BILLING)
        .column_as(tenant::Column::LicensingOptions, LICENSING_OPTIONS)
        .column_as(current_key("key"), LICENCE_KEY)
        .column_as(current_key("expires_at"), LICENCE_EXPIRES_AT)
        .into_model::<Listed>()
}

/// `select`'s customers as listed, by name then ID when `select` orders them so (every page
/// does; SQLite returns them in that order whatever `select`'s, after its limit and offset).
pub async fn listed(
    db: &impl ConnectionTrait,
    select: Select<customer::Entity>,
) -> Result<Vec<Listed>, StorageError> {
    let backend = db.get_database_backend();
    match backend {
        DatabaseBackend::Sqlite => {
            sqlite_page::page_of(db, listing(select).into_statement(backend)).await
        }
        _ => Ok(listing(select).all(db).await?),
    }
}
