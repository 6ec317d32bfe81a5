//! PostgreSQL's readings of a search (migration 28): every reading is a condition on `customers`
//! served by one of its indexes, the short name parts are counted in a table the triggers keep,
//! and a page is chosen together with its total in one pass over the matches. A name part alone
//! is looked for in the narrow copy of the names (migration 32).

use entity::customer;
use sea_orm::{
    ConnectionTrait,
    sea_query::{Alias, Expr, ExprTrait, Order, Query, SelectStatement, SimpleExpr},
};
use uuid::Uuid;

use super::{readings::Readings, scope::Scope};
use crate::services::storage::{self, StorageError};

/// The scope's customers matching any reading: the name through pg_trgm's index, or through the
/// GIN index of each name's one- and two-character parts when the part holds no trigram; the
/// other readings through the B-trees that start with `reseller_id`. PostgreSQL combines them
/// as bitmaps.
pub(super) fn matching(scope: Scope, readings: &Readings) -> SimpleExpr {
    let any = readings
        .exact_conditions()
        .into_iter()
        .fold(name_condition(readings), SimpleExpr::or);
    scope.condition().and(any)
}

/// The name part as a condition on `customers` that one of its GIN indexes serves.
pub(super) fn name_condition(readings: &Readings) -> SimpleExpr {
    match readings.short_part() {
        // An array literal would be read by the query builder as a quoted name.
        Some(part) => Expr::cust_with_values(
            r#""customers"."short_name_parts" @> array_append('{}'::text[], $1::text)"#,
            [part],
        ),
        None => readings.name_pattern(),
    }
}

/// How many of the scope's names hold a part of up to three characters, from the counts the
/// triggers keep; `None` for longer parts, for a customer's own scope, or when the search has
/// other readings too.
pub(super) fn counted_part_total(scope: Scope, readings: &Readings) -> Option<SelectStatement> {
    let part = readings.counted_part()?;
    if !readings.exact_conditions().is_empty() {
        return None;
    }
    let column = |name: &'static str| ("customer_name_part_counts", name);
    Some(
        Query::select()
            .expr_as(
                // PostgreSQL sums bigints into a numeric.
                Expr::cust(r#"CAST(COALESCE(SUM("customers"), 0) AS BIGINT)"#),
                "total",
            )
            .from("customer_name_part_counts")
            .and_where(scope.reseller_condition(column("reseller_id"))?)
            .and_where(Expr::col(column("part")).eq(part))
            .to_owned(),
    )
}

/// Where the matches of a search are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum MatchSource {
    /// `customers`, whose indexes serve every reading.
    Customers,
    /// `customer_name_keys`, the narrow copy of each customer's reseller and name key: a name
    /// part of three characters or more alone (the copy has no arrays of shorter parts, nor the
    /// dates and numbers). Its rows share pages about a hundred to one, where each match in
    /// `customers` costs a page of its own.
    NameKeys,
}

impl MatchSource {
    pub(super) fn of(readings: &Readings) -> Self {
        if readings.short_part().is_none() && readings.exact_conditions().is_empty() {
            Self::NameKeys
        } else {
            Self::Customers
        }
    }

    /// `select` reading from the source, under the name `customers`, so that the conditions on
    /// customers' columns read the copy's columns of the same names.
    fn read_from(self, select: &mut SelectStatement) -> &mut SelectStatement {
        match self {
            Self::Customers => select.from(customer::Entity),
            Self::NameKeys => select.from_as(Alias::new("customer_name_keys"), customer::Entity),
        }
    }
}

/// The IDs of a page of the matches sorted by name.
pub(super) fn sorted_keys(
    source: MatchSource,
    matching: SimpleExpr,
    page_size: u64,
    offset: u64,
) -> SelectStatement {
    let id = Expr::col((customer::Entity, customer::Column::TenantId));
    let mut select = Query::select();
    source
        .read_from(select.expr(id.clone()))
        .and_where(matching)
        // Sorts exactly as the column, but no index provides it: otherwise PostgreSQL may walk
        // the name index and check each entry's row against the search, slow when the matches
        // gather late in the alphabet ("north").
        .order_by_expr(Expr::cust(r#""customers"."name_key" || ''"#), Order::Asc)
        .order_by_expr(id, Order::Asc)
        .limit(page_size)
        .offset(offset)
        .to_owned()
}

/// The IDs of a page of the matches sorted by name, with how many match, from one pass over the
/// matches: counting them apart would read every matching row a second time (for the 3 000
/// names holding "north" at 100 000 customers, 5 ms each time). For a name part alone: a date
/// or a number is counted in its index without reading rows, however many customers it finds.
pub(super) async fn page_with_total(
    db: &impl ConnectionTrait,
    source: MatchSource,
    matching: SimpleExpr,
    page_size: u64,
    offset: u64,
) -> Result<(Vec<Uuid>, u64), StorageError> {
    let mut keys = sorted_keys(source, matching.clone(), page_size, offset);
    keys.expr_as(Expr::cust("COUNT(*) OVER ()"), "total");
    let rows = db.query_all(&keys).await?;
    let mut ids = Vec::with_capacity(rows.len());
    let mut total = None;
    for row in rows {
        ids.push(row.try_get::<Uuid>("", "tenant_id")?);
        total.get_or_insert(row.try_get::<i64>("", "total")?);
    }
    let total = match total {
        Some(total) => total,
        // A page past the last match holds no row to carry the total.
        None if offset > 0 => count(db, source, matching).await?,
        None => 0,
    };
    Ok((ids, storage::total("match count", total)?))
}

async fn count(
    db: &impl ConnectionTrait,
    source: MatchSource,
    matching: SimpleExpr,
) -> Result<i64, StorageError> {
    let mut select = Query::select();
    source
        .read_from(select.expr_as(Expr::cust("COUNT(*)"), "total"))
        .and_where(matching);
    Ok(match db.query_one(&select).await? {
        Some(row) => row.try_get("", "total")?,
        None => 0,
    })
}
