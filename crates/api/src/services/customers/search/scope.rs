//! Whose customers a caller sees, and how many there are, without counting them one by one.

use entity::{customer, tenant};
use proto::TenantType;
use sea_orm::{
    ConnectionTrait, DatabaseBackend, DeriveIden, EntityTrait, PaginatorTrait,
    sea_query::{Expr, ExprTrait, Query, SelectStatement, SimpleExpr},
};
use uuid::Uuid;

use crate::services::storage::{self, StorageError};

/// The per-reseller counts that the migration's triggers keep (`customer_counts`).
#[derive(DeriveIden)]
enum CustomerCounts {
    Table,
    Slot,
    ResellerId,
    Customers,
}

/// Whose customers a caller sees.
#[derive(Debug, Clone, Copy)]
pub(super) enum Scope {
    /// A reseller sees its own customers.
    Reseller(Uuid),
    /// A distributor sees its resellers' customers.
    Distributor(Uuid),
    /// A customer sees itself.
    Corporate(Uuid),
}

/// How many customers a scope holds and, for a reseller on SQLite, the slot whose rowid range
/// holds its customers in the trigram index.
#[derive(Debug, Clone, Copy)]
pub(super) struct ScopeSize {
    pub customers: u64,
    pub slot: Option<i64>,
}

impl Scope {
    pub fn of(caller_tenant: &tenant::Model) -> Self {
        match caller_tenant.tenant_type {
            TenantType::Reseller => Self::Reseller(caller_tenant.id),
            TenantType::Distributor => Self::Distributor(caller_tenant.id),
            TenantType::Corporate => Self::Corporate(caller_tenant.id),
        }
    }

    /// The scope as a condition on `customers`, served by the indexes that start with
    /// `reseller_id` (or the primary key for a customer).
    pub fn condition(self) -> SimpleExpr {
        let reseller = Expr::col((customer::Entity, customer::Column::ResellerId));
        match self {
            Self::Reseller(id) => reseller.eq(id),
            Self::Distributor(id) => reseller.in_subquery(resellers_below(id)),
            Self::Corporate(id) => Expr::col((customer::Entity, customer::Column::TenantId)).eq(id),
        }
    }

    /// Whether one ordered walk of the `(reseller_id, name_key)` index visits the scope in the
    /// listing's order (a distributor's customers are spread over several resellers).
    pub fn is_one_name_range(self) -> bool {
        matches!(self, Self::Reseller(_))
    }

    /// The scope as a condition on a SQLite search key (`slot << 32 | sequence`) held in
    /// `column`, such as the trigram index's rowid; `None` where no index helps (a customer's own
    /// scope is one row).
    pub fn search_key_condition(
        self,
        size: ScopeSize,
        column: (&'static str, &'static str),
    ) -> Option<SimpleExpr> {
        match self {
            Self::Reseller(_) => {
                let low = size.slot? << 32;
                Some(Expr::col(column).between(low, low + i64::from(u32::MAX)))
            }
            Self::Distributor(id) => Some(
                Expr::col(column).right_shift(32).in_subquery(
                    Query::select()
                        .column(CustomerCounts::Slot)
                        .from(CustomerCounts::Table)
                        .and_where(
                            Expr::col(CustomerCounts::ResellerId).in_subquery(resellers_below(id)),
                        )
                        .to_owned(),
                ),
            ),
            Self::Corporate(_) => None,
        }
    }

    /// The scope as a condition on the `reseller_id` held in `column` of another table, or
    /// `None` for a customer's own scope.
    pub fn reseller_condition(self, column: (&'static str, &'static str)) -> Option<SimpleExpr> {
        match self {
            Self::Reseller(id) => Some(Expr::col(column).eq(id)),
            Self::Distributor(id) => Some(Expr::col(column).in_subquery(resellers_below(id))),
            Self::Corporate(_) => None,
        }
    }

    /// The number of customers in the scope, read from the counts the triggers keep.
    pub async fn size(self, db: &impl ConnectionTrait) -> Result<ScopeSize, StorageError> {
        let backend = db.get_database_backend();
        match self {
            Self::Reseller(id) => {
                let mut select = Query::select();
                select
                    .column(CustomerCounts::Customers)
                    .from(CustomerCounts::Table)
                    .and_where(Expr::col(CustomerCounts::ResellerId).eq(id));
                if backend == DatabaseBackend::Sqlite {
                    select.column(CustomerCounts::Slot);
                }
                let Some(row) = db.query_one(&select).await? else {
                    return Ok(ScopeSize {
                        customers: 0,
                        slot: None,
                    });
                };
                let customers: i64 = row.try_get("", "customers")?;
                let slot = match backend {
                    DatabaseBackend::Sqlite => Some(row.try_get::<i64>("", "slot")?),
                    _ => None,
                };
                Ok(ScopeSize {
                    customers: storage::total("customer count", customers)?,
                    slot,
                })
            }
            Self::Distributor(id) => {
                let select = Query::select()
                    .expr_as(
                        // PostgreSQL sums bigints into a numeric.
                        Expr::cust(r#"CAST(COALESCE(SUM("customers"), 0) AS BIGINT)"#),
                        "customers",
                    )
                    .from(CustomerCounts::Table)
                    .and_where(
                        Expr::col(CustomerCounts::ResellerId).in_subquery(resellers_below(id)),
                    )
                    .to_owned();
                let customers: i64 = match db.query_one(&select).await? {
                    Some(row) => row.try_get("", "customers")?,
                    None => 0,
                };
                Ok(ScopeSize {
                    customers: storage::total("customer count", customers)?,
                    slot: None,
                })
            }
            Self::Corporate(id) => Ok(ScopeSize {
                customers: customer::Entity::find_by_id(id).count(db).await?,
                slot: None,
            }),
        }
    }
}

fn resellers_below(distributor: Uuid) -> SelectStatement {
    Query::select()
        .column(tenant::Column::Id)
        .from(tenant::Entity)
        .and_where(Expr::col(tenant::Column::ParentId).eq(distributor))
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_resellers_trigram_range_is_exactly_its_slot() {
        let size = ScopeSize {
            customers: 3,
            slot: Some(7),
        };
        let condition = Scope::Reseller(Uuid::nil())
            .search_key_condition(size, ("customers_search", "rowid"))
            .map(|condition| {
                Query::select()
                    .expr(condition)
                    .to_owned()
                    .to_string(sea_orm::sea_query::SqliteQueryBuilder)
            });
        let low = 7_i64 << 32;
        assert_eq!(
            condition,
            Some(format!(
                r#"SELECT "customers_search"."rowid" BETWEEN {low} AND {}"#,
                low + 4_294_967_295
            ))
        );
    }
}
