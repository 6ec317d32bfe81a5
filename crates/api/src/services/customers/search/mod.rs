//! The customer grid's one search box (SPEC §6) over 100 000 customers: every reading of the
//! search through an index, the total without counting row by row.

mod export;
mod postgres;
mod readings;
mod scope;

pub use export::{ExportError, export_customers};

use entity::{customer, tenant};
use proto::{Customer, Page};
use sea_orm::{
    ConnectionTrait, DatabaseBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select,
    SelectTwo, TransactionSession, TransactionTrait,
    sea_query::{Expr, ExprTrait, Order, Query, SelectStatement, SimpleExpr, UnionType},
};

use self::{
    readings::Readings,
    scope::{Scope, ScopeSize},
};
use super::{customer_views_with_tenants, with_tenants};
use crate::services::{paging::PageRequest, storage::StorageError};

/// What the customer grid asks for: the search box's text, if any, and a page.
#[derive(Debug, Clone)]
pub struct CustomerSearch {
    pub text: Option<String>,
    pub page: PageRequest,
}

/// Where the matches of a search are found: one indexed lookup per reading, joined by UNION,
/// so that no reading turns the whole search into a table scan.
struct Matches {
    backend: DatabaseBackend,
    scope: Scope,
    size: ScopeSize,
    readings: Readings,
}

