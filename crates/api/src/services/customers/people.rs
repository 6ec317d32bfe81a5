//! Who is in a customer tenant, for the Customers page (SPEC §15): its **active users** (its own
//! users who signed in during the last 30 days) and its **technicians** (the MSP's active users
//! who may go in: its admins, always, and the users delegated directly or through a group, each
//! counted once). Batched for a page: a handful of queries whatever the page's size.

use std::collections::{BTreeSet, HashMap};

use chrono::{Duration, Utc};
use entity::{
    customer, customer_delegated_group, customer_delegated_user, technician_group_member, user,
};
use proto::Role;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
    sea_query::{Expr, ExprTrait, Query, UnionType},
};
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

fn count(set: usize) -> u32 {
    u32::try_from(set).unwrap_or(u32::MAX)
}

/// The counts of a customer created now under `reseller_id`: it has no users and no delegates
/// yet, so its technicians are its reseller's active admins, counted as `people_of` counts them.
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

/// The counts of each of `customers`, by customer ID.
pub async fn people_of(
    db: &impl ConnectionTrait,
    customers: &[&customer::Model],
) -> Result<HashMap<Uuid, People>, StorageError> {
    if customers.is_empty() {
        return Ok(HashMap::new());
    }
    let ids: Vec<Uuid> = customers
        .iter()
        .map(|customer| customer.tenant_id)
        .collect();
    let resellers: BTreeSet<Uuid> = customers
        .iter()
        .map(|customer| customer.reseller_id)
        .collect();
    let since = Utc::now() - Duration::days(ACTIVE_DAYS);
    // Counted by the database: a customer tenant may hold hundreds of users, and each row handed
    // over costs more than counting it there.
    let active: HashMap<Uuid, i64> = user::Entity::find()
        .select_only()
        .column(user::Column::TenantId)
        .expr(Expr::cust("COUNT(*)"))
        .filter(user::Column::TenantId.is_in(ids.iter().copied()))
        .filter(user::Column::Active.eq(true))
        .filter(user::Column::LastSignInAt.gte(since))
        .group_by(user::Column::TenantId)
        .into_tuple::<(Uuid, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();

    // Each customer's delegates: users named directly, and the members of its groups, in one
    // query (a page is read on every visit of the Customers page, and each query is a round trip).
    let mut delegates: HashMap<Uuid, BTreeSet<Uuid>> = HashMap::new();
    let direct = Query::select()
        .column((
            customer_delegated_user::Entity,
            customer_delegated_user::Column::CustomerId,
        ))
        .column((
            customer_delegated_user::Entity,
            customer_delegated_user::Column::UserId,
        ))
        .from(customer_delegated_user::Entity)
        .and_where(
            Expr::col((
                customer_delegated_user::Entity,
                customer_delegated_user::Column::CustomerId,
            ))
            .is_in(ids.iter().copied()),
        )
        .to_owned();
    let through_groups = Query::select()
        .column((
            customer_delegated_group::Entity,
            customer_delegated_group::Column::CustomerId,
        ))
        .column((
            technician_group_member::Entity,
            technician_group_member::Column::UserId,
        ))
        .from(customer_delegated_group::Entity)
        .inner_join(
            technician_group_member::Entity,
            Expr::col((
                technician_group_member::Entity,
                technician_group_member::Column::GroupId,
            ))
            .equals((
                customer_delegated_group::Entity,
                customer_delegated_group::Column::GroupId,
            )),
        )
        .and_where(
            Expr::col((
                customer_delegated_group::Entity,
                customer_delegated_group::Column::CustomerId,
            ))
            .is_in(ids.iter().copied()),
        )
        .to_owned();
    let mut delegations = direct;
    delegations.union(UnionType::All, through_groups);
    for row in db.query_all(&delegations).await? {
        let customer_id: Uuid = row.try_get("", "customer_id")?;
        let user_id: Uuid = row.try_get("", "user_id")?;
        delegates.entry(customer_id).or_default().insert(user_id);
    }

    // The MSPs' active users with their roles: admins always count, delegates when active.
    let staff = user::Entity::find()
        .select_only()
        .columns([user::Column::Id, user::Column::TenantId, user::Column::Role])
        .filter(user::Column::TenantId.is_in(resellers.iter().copied()))
        .filter(user::Column::Active.eq(true))
        .filter(
            user::Column::Role
                .eq(Role::Admin)
                .or(user::Column::Id.is_in(delegates.values().flatten().copied())),
        )
        .into_tuple::<(Uuid, Uuid, Role)>()
        .all(db)
        .await?;
    let mut admins: HashMap<Uuid, BTreeSet<Uuid>> = HashMap::new();
    let mut active_staff: BTreeSet<Uuid> = BTreeSet::new();
    for (id, tenant_id, role) in staff {
        active_staff.insert(id);
        if role == Role::Admin {
            admins.entry(tenant_id).or_default().insert(id);
        }
    }

    Ok(customers
        .iter()
        .map(|customer| {
            let mut allowed = admins
                .get(&customer.reseller_id)
                .cloned()
                .unwrap_or_default();
            if let Some(delegated) = delegates.get(&customer.tenant_id) {
                allowed.extend(delegated.iter().filter(|id| active_staff.contains(id)));
            }
            let people = People {
                active_users: active
                    .get(&customer.tenant_id)
                    .map_or(0, |&users| u32::try_from(users).unwrap_or(u32::MAX)),
                technicians: count(allowed.len()),
            };
            (customer.tenant_id, people)
        })
        .collect())
}
