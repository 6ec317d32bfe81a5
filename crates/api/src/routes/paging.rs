use serde::Deserialize;
use utoipa::IntoParams;

use crate::error::ApiError;

/// `?page=&per_page=` on every listing.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    /// 1-based page number (default 1).
    #[param(minimum = 1)]
    pub page: Option<u64>,
    /// Items per page, 1–100 (default 25).
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<u64>,
}

/// A checked page request.
#[derive(Debug, Clone, Copy)]
pub struct PageRequest {
    /// 0-based, as sea-orm's paginator counts.
    pub index: u64,
    pub size: u64,
}

impl TryFrom<&PageQuery> for PageRequest {
    type Error = ApiError;

    fn try_from(query: &PageQuery) -> Result<Self, Self::Error> {
        let page = query.page.unwrap_or(1);
        let size = query.per_page.unwrap_or(25);
        let mut errors = Vec::new();
        if page == 0 {
            errors.push(proto::FieldError {
                field: "page".to_owned(),
                code: "out_of_range".to_owned(),
                message: "pages are numbered from 1".to_owned(),
            });
        }
        if !(1..=100).contains(&size) {
            errors.push(proto::FieldError {
                field: "per_page".to_owned(),
                code: "out_of_range".to_owned(),
                message: "per_page must be between 1 and 100".to_owned(),
            });
        }
        if errors.is_empty() {
            Ok(Self {
                index: page - 1,
                size,
            })
        } else {
            Err(ApiError::Validation(errors))
        }
    }
}

/// One page of `select` and the total over all pages.
pub async fn fetch_page<E>(
    db: &sea_orm::DatabaseConnection,
    select: sea_orm::Select<E>,
    page: PageRequest,
) -> Result<(Vec<E::Model>, u64), ApiError>
where
    E: sea_orm::EntityTrait,
    E::Model: Sync,
{
    use sea_orm::PaginatorTrait;
    let paginator = select.paginate(db, page.size);
    let total = paginator.num_items().await?;
    Ok((paginator.fetch_page(page.index).await?, total))
}
