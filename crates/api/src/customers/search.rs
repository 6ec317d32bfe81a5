use chrono::NaiveDate;
use entity::{customer, tenant};
use proto::{Customer, Page, TenantType};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
    sea_query::{Expr, ExprTrait, LikeExpr},
};
use serde::Deserialize;
use utoipa::IntoParams;

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

/// What `q` can mean: every reading that fits is searched (an OR).
fn search_condition(q: &str) -> Option<Condition> {
    let needle = q.trim().to_lowercase();
    if needle.is_empty() || CUSTOMER_TYPE.to_lowercase().contains(&needle) {
        // Every customer is Corporate, so a part of that word matches them all.
        return None;
    }
    let pattern = LikeExpr::new(format!("%{}%", escape_like(&needle))).escape('\\');
    let mut condition = Condition::any().add(Expr::col(customer::Column::NameKey).like(pattern));
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
    if let Some(condition) = q.and_then(search_condition) {
        select = select.filter(condition);
    }
    let paginator = select
        .order_by_asc(customer::Column::NameKey)
        .order_by_asc(customer::Column::TenantId)
        .paginate(db, page.size);
    let total = paginator.num_items().await?;
    let rows = paginator.fetch_page(page.index).await?;
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
        assert!(search_condition("corp").is_none());
        assert!(search_condition("  ").is_none());
        assert!(search_condition("contoso").is_some());
    }
}
