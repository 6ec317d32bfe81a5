//! A search's page from an ordered walk of the scope's name index, when its matches look many
//! enough to fill the page within a few hundred entries.

use entity::customer;
use sea_orm::{
    ConnectionTrait, DatabaseBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait, Order, Query, SelectStatement, SimpleExpr},
};

use super::{FoundRow, in_name_order, scope::Scope};
use crate::services::storage::StorageError;

/// How many entries of the name index an ordered walk may read to fill the page, or `None` when
/// sorting the matches is cheaper from the start. If the matches spread evenly over the
/// alphabet, a walk reads about `scope / matches` entries per match it keeps and a sort reads
/// every match once: the walk is tried when that estimate is below the matches. They often
/// gather in one part of the alphabet ("Northern …"), where the walk would read far more, so it
/// stops at four times the estimate and the matches are sorted instead.
pub(super) fn walk_budget(
    scope: Scope,
    page_end: u64,
    scope_customers: u64,
    matches: u64,
) -> Option<u64> {
    let estimate = page_end.saturating_mul(scope_customers) / Ord::max(matches, 1);
    (scope.is_one_name_range() && estimate <= matches)
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

/// Below this many entries a walk costs less than the query that bounds it.
const MIN_WALK_BUDGET: u64 = 500;

/// The page from an ordered walk of the scope's name index that reads no further than its
/// first `budget` entries (all of them when `None`), or `None` when the matches among them do
/// not fill it (`expected` rows: a full page, or the rest of the matches on the last one).
pub(super) async fn walk_within<Row: FoundRow>(
    db: &impl ConnectionTrait,
    scope: Scope,
    matching: SimpleExpr,
    budget: Option<u64>,
    (limit, offset, expected): (u64, u64, u64),
) -> Result<Option<Vec<Row>>, StorageError> {
    let boundary: Option<String> = match budget {
        // The budget covers the whole scope: nothing to bound.
        None => None,
        Some(budget) => {
            customer::Entity::find()
                .select_only()
                .column(customer::Column::NameKey)
                .filter(scope.condition())
                .order_by_asc(customer::Column::NameKey)
                .offset(budget.saturating_sub(1))
                .limit(1)
                .into_tuple()
                .one(db)
                .await?
        }
    };
    let mut condition = scope.condition().and(matching);
    if let Some(boundary) = boundary {
        // The scope's names are unique (one reseller): the entries up to the boundary's name
        // are the first `budget` of the walk.
        condition =
            condition.and(Expr::col((customer::Entity, customer::Column::NameKey)).lte(boundary));
    }
    let rows = match db.get_database_backend() {
        DatabaseBackend::Sqlite => {
            in_name_order(customer::Entity::find().filter(condition), limit, offset)
                .all(db)
                .await?
        }
        // The page's IDs first, from the name index alone (it carries them, migration 27): a
        // walk that loaded whole rows would read one for every entry it checks.
        _ => {
            let keys = Query::select()
                .column((customer::Entity, customer::Column::TenantId))
                .from(customer::Entity)
                .and_where(condition)
                .order_by((customer::Entity, customer::Column::NameKey), Order::Asc)
                .order_by((customer::Entity, customer::Column::TenantId), Order::Asc)
                .limit(limit)
                .offset(offset)
                .to_owned();
            let page = customer::Entity::find().filter(looked_up_one_by_one(keys));
            in_name_order(page, limit, 0).all(db).await?
        }
    };
    Ok((rows.len() as u64 == expected).then_some(rows))
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::*;

    #[test]
    fn broad_searches_walk_the_name_index_within_a_budget_and_narrow_ones_sort_their_matches() {
        let reseller = Scope::Reseller(Uuid::nil());
        // Evenly spread, 12 500 matches fill a page of 25 within 200 entries.
        assert_eq!(walk_budget(reseller, 25, 100_000, 12_500), Some(800));
        assert_eq!(
            walk_budget(reseller, 1, 100_000, 50_000),
            Some(MIN_WALK_BUDGET)
        );
        // 3 % of the names: 1 700 entries if evenly spread; gathered under "north", the walk
        // stops after 6 800 and the matches are sorted.
        assert_eq!(walk_budget(reseller, 50, 100_000, 3_000), Some(6_664));
        assert_eq!(walk_budget(reseller, 25, 100_000, 10), None);
        // A deep page of a broad search walks most of the index: sorting is cheaper then.
        assert_eq!(walk_budget(reseller, 12_500, 100_000, 12_500), None);
        // A distributor's customers are not one range of the name index.
        assert_eq!(
            walk_budget(Scope::Distributor(Uuid::nil()), 25, 100_000, 12_500),
            None
        );
    }
}
