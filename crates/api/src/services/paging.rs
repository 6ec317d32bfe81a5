//! A checked page of a listing, and fetching it with its total.

use crate::services::storage::StorageError;

/// A page request within the limits every listing shares.
#[derive(Debug, Clone, Copy)]
pub struct PageRequest {
    /// 0-based, as sea-orm's paginator counts.
    pub index: u64,
    pub size: u64,
}

/// One page of `select` and the total over all pages.
pub async fn fetch_page<E>(
    db: &sea_orm::DatabaseConnection,
    select: sea_orm::Select<E>,
    page: PageRequest,
) -> Result<(Vec<E::Model>, u64), StorageError>
where
    E: sea_orm::EntityTrait,
    E::Model: Sync,
{
    use sea_orm::PaginatorTrait;
    let paginator = select.paginate(db, page.size);
    let total = paginator.num_items().await?;
    Ok((paginator.fetch_page(page.index).await?, total))
}
