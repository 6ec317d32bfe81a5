use chrono::NaiveDate;
use entity::{customer, tenant};
use proto::{Customer, Page, TenantType};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Select,
    sea_query::{Expr, ExprTrait, LikeExpr, Query, SelectStatement, SimpleExpr, UnionType},
};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use super::{CUSTOMER_TYPE, customer_views};
use crate::{error::ApiError, routes::paging::PageRequest, storage};

/// `GET /api/v1/customers?q=&page=&per_page=`.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct SearchQuery {
    /// One search box: a case-insensitive part of the name or the customer type, a created date
    /// as `YYYY-MM-DD`, or a number of active licences, total licences or churn score.
    pub q: Option<String>,
    /// 1-based page number (default 1), at most 1 000 000.
    #[param(minimum = 1, maximum = 1_000_000)]
    pub page: Option<u64>,
    /// Items per page, 1–100 (default 25).
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<u64>,
}

impl SearchQuery {
    pub fn page_request(&self) -> Result<PageRequest, ApiError> {
        PageRequest::try_from(&crate::routes::paging::PageQuery {
            page: self.page,
            per_page: self.per_page,
        })
    }
}

fn escape_like(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        if matches!(character, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(character);
    }
    escaped
}

/// The name part of a search: a trigram index lookup where one exists (three characters or
/// more), else a plain pattern match.
fn name_condition(needle: &str, backend: DatabaseBackend) -> SimpleExpr {
    if backend == DatabaseBackend::Sqlite && needle.chars().count() >= 3 {
        // A quoted FTS5 phrase of trigrams matches exactly the names containing `needle`.
        let phrase = format!("\"{}\"", needle.replace('"', "\"\""));
        return Expr::cust_with_values(
            r#""customers"."rowid" IN (SELECT rowid FROM customers_search WHERE customers_search MATCH ?)"#,
            [phrase],
        );
    }
    // On PostgreSQL the pg_trgm GIN index serves this pattern.
    Expr::col((customer::Entity, customer::Column::NameKey))
        .like(LikeExpr::new(format!("%{}%", escape_like(needle))).escape('\\'))
}

/// What `q` can mean: one condition per reading that fits (name part, date, numbers).
fn search_conditions(q: &str, backend: DatabaseBackend) -> Option<Vec<SimpleExpr>> {
    let needle = q.trim().to_lowercase();
    if needle.is_empty() || CUSTOMER_TYPE.to_lowercase().contains(&needle) {
        // Every customer is Corporate, so a part of that word matches them all.
        return None;
    }
    let mut conditions = vec![name_condition(&needle, backend)];
    if NaiveDate::parse_from_str(&needle, "%Y-%m-%d").is_ok() {
        conditions
            .push(Expr::col((customer::Entity, customer::Column::CreatedDate)).eq(needle.clone()));
    }
    if let Ok(number) = needle.parse::<i32>() {
        for column in [
            customer::Column::ActiveLicenses,
            customer::Column::TotalLicenses,
            customer::Column::ChurnScore,
        ] {
            conditions.push(Expr::col((customer::Entity, column)).eq(number));
        }
    }
    Some(conditions)
}

/// Which customers the caller's tenant sees: a reseller its own, a distributor its resellers'.
fn scope_of(caller_tenant: &tenant::Model) -> Result<SimpleExpr, ApiError> {
    let reseller = Expr::col((customer::Entity, customer::Column::ResellerId));
    Ok(
        match storage::parse_tenant_type(&caller_tenant.tenant_type)? {
            TenantType::Reseller => reseller.eq(caller_tenant.id),
            TenantType::Distributor => reseller.in_subquery(
                Query::select()
                    .column(tenant::Column::Id)
                    .from(tenant::Entity)
                    .and_where(Expr::col(tenant::Column::ParentId).eq(caller_tenant.id))
                    .to_owned(),
            ),
            TenantType::Corporate => {
                Expr::col((customer::Entity, customer::Column::TenantId)).eq(caller_tenant.id)
            }
        },
    )
}

