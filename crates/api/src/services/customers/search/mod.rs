//! The customer grid's one search box (SPEC §6) over 100 000 customers: every reading of the
//! search through an index, the total without counting row by row.

mod readings;
mod scope;

use entity::{customer, tenant};
use proto::{Customer, Page};
use sea_orm::{
    ConnectionTrait, DatabaseBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select,
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

    /// The index hits for the name part within the scope, as identities: the table of one- and
    /// two-character name parts for short needles; for longer ones the FTS5 trigram index on
    /// SQLite (keyed by `search_key`) or the index of name suffixes on PostgreSQL (keyed by
    /// customer ID), each name counted once.
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
            (_, Some(part)) => {
                hits.column(("customer_name_grams", "tenant_id"))
                    .from("customer_name_grams")
                    .and_where(Expr::col(("customer_name_grams", "gram")).eq(part))
                    .and_where(
                        self.scope
                            .reseller_condition(("customer_name_grams", "reseller_id"))?,
                    );
            }
            (_, None) => {
                let column = ("customer_name_suffixes", "suffix");
                hits.column(("customer_name_suffixes", "tenant_id"))
                    .from("customer_name_suffixes")
                    .and_where(
                        self.scope
                            .reseller_condition(("customer_name_suffixes", "reseller_id"))?,
                    )
                    .and_where(self.readings.starts_last_occurrence(column));
            }
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
        let mut union = match self.name_hits() {
            Some(hits) => hits,
            None => select(self.scope.condition().and(self.readings.name_pattern())),
        };
        for condition in self.readings.exact_conditions() {
            union.union(
                UnionType::Distinct,
                select(self.scope.condition().and(condition)),
            );
        }
        union
    }

    /// The matches to load for a page sorted by name, and the offset left to skip among them.
    /// On SQLite the page's search keys are chosen in `customer_name_order`, a narrow copy of
    /// the names, so that only the page's customers are read; on PostgreSQL every match is read
    /// and sorted.
    fn sorted_page(&self, page_size: u64, offset: u64) -> (SimpleExpr, u64) {
        if self.backend != DatabaseBackend::Sqlite {
            return (self.identity().in_subquery(self.union()), offset);
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

    /// How many customers match. A name part alone is counted inside its index (one key range
    /// per reseller); anything else counts the union's IDs.
    async fn count(&self, db: &impl ConnectionTrait) -> Result<u64, StorageError> {
        let counted = match self.name_hits() {
            Some(hits) if self.readings.exact_conditions().is_empty() => hits,
            _ => self.union(),
        };
        let select = Query::select()
            .expr_as(Expr::cust("COUNT(*)"), "total")
            .from_subquery(counted, "matches")
            .to_owned();
        let total: i64 = match db.query_one(&select).await? {
            Some(row) => row.try_get("", "total")?,
            None => 0,
        };
        crate::services::storage::total("match count", total)
    }
}

/// Whether walking the name index in order and checking each entry reaches the page sooner than
/// sorting the matches. If the matches spread evenly over the alphabet, a walk visits about
/// `scope / matches` entries per match it keeps, and a sort reads every match once. They often
/// gather in one part of it ("Northern …"), where the walk reads far more: it is chosen only when
/// that even-spread estimate is at most `1 / caution` of the matches.
fn walk_is_cheaper(
    scope: Scope,
    page_end: u64,
    scope_customers: u64,
    matches: u64,
    caution: u64,
) -> bool {
    scope.is_one_name_range()
        && page_end
            .saturating_mul(scope_customers)
            .saturating_mul(caution)
            / Ord::max(matches, 1)
            <= matches
}

/// How much cheaper than the even-spread estimate a walk must look. SQLite sorts matches in a
/// narrow copy of the names (`customer_name_order`), so a sort is cheap there; PostgreSQL
/// sorts the matches' rows.
fn walk_caution(backend: DatabaseBackend) -> u64 {
    match backend {
        DatabaseBackend::Sqlite => 16,
        _ => 1,
    }
}

/// The customers below the caller's tenant, by name, a page at a time with the total.
///
/// The total comes from the counts the database keeps per reseller, or from one count of the
/// index hits. The page comes from an ordered walk of the name index when the matches are
/// many (the first page of a broad search stops after a few hundred entries), or from looking
/// the matches up and sorting them when they are few. A last query by primary key loads it.
pub async fn search_customers(
    db: &impl ConnectionTrait,
    caller_tenant: &tenant::Model,
    search: &CustomerSearch,
) -> Result<Page<Customer>, StorageError> {
    let CustomerSearch { text, page } = search;
    let (q, page) = (text.as_deref(), *page);
    let scope = Scope::of(caller_tenant);
    let size = scope.size(db).await?;
    let offset = page.index.saturating_mul(page.size);
    let page_end = offset.saturating_add(page.size);
    let ordered = |select: Select<customer::Entity>, offset: u64| {
        with_tenants(select)
            .order_by_asc(customer::Column::NameKey)
            .order_by_asc(customer::Column::TenantId)
            .limit(page.size)
            .offset(offset)
    };
    let walk = |condition: SimpleExpr| ordered(customer::Entity::find().filter(condition), offset);
    let (rows, total) = match q.and_then(Readings::parse) {
        _ if size.customers == 0 => (Vec::new(), 0),
        None => (walk(scope.condition()).all(db).await?, size.customers),
        Some(readings) => {
            let matches = Matches {
                backend: db.get_database_backend(),
                scope,
                size,
                readings,
            };
            let total = matches.count(db).await?;
            let rows = if offset >= total {
                Vec::new()
            } else if walk_is_cheaper(
                scope,
                page_end,
                size.customers,
                total,
                walk_caution(matches.backend),
            ) {
                walk(scope.condition().and(matches.readings.any()))
                    .all(db)
                    .await?
            } else {
                let (found, offset) = matches.sorted_page(page.size, offset);
                ordered(customer::Entity::find().filter(found), offset)
                    .all(db)
                    .await?
            };
            (rows, total)
        }
    };
    Ok(Page {
        items: customer_views_with_tenants(db, rows).await?,
        total,
    })
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::*;

    #[test]
    fn broad_searches_walk_the_name_index_and_narrow_ones_sort_their_matches() {
        let reseller = Scope::Reseller(Uuid::nil());
        assert!(walk_is_cheaper(reseller, 25, 100_000, 12_500, 16));
        assert!(!walk_is_cheaper(reseller, 25, 100_000, 10, 1));
        // A deep page of a broad search walks most of the index: sorting is cheaper then.
        assert!(!walk_is_cheaper(reseller, 12_500, 100_000, 12_500, 1));
        // 3 % of the names match: evenly spread, a walk would find a page of 50 in 1 700
        // entries; gathered under "north", it reads half the index. Caution sorts them.
        assert!(walk_is_cheaper(reseller, 50, 100_000, 3_000, 1));
        assert!(!walk_is_cheaper(reseller, 50, 100_000, 3_000, 16));
        // A distributor's customers are not one range of the name index.
        assert!(!walk_is_cheaper(
            Scope::Distributor(Uuid::nil()),
            25,
            100_000,
            12_500,
            1
        ));
    }
}
