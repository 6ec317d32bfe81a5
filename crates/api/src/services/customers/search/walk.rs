//! A search's page from an ordered walk of the scope's name index, when its matches look many
//! enough to fill the page within a few hundred entries.

use entity::customer;
use sea_orm::{
    ConnectionTrait, DatabaseBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait, Order, Query, SelectStatement, SimpleExpr},
};

use super::{FoundRow, in_name_order, readings::Readings, scope::Scope};
use crate::services::storage::StorageError;

/// How many entries of the name index an ordered walk may read to fill the page, or `None` when
/// sorting the matches is cheaper from the start. If the matches spread evenly over the
/// alphabet, a walk reads about `scope / matches` entries per match it keeps and a sort reads
/// every match once: the walk is tried when that estimate is below the matches. They often
/// gather in one part of the alphabet ("Northern …"), where the walk would read far more, so it
/// stops at four times the estimate and the matches are sorted instead.
///
/// `entries_per_match`: how many entries a walk may read for the cost of sorting one match. On
/// SQLite a walk's entry is a step along one index, a sorted match a look-up and a share of the
/// sort: at 100 000 customers the walk that filled the page for "tech" read 1 915 entries in
/// 0.21 ms, sorting its 2 363 matches took 1.29 ms. Counted as two, not five, because a walk
/// whose matches gather elsewhere reads its whole budget before the sort.
pub(super) fn walk_budget(
    scope: Scope,
    page_end: u64,
    scope_customers: u64,
    (matches, entries_per_match): (u64, u64),
) -> Option<u64> {
    let estimate = page_end.saturating_mul(scope_customers) / Ord::max(matches, 1);
    (scope.is_one_name_range() && estimate <= matches.saturating_mul(entries_per_match))
        .then(|| Ord::max(estimate.saturating_mul(4), MIN_WALK_BUDGET))
}

/// PostgreSQL: the customers whose IDs `ids` selects, as `= ANY(ARRAY(…))` rather than `IN (…)`:
/// PostgreSQL expects far more IDs in an `IN` than a search's page or a realistic part's matches
/// hold, and joins them to every row of the table by hashing (20 ms for the 3 000 names holding
/// "north" at 100 000 customers); an array is looked up ID by ID in the primary key (7 ms).
fn looked_up_one_by_one(ids: SelectStatement) -> SimpleExpr {
    Expr::cust_with_expr(
        r#""customers"."tenant_id" = ANY(ARRAY($1))"#,
        SimpleExpr::SubQuery(None, Box::new(ids.into())),
    )
}

/// How many entries a walk may read for the cost of sorting one match (see [`walk_budget`]): two
/// on SQLite when the name index alone answers the search; one where a date or a number is
/// checked in each entry's row, and on PostgreSQL.
pub(super) fn entries_per_match(backend: DatabaseBackend, readings: &Readings) -> u64 {
    match backend {
        DatabaseBackend::Sqlite if readings.exact_conditions().is_empty() => 2,
        _ => 1,
    }
}

/// The least a walk may read: a budget from four times a tiny estimate (a search most names
/// match) would give up at the first small gap between its matches.
const MIN_WALK_BUDGET: u64 = 500;

/// The page from an ordered walk of the scope's name index that reads no further than its
/// first `budget` entries (all of them when `None`), or `None` when the matches among them do
/// not fill it (`expected` rows: a full page, or the rest of the matches on the last one).
pub(super) async fn walk_within<Row: FoundRow>(
    db: &impl ConnectionTrait,
    scope: Scope,
    readings: &Readings,
    budget: Option<u64>,
    (limit, offset, expected): (u64, u64, u64),
) -> Result<Option<Vec<Row>>, StorageError> {
    let (page, offset) = match db.get_database_backend() {
        DatabaseBackend::Sqlite => {
            let mut condition = scope.condition().and(readings.any());
            if let Some(boundary) = budget_boundary(db, scope, budget).await? {
                // The scope's names are unique (one reseller): the entries up to the
                // boundary's name are the first `budget` of the walk.
                condition = condition
                    .and(Expr::col((customer::Entity, customer::Column::NameKey)).lte(boundary));
            }
            (customer::Entity::find().filter(condition), offset)
        }
        _ => {
            let keys = walked_keys(scope, readings, budget, limit, offset);
            (
                customer::Entity::find().filter(looked_up_one_by_one(keys)),
                0,
            )
        }
    };
    let rows: Vec<Row> = in_name_order(db, page, limit, offset).await?;
    Ok((rows.len() as u64 == expected).then_some(rows))
}

