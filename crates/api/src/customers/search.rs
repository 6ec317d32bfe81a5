use chrono::NaiveDate;
use entity::{customer, tenant};
use proto::{Customer, Page, TenantType};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseBackend, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait, LikeExpr, SimpleExpr},
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
    /// 1-based page number (default 1).
    #[param(minimum = 1)]
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
    Expr::col(customer::Column::NameKey)
        .like(LikeExpr::new(format!("%{}%", escape_like(needle))).escape('\\'))
}

/// What `q` can mean: every reading that fits is searched (an OR).
fn search_condition(q: &str, backend: DatabaseBackend) -> Option<Condition> {
    let needle = q.trim().to_lowercase();
    if needle.is_empty() || CUSTOMER_TYPE.to_lowercase().contains(&needle) {
        // Every customer is Corporate, so a part of that word matches them all.
        return None;
    }
    let mut condition = Condition::any().add(name_condition(&needle, backend));
    if NaiveDate::parse_from_str(&needle, "%Y-%m-%d").is_ok() {
        condition = condition.add(customer::Column::CreatedDate.eq(needle.clone()));
    }
    if let Ok(number) = needle.parse::<i32>() {
        condition = condition
            .add(customer::Column::ActiveLicenses.eq(number))
            .add(customer::Column::TotalLicenses.eq(number))
            .add(customer::Column::ChurnScore.eq(number));
    }
    Some(condition)
}

/// The customers below the caller's tenant: a reseller's own, or a distributor's resellers'.
/// One query finds the page's IDs and the total together (`COUNT(*) OVER ()`), so the total
/// costs no second pass; a second, by primary key, loads the page.
pub async fn search_customers(
    db: &impl ConnectionTrait,
    caller_tenant: &tenant::Model,
    q: Option<&str>,
    page: PageRequest,
) -> Result<Page<Customer>, ApiError> {
    let mut select = customer::Entity::find();
    select = match storage::parse_tenant_type(&caller_tenant.tenant_type)? {
        TenantType::Reseller => select.filter(customer::Column::ResellerId.eq(caller_tenant.id)),
        TenantType::Distributor => select.filter(
            customer::Column::ResellerId.in_subquery(sea_orm::QueryTrait::into_query(
                tenant::Entity::find()
                    .select_only()
                    .column(tenant::Column::Id)
                    .filter(tenant::Column::ParentId.eq(caller_tenant.id)),
            )),
        ),
        TenantType::Corporate => select.filter(customer::Column::TenantId.eq(caller_tenant.id)),
    };
    if let Some(condition) = q.and_then(|q| search_condition(q, db.get_database_backend())) {
        select = select.filter(condition);
    }
    let found: Vec<(Uuid, i64)> = select
        .clone()
        .select_only()
        .column(customer::Column::TenantId)
        .column_as(Expr::cust("COUNT(*) OVER ()"), "total")
        .order_by_asc(customer::Column::NameKey)
        .order_by_asc(customer::Column::TenantId)
        .limit(page.size)
        .offset(page.index.saturating_mul(page.size))
        .into_tuple()
        .all(db)
        .await?;
    let total = match found.first() {
        Some((_, total)) => u64::try_from(*total).unwrap_or(0),
        // Past the last page the window has no row to ride on: count separately.
        None if page.index > 0 => select.count(db).await?,
        None => 0,
    };
    let ids: Vec<Uuid> = found.into_iter().map(|(id, _)| id).collect();
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
            assert!(search_condition("corp", backend).is_none());
            assert!(search_condition("  ", backend).is_none());
            assert!(search_condition("contoso", backend).is_some());
        }
    }
}