/// The same scope, written so that SQLite cannot use an index for it (`+column`): in the
/// trigram branch the FTS hits must drive the lookup, whatever statistics the planner has.
fn unindexed_scope(caller_tenant: &tenant::Model) -> Result<SimpleExpr, ApiError> {
    Ok(
        match storage::parse_tenant_type(&caller_tenant.tenant_type)? {
            TenantType::Reseller => {
                Expr::cust_with_values(r#"+"customers"."reseller_id" = ?"#, [caller_tenant.id])
            }
            TenantType::Distributor => Expr::cust_with_values(
                r#"+"customers"."reseller_id" IN (SELECT "id" FROM "tenants" WHERE "parent_id" = ?)"#,
                [caller_tenant.id],
            ),
            TenantType::Corporate => {
                Expr::col((customer::Entity, customer::Column::TenantId)).eq(caller_tenant.id)
            }
        },
    )
}

/// The IDs matching any reading of the search: a UNION of one index lookup per reading, so
/// that no reading turns the whole search into a table scan. The first reading (the name part)
/// gets `name_scope`, the others `scope`.
fn matching_ids(
    name_scope: &SimpleExpr,
    scope: &SimpleExpr,
    conditions: Vec<SimpleExpr>,
) -> Option<SelectStatement> {
    let branch = |scope: &SimpleExpr, condition: SimpleExpr| {
        Query::select()
            .column((customer::Entity, customer::Column::TenantId))
            .from(customer::Entity)
            .and_where(scope.clone())
            .and_where(condition)
            .to_owned()
    };
    let mut conditions = conditions.into_iter();
    let mut union = branch(name_scope, conditions.next()?);
    for condition in conditions {
        union.union(UnionType::Distinct, branch(scope, condition));
    }
    Some(union)
}

/// The customers below the caller's tenant, by name. With a search, one query finds the page's
/// IDs and the total together (`COUNT(*) OVER ()` over the matches); without one, the page comes
/// from the name index and the total from an index-only count. A last query by primary key
/// loads the page.
pub async fn search_customers(
    db: &impl ConnectionTrait,
    caller_tenant: &tenant::Model,
    q: Option<&str>,
    page: PageRequest,
) -> Result<Page<Customer>, ApiError> {
    let scope = scope_of(caller_tenant)?;
    let backend = db.get_database_backend();
    // The first reading is the name part; on SQLite its scope must not compete with the FTS index.
    let name_scope = match backend {
        DatabaseBackend::Sqlite => unindexed_scope(caller_tenant)?,
        _ => scope.clone(),
    };
    let offset = page.index.saturating_mul(page.size);
    let ordered = |select: Select<customer::Entity>| {
        select
            .order_by_asc(customer::Column::NameKey)
            .order_by_asc(customer::Column::TenantId)
            .limit(page.size)
            .offset(offset)
    };
    let conditions = q.and_then(|q| search_conditions(q, db.get_database_backend()));
    let (ids, total): (Vec<Uuid>, u64) =
        match conditions.and_then(|conditions| matching_ids(&name_scope, &scope, conditions)) {
            Some(matching) => {
                let select = customer::Entity::find()
                    .filter(customer::Column::TenantId.in_subquery(matching));
                let found: Vec<(Uuid, i64)> = ordered(select.clone())
                    .select_only()
                    .column(customer::Column::TenantId)
                    .column_as(Expr::cust("COUNT(*) OVER ()"), "total")
                    .into_tuple()
                    .all(db)
                    .await?;
                let total = match found.first() {
                    Some((_, total)) => u64::try_from(*total).unwrap_or(0),
                    // Past the last page the window has no row to ride on: count separately.
                    None if page.index > 0 => select.count(db).await?,
                    None => 0,
                };
                (found.into_iter().map(|(id, _)| id).collect(), total)
            }
            None => {
                let select = customer::Entity::find().filter(scope);
                let ids = ordered(select.clone())
                    .select_only()
                    .column(customer::Column::TenantId)
                    .into_tuple()
                    .all(db)
                    .await?;
                (ids, select.count(db).await?)
            }
        };
    let mut rows = customer::Entity::find()
        .filter(customer::Column::TenantId.is_in(ids.clone()))
        .all(db)
        .await?;
    rows.sort_by_key(|row| ids.iter().position(|id| *id == row.tenant_id));
    Ok(Page {
        items: customer_views(db, rows).await?,
        total,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_wildcards_in_a_search_are_taken_literally() {
        assert_eq!(escape_like("50%_off\\"), "50\\%\\_off\\\\");
    }

    #[test]
    fn a_part_of_the_customer_type_matches_everyone() {
        for backend in [DatabaseBackend::Sqlite, DatabaseBackend::Postgres] {
            assert!(search_conditions("corp", backend).is_none());
            assert!(search_conditions("  ", backend).is_none());
            assert_eq!(
                search_conditions("contoso", backend).map(|found| found.len()),
                Some(1)
            );
            assert_eq!(
                search_conditions("2026-11-23", backend).map(|found| found.len()),
                Some(2)
            );
            assert_eq!(
                search_conditions("37", backend).map(|found| found.len()),
                Some(4)
            );
        }
    }
}
