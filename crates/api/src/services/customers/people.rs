//! Who is in a customer tenant, for the Customers page (SPEC §15): its **active users** (its own
//! users who signed in during the last 30 days) and its **technicians** (the MSP's active users
//! who may go in: its admins, always, and the users delegated directly or through a group, each
//! counted once). A page's are counted in `details`, with the rest of what its views show.

use entity::user;
use proto::Role;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

use crate::services::storage::StorageError;

/// How far back a sign-in makes a user active.
pub const ACTIVE_DAYS: i64 = 30;

/// The two counts of one customer tenant.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct People {
    pub active_users: u32,
    pub technicians: u32,
}

/// The counts of a customer created now under `reseller_id`: it has no users and no delegates
/// yet, so its technicians are its reseller's active admins, counted as a page's are (`details`).
pub async fn people_of_new_customer(
    db: &impl ConnectionTrait,
    reseller_id: Uuid,
) -> Result<People, StorageError> {
    let admins = user::Entity::find()
        .filter(user::Column::TenantId.eq(reseller_id))
        .filter(user::Column::Active.eq(true))
        .filter(user::Column::Role.eq(Role::Admin))
        .count(db)
        .await?;
    Ok(People {
        active_users: 0,
        technicians: u32::try_from(admins).unwrap_or(u32::MAX),
    })
}
