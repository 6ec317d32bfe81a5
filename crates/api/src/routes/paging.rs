use serde::Deserialize;
use utoipa::IntoParams;

use crate::error::ApiError;

/// The last page a listing serves. Its offset (at most 100 per page) stays far inside the
/// database's signed 64-bit range; a larger page made the paginator's arithmetic overflow.
const MAX_PAGE: u64 = 1_000_000;

/// `?page=&per_page=` on every listing.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    /// 1-based page number (default 1), at most 1 000 000.
    #[param(minimum = 1, maximum = 1_000_000)]
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
        if !(1..=MAX_PAGE).contains(&page) {
            errors.push(proto::FieldError {
                field: "page".to_owned(),
                code: "out_of_range".to_owned(),
                message: format!("pages are numbered from 1 to {MAX_PAGE}"),
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