impl Matches {
    /// What identifies a customer inside one query: the key the name indexes return, so that
    /// their hits need no look-up in `customers` (on SQLite the search key, which also keys
    /// `customer_name_order`; on PostgreSQL the customer ID).
    fn identity(&self) -> SimpleExpr {
        match self.backend {
            DatabaseBackend::Sqlite => Expr::cust(r#""customers"."search_key""#),
            _ => Expr::col((customer::Entity, customer::Column::TenantId)),
        }
    }

    /// SQLite: the index hits for the name part within the scope, as identities: the table of
    /// one- and two-character name parts for short needles, the FTS5 trigram index (keyed by
    /// `search_key`) for longer ones. `None` where no index other than the table's own serves
    /// them (PostgreSQL reads every reading from `customers`' own indexes).
    fn name_hits(&self) -> Option<SelectStatement> {
        let mut hits = Query::select();
        match (self.backend, self.readings.short_part()) {
            (DatabaseBackend::Sqlite, None) => {
                let phrase = self.readings.trigram_phrase()?;
                hits.expr(Expr::cust(r#""customers_search"."rowid""#))
                    .from("customers_search")
                    .and_where(Expr::cust_with_values(
                        r#""customers_search" MATCH ?"#,
                        [phrase],
                    ))
                    .and_where(
                        self.scope
                            .search_key_condition(self.size, ("customers_search", "rowid"))?,
                    );
            }
            (DatabaseBackend::Sqlite, Some(part)) => {
                let column = ("customer_name_grams", "search_key");
                hits.column(column)
                    .from("customer_name_grams")
                    .and_where(Expr::col(("customer_name_grams", "gram")).eq(part))
                    .and_where(self.scope.search_key_condition(self.size, column)?);
            }
            (_, _) => return None,
        };
        Some(hits.to_owned())
    }

    /// One branch per reading (the name part first), joined by UNION.
    fn union(&self) -> SelectStatement {
        let select = |condition: SimpleExpr| {
            Query::select()
                .expr(self.identity())
                .from(customer::Entity)
                .and_where(condition)
                .to_owned()
        };
        // The name indexes' hits are identities already: no join back to `customers`.
        let mut union = match (self.backend, self.name_hits()) {
            (_, Some(hits)) => hits,
            (DatabaseBackend::Sqlite, None) => {
                select(self.scope.condition().and(self.readings.name_pattern()))
            }
            (_, None) => select(
                self.scope
                    .condition()
                    .and(postgres::name_condition(&self.readings)),
            ),
        };
        for condition in self.readings.exact_conditions() {
            union.union(
                UnionType::Distinct,
                select(self.scope.condition().and(condition)),
            );
        }
        union
    }

    /// The matches to load for a page sorted by name, and the offset left to skip among them:
    /// the page's keys are chosen first, so that only its customers are loaded with their
    /// tenants. On SQLite they are chosen in `customer_name_order`, a narrow copy of the names;
    /// on PostgreSQL among the matches' rows.
    fn sorted_page(&self, page_size: u64, offset: u64) -> (SimpleExpr, u64) {
        if self.backend != DatabaseBackend::Sqlite {
            let matching = postgres::matching(self.scope, &self.readings);
            let keys = postgres::sorted_keys(matching, page_size, offset);
            return (self.identity().in_subquery(keys), 0);
        }
        let column = |name: &'static str| Expr::col(("customer_name_order", name));
        let keys = Query::select()
            .expr(column("search_key"))
            .from("customer_name_order")
            .and_where(column("search_key").in_subquery(self.union()))
            .order_by_expr(column("name_key"), Order::Asc)
            .order_by_expr(column("tenant_id"), Order::Asc)
            .limit(page_size)
            .offset(offset)
            .to_owned();
        (self.identity().in_subquery(keys), 0)
    }

    /// How many customers match. On PostgreSQL a short name part alone is read from its counts;
    /// on SQLite a name part alone is counted inside its index; anything else counts the union's
    /// keys.
    async fn count(&self, db: &impl ConnectionTrait) -> Result<u64, StorageError> {
        let select = match (self.backend, self.name_hits()) {
            (DatabaseBackend::Sqlite, Some(hits))
                if self.readings.exact_conditions().is_empty() =>
            {
                Query::select()
                    .expr_as(Expr::cust("COUNT(*)"), "total")
                    .from_subquery(hits, "matches")
                    .to_owned()
            }
            (DatabaseBackend::Sqlite, _) => Query::select()
                .expr_as(Expr::cust("COUNT(*)"), "total")
                .from_subquery(self.union(), "matches")
                .to_owned(),
            // Each reading counted in its own index (the dates' and numbers' carry the ID).
            _ => match postgres::counted_part_total(self.scope, &self.readings) {
                Some(select) => select,
                None => Query::select()
                    .expr_as(Expr::cust("COUNT(*)"), "total")
                    .from_subquery(self.union(), "matches")
                    .to_owned(),
            },
        };
        let total: i64 = match db.query_one(&select).await? {
            Some(row) => row.try_get("", "total")?,
            None => 0,
        };
        crate::services::storage::total("match count", total)
    }
}

/// How many entries of the name index an ordered walk may read to fill the page, or `None` when
/// sorting the matches is cheaper from the start. If the matches spread evenly over the
/// alphabet, a walk reads about `scope / matches` entries per match it keeps and a sort reads
/// every match once: the walk is tried when that estimate is below the matches. They often
/// gather in one part of the alphabet ("Northern …"), where the walk would read far more, so it
/// stops at four times the estimate and the matches are sorted instead.
fn walk_budget(scope: Scope, page_end: u64, scope_customers: u64, matches: u64) -> Option<u64> {
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

/// A customer with its tenant, as a search finds it.
pub type Row = (customer::Model, Option<tenant::Model>);

/// `select`'s customers with their tenants in the listing's order, `limit` of them after
/// skipping `offset`.
fn in_name_order(
    select: Select<customer::Entity>,
    limit: u64,
    offset: u64,
) -> SelectTwo<customer::Entity, tenant::Entity> {
    with_tenants(select)
        .order_by_asc(customer::Column::NameKey)
        .order_by_asc(customer::Column::TenantId)
        .limit(limit)
        .offset(offset)
}

/// The page from an ordered walk of the scope's name index that reads no further than its
/// first `budget` entries (all of them when `None`), or `None` when the matches among them do
/// not fill it (`expected` rows: a full page, or the rest of the matches on the last one).
async fn walk_within(
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

/// The customers below the caller's tenant, by name, a page at a time with the total.
///
/// The total comes from the counts the database keeps per reseller, or from one count of the
/// index hits. The page comes from an ordered walk of the name index when the matches look many
/// enough (the first page of a broad search stops after a few hundred entries), or from sorting
/// the matches when they are few or the walk runs past its budget.
pub async fn search_customers(
    db: &(impl ConnectionTrait + TransactionTrait),
    caller_tenant: &tenant::Model,
    search: &CustomerSearch,
) -> Result<Page<Customer>, StorageError> {
    let (rows, total) = search_customer_rows(db, caller_tenant, search).await?;
    Ok(Page {
        items: customer_views_with_tenants(db, rows).await?,
        total,
    })
}

/// The page of [`search_customers`] as rows, with the total, for callers that show customers
/// another way (the customer tenants of "Your customers").
pub async fn search_customer_rows(
    db: &(impl ConnectionTrait + TransactionTrait),
    caller_tenant: &tenant::Model,
    search: &CustomerSearch,
) -> Result<(Vec<Row>, u64), StorageError> {
    let searching = search.text.as_deref().and_then(Readings::parse).is_some();
    if !searching || db.get_database_backend() != DatabaseBackend::Postgres {
        return search_rows(db, caller_tenant, search).await;
    }
    // A search's statements are the same prepared statements whatever the needle; after five
    // runs PostgreSQL could plan them once for any needle, guessing how many names hold it, and
    // walk or sort the wrong way. Planned again for each needle here, and only here: every other
    // statement keeps the plan PostgreSQL caches (re-planning all of them cost 2 ms a request).
    let transaction = db.begin().await?;
    transaction
        .execute_unprepared("SET LOCAL plan_cache_mode = force_custom_plan")
        .await?;
    let found = search_rows(&transaction, caller_tenant, search).await?;
    transaction.commit().await?;
    Ok(found)
}

async fn search_rows(
    db: &impl ConnectionTrait,
    caller_tenant: &tenant::Model,
    search: &CustomerSearch,
) -> Result<(Vec<Row>, u64), StorageError> {
    let CustomerSearch { text, page } = search;
    let (q, page) = (text.as_deref(), *page);
    let scope = Scope::of(caller_tenant);
    let size = scope.size(db).await?;
    let offset = page.index.saturating_mul(page.size);
    let page_end = offset.saturating_add(page.size);
    let (rows, total) = match q.and_then(Readings::parse) {
        _ if size.customers == 0 => (Vec::new(), 0),
        None if offset > 0 && scope.is_one_name_range() => {
            // A deep page skips its offset in the name index alone (its keys are unique within
            // one reseller); skipping whole rows, tenants joined, cost a row read per entry.
            let keys = Query::select()
                .column(customer::Column::NameKey)
                .from(customer::Entity)
                .and_where(scope.condition())
                .order_by(customer::Column::NameKey, Order::Asc)
                .limit(page.size)
                .offset(offset)
                .to_owned();
            let page_rows =
                customer::Entity::find().filter(scope.condition().and(
                    Expr::col((customer::Entity, customer::Column::NameKey)).in_subquery(keys),
                ));
            (
                in_name_order(page_rows, page.size, 0).all(db).await?,
                size.customers,
            )
        }
        None => {
            let all = customer::Entity::find().filter(scope.condition());
            (
                in_name_order(all, page.size, offset).all(db).await?,
                size.customers,
            )
        }
        Some(readings)
            if db.get_database_backend() != DatabaseBackend::Sqlite
                && readings.exact_conditions().is_empty()
                && postgres::counted_part_total(scope, &readings).is_none() =>
        {
            let matching = postgres::matching(scope, &readings);
            let (ids, total) = postgres::page_with_total(db, matching, page.size, offset).await?;
            let rows = if ids.is_empty() {
                Vec::new()
            } else {
                let found = Expr::col((customer::Entity, customer::Column::TenantId)).is_in(ids);
                in_name_order(customer::Entity::find().filter(found), page.size, 0)
                    .all(db)
                    .await?
            };
            (rows, total)
        }
        Some(readings) => {
            let matches = Matches {
                backend: db.get_database_backend(),
                scope,
                size,
                readings,
            };
            let total = matches.count(db).await?;
            let walked = match walk_budget(scope, page_end, size.customers, total) {
                _ if offset >= total => Some(Vec::new()),
                Some(budget) => {
                    let expected = Ord::min(page.size, total - offset);
                    let matching = matches.readings.any();
                    let bound = (budget < size.customers).then_some(budget);
                    walk_within(db, scope, matching, bound, (page.size, offset, expected)).await?
                }
                None => None,
            };
            let rows = match walked {
                Some(rows) => rows,
                None => {
                    let (found, offset) = matches.sorted_page(page.size, offset);
                    in_name_order(customer::Entity::find().filter(found), page.size, offset)
                        .all(db)
                        .await?
                }
            };
            (rows, total)
        }
    };
    Ok((rows, total))
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