/// SQLite: the name of the walk's last entry within its budget, which bounds the walk. (Given
/// the walk as a subquery limited to its budget, SQLite read the whole budget and sorted it:
/// "north" cost 41 ms of CPU instead of 6.)
async fn budget_boundary(
    db: &impl ConnectionTrait,
    scope: Scope,
    budget: Option<u64>,
) -> Result<Option<String>, StorageError> {
    // The budget covers the whole scope: nothing to bound.
    let Some(budget) = budget else {
        return Ok(None);
    };
    Ok(customer::Entity::find()
        .select_only()
        .column(customer::Column::NameKey)
        .filter(scope.condition())
        .order_by_asc(customer::Column::NameKey)
        .offset(budget.saturating_sub(1))
        .limit(1)
        .into_tuple()
        .one(db)
        .await?)
}

/// PostgreSQL: the page's IDs in one statement, from the name index (it carries them, migration
/// 27) with only the columns the readings check. The walk's entries come from a subquery
/// limited to the budget, which PostgreSQL reads lazily: a walk that fills its page early stops
/// there, one that does not stops at the budget. Bounding it first by the budget's last name
/// cost a statement and a scan of the whole budget on every walk ("sol" and "hu": 2.2-2.5 ms of
/// database CPU a search instead of 1.6-1.7).
fn walked_keys(
    scope: Scope,
    readings: &Readings,
    budget: Option<u64>,
    limit: u64,
    offset: u64,
) -> SelectStatement {
    let id = (customer::Entity, customer::Column::TenantId);
    let by_name = (customer::Entity, customer::Column::NameKey);
    // The scope's names are unique (one reseller): ordering by name alone is the listing's
    // order, and the one the name index returns.
    let mut walked = Query::select();
    walked
        .column(id)
        .columns(
            readings
                .columns()
                .into_iter()
                .map(|column| (customer::Entity, column)),
        )
        .from(customer::Entity)
        .and_where(scope.condition())
        .order_by(by_name, Order::Asc);
    if let Some(budget) = budget {
        walked.limit(budget);
    }
    // Named `customers` so that the readings' conditions, written for the table, read the
    // walk's columns; a subquery with a limit keeps its rows, so they filter its output.
    Query::select()
        .column(id)
        .from_subquery(walked, customer::Entity)
        .and_where(readings.any())
        .order_by(by_name, Order::Asc)
        .limit(limit)
        .offset(offset)
        .to_owned()
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::*;

    #[test]
    fn broad_searches_walk_the_name_index_within_a_budget_and_narrow_ones_sort_their_matches() {
        let reseller = Scope::Reseller(Uuid::nil());
        // Evenly spread, 12 500 matches fill a page of 25 within 200 entries.
        assert_eq!(walk_budget(reseller, 25, 100_000, (12_500, 1)), Some(800));
        assert_eq!(
            walk_budget(reseller, 1, 100_000, (50_000, 1)),
            Some(MIN_WALK_BUDGET)
        );
        // 3 % of the names: 1 700 entries if evenly spread; gathered under "north", the walk
        // stops after 6 800 and the matches are sorted.
        assert_eq!(walk_budget(reseller, 50, 100_000, (3_000, 1)), Some(6_664));
        assert_eq!(walk_budget(reseller, 25, 100_000, (10, 1)), None);
        // A deep page of a broad search walks most of the index: sorting is cheaper then.
        assert_eq!(walk_budget(reseller, 12_500, 100_000, (12_500, 1)), None);
        // A distributor's customers are not one range of the name index.
        assert_eq!(
            walk_budget(Scope::Distributor(Uuid::nil()), 25, 100_000, (12_500, 1)),
            None
        );
        // 2 000 matches: 2 500 entries if evenly spread, more than the matches, but where a
        // walk's entry costs half a sorted match the walk is cheaper.
        assert_eq!(walk_budget(reseller, 50, 100_000, (2_000, 1)), None);
        assert_eq!(walk_budget(reseller, 50, 100_000, (2_000, 2)), Some(10_000));
    }

    #[test]
    fn sqlite_walks_twice_as_far_for_a_name_part_alone_and_no_further_for_a_number() {
        let readings = |q: &str| Readings::parse(q).unwrap();
        let sqlite = DatabaseBackend::Sqlite;
        assert_eq!(entries_per_match(sqlite, &readings("worth")), 2);
        assert_eq!(entries_per_match(sqlite, &readings("37")), 1);
        assert_eq!(entries_per_match(sqlite, &readings("2026-11-23")), 1);
        assert_eq!(
            entries_per_match(DatabaseBackend::Postgres, &readings("worth")),
            1
        );
    }
}
