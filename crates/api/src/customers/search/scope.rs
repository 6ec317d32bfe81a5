//! Whose customers a caller sees, and how many there are, without counting them one by one.

use entity::{customer, tenant};
use proto::TenantType;
use sea_orm::{
    ConnectionTrait, DeriveIden, EntityTrait, PaginatorTrait,
    sea_query::{Expr, ExprTrait, Query, SelectStatement, SimpleExpr},
};
use uuid::Uuid;

use crate::{error::ApiError, storage};

/// The per-reseller counts that the migration's triggers keep (`customer_counts`).
#[derive(DeriveIden)]
enum CustomerCounts {
    Table,
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

impl Scope {
    pub fn of(caller_tenant: &tenant::Model) -> Result<Self, ApiError> {
        Ok(
            match storage::parse_tenant_type(&caller_tenant.tenant_type)? {
                TenantType::Reseller => Self::Reseller(caller_tenant.id),
                TenantType::Distributor => Self::Distributor(caller_tenant.id),
                TenantType::Corporate => Self::Corporate(caller_tenant.id),
            },
        )
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
    /// scope is one row). Search keys exist on SQLite only, so its `?` placeholders are safe.
    pub fn search_key_condition(self, column: (&str, &str)) -> Option<SimpleExpr> {
        let (table, name) = column;
        let column = format!(r#""{table}"."{name}""#);
        match self {
            // The bounds are subqueries, so that counting needs no earlier round trip for the
            // slot; SQLite still hands them to FTS5 as a rowid range.
            Self::Reseller(id) => Some(Expr::cust_with_values(
                format!(
                    r#"{column} BETWEEN (SELECT "slot" << 32 FROM "customer_counts" WHERE "reseller_id" = ?) AND (SELECT ("slot" << 32) + 4294967295 FROM "customer_counts" WHERE "reseller_id" = ?)"#
                ),
                [id, id],
            )),
            Self::Distributor(id) => Some(Expr::cust_with_values(
                format!(
                    r#"({column} >> 32) IN (SELECT "slot" FROM "customer_counts" WHERE "reseller_id" IN (SELECT "id" FROM "tenants" WHERE "parent_id" = ?))"#
                ),
                [id],
            )),
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
    pub async fn customers(self, db: &impl ConnectionTrait) -> Result<u64, ApiError> {
        let counted = match self {
            Self::Reseller(id) => Query::select()
                .column(CustomerCounts::Customers)
                .from(CustomerCounts::Table)
                .and_where(Expr::col(CustomerCounts::ResellerId).eq(id))
                .to_owned(),
            Self::Distributor(id) => Query::select()
                .expr_as(
                    // PostgreSQL sums bigints into a numeric.
                    Expr::cust(r#"CAST(COALESCE(SUM("customers"), 0) AS BIGINT)"#),
                    "customers",
                )
                .from(CustomerCounts::Table)
                .and_where(Expr::col(CustomerCounts::ResellerId).in_subquery(resellers_below(id)))
                .to_owned(),
            Self::Corporate(id) => return Ok(customer::Entity::find_by_id(id).count(db).await?),
        };
        let customers: i64 = match db.query_one(&counted).await? {
            Some(row) => row.try_get("", "customers")?,
            None => 0,
        };
        Ok(u64::try_from(customers).unwrap_or(0))
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
    fn a_resellers_search_keys_are_the_range_of_its_slot() {
        let condition = Scope::Reseller(Uuid::nil())
            .search_key_condition(("customers_search", "rowid"))
            .map(|condition| {
                Query::select()
                    .expr(condition)
                    .to_owned()
                    .to_string(sea_orm::sea_query::SqliteQueryBuilder)
            })
            .unwrap_or_default();
        assert!(
            condition.contains(r#""customers_search"."rowid" BETWEEN (SELECT "slot" << 32"#)
                && condition.contains(r#"(SELECT ("slot" << 32) + 4294967295"#),
            "{condition}"
        );
        assert!(
            Scope::Corporate(Uuid::nil())
                .search_key_condition(("customers_search", "rowid"))
                .is_none()
        );
    }
}
