//! The customer grid's one search box (SPEC §6) over 100 000 customers: every reading of the
//! search through an index, the total without counting row by row.

mod export;
mod postgres;
mod readings;
mod scope;
mod walk;

pub use export::{ExportError, export_customers};

use entity::{customer, tenant};
use proto::{Customer, Page};
use sea_orm::{
    ConnectionTrait, DatabaseBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select,
    TransactionSession, TransactionTrait,
    sea_query::{Expr, ExprTrait, Order, Query, SelectStatement, SimpleExpr, UnionType},
};

use self::{
    readings::Readings,
    scope::{Scope, ScopeSize},
    walk::{entries_per_match, walk_budget, walk_within},
};
use super::{Listed, customer_views_of_listed, listed};
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
            let source = postgres::MatchSource::of(&self.readings);
            let keys = postgres::sorted_keys(source, matching, page_size, offset);
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
        let total_of = |counted: SelectStatement| {
            Query::select()
                .expr_as(Expr::cust("COUNT(*)"), "total")
                .from_subquery(counted, "matches")
                .to_owned()
        };
        let select = match (self.backend, self.name_hits()) {
            (DatabaseBackend::Sqlite, Some(hits))
                if self.readings.exact_conditions().is_empty() =>
            {
                total_of(hits)
            }
            (DatabaseBackend::Sqlite, _) => total_of(self.union()),
            // Each reading counted in its own index (the dates' and numbers' carry the ID).
            _ => postgres::counted_part_total(self.scope, &self.readings)
                .unwrap_or_else(|| total_of(self.union())),
        };
        let total: i64 = match db.query_one(&select).await? {
            Some(row) => row.try_get("", "total")?,
            None => 0,
        };
        crate::services::storage::total("match count", total)
    }
}

/// What a search reads of each customer it finds: the listing (`Listed`) for the Customers
/// page, the bare row (`customer::Model`) for callers that show customers another way and would
/// drop the listing's tenant terms and licence key.
pub trait FoundRow: Send + Sync + Sized {
    /// The rows `select` reads, in its order (which is by name then ID here).
    fn load<C: ConnectionTrait>(
        db: &C,
        select: Select<customer::Entity>,
    ) -> impl Future<Output = Result<Vec<Self>, StorageError>> + Send;
}

impl FoundRow for Listed {
    fn load<C: ConnectionTrait>(
        db: &C,
        select: Select<customer::Entity>,
    ) -> impl Future<Output = Result<Vec<Self>, StorageError>> + Send {
        listed(db, select)
    }
}

impl FoundRow for customer::Model {
    async fn load<C: ConnectionTrait>(
        db: &C,
        select: Select<customer::Entity>,
    ) -> Result<Vec<Self>, StorageError> {
        Ok(select.all(db).await?)
    }
}

/// `select`'s customers in the listing's order, `limit` of them after skipping `offset`.
async fn in_name_order<Row: FoundRow>(
    db: &impl ConnectionTrait,
    select: Select<customer::Entity>,
    limit: u64,
    offset: u64,
) -> Result<Vec<Row>, StorageError> {
    let ordered = select
        .order_by_asc(customer::Column::NameKey)
        .order_by_asc(customer::Column::TenantId)
        .limit(limit)
        .offset(offset);
    Row::load(db, ordered).await
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
        items: customer_views_of_listed(db, rows, Some(caller_tenant)).await?,
        total,
    })
}

/// The page of [`search_customers`] as rows, with the total, for callers that show customers
/// another way (the customer tenants of "Your customers", the CSV export).
pub async fn search_customer_rows<Row: FoundRow>(
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

async fn search_rows<Row: FoundRow>(
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
                in_name_order(db, page_rows, page.size, 0).await?,
                size.customers,
            )
        }
        None => {
            let all = customer::Entity::find().filter(scope.condition());
            (
                in_name_order(db, all, page.size, offset).await?,
                size.customers,
            )
        }
        Some(readings)
            if db.get_database_backend() != DatabaseBackend::Sqlite
                && readings.exact_conditions().is_empty()
                && postgres::counted_part_total(scope, &readings).is_none() =>
        {
            let matching = postgres::matching(scope, &readings);
            let source = postgres::MatchSource::of(&readings);
            let (ids, total) =
                postgres::page_with_total(db, source, matching, page.size, offset).await?;
            let rows = if ids.is_empty() {
                Vec::new()
            } else {
                let found = Expr::col((customer::Entity, customer::Column::TenantId)).is_in(ids);
                in_name_order(db, customer::Entity::find().filter(found), page.size, 0).await?
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
            let matched = (total, entries_per_match(matches.backend, &matches.readings));
            let walked = match walk_budget(scope, page_end, size.customers, matched) {
                _ if offset >= total => Some(Vec::new()),
                Some(budget) => {
                    let expected = Ord::min(page.size, total - offset);
                    let bound = (budget < size.customers).then_some(budget);
                    let window = (page.size, offset, expected);
                    walk_within(db, scope, &matches.readings, bound, window).await?
                }
                None => None,
            };
            let rows = match walked {
                Some(rows) => rows,
                None => {
                    let (found, offset) = matches.sorted_page(page.size, offset);
                    let found = customer::Entity::find().filter(found);
                    in_name_order(db, found, page.size, offset).await?
                }
            };
            (rows, total)
        }
    };
    Ok((rows, total))
}
