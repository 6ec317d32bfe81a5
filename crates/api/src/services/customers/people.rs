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
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, sea_query::ExprTrait,
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

/// The counts of each of `customers`, by customer ID.
pub async fn people_of(
    db: &impl ConnectionTrait,
    customers: &[customer::Model],
) -> Result<HashMap<Uuid, People>, StorageError> {
    let ids: Vec<Uuid> = customers
        .iter()
        .map(|customer| customer.tenant_id)
        .collect();
    let resellers: BTreeSet<Uuid> = customers
        .iter()
        .map(|customer| customer.reseller_id)
        .collect();
    let since = Utc::now() - Duration::days(ACTIVE_DAYS);
    let mut active: HashMap<Uuid, usize> = HashMap::new();
    for tenant_id in user::Entity::find()
        .select_only()
        .column(user::Column::TenantId)
        .filter(user::Column::TenantId.is_in(ids.iter().copied()))
        .filter(user::Column::Active.eq(true))
        .filter(user::Column::LastSignInAt.gte(since))
        .into_tuple::<Uuid>()
        .all(db)
        .await?
    {
        *active.entry(tenant_id).or_default() += 1;
    }

    // Each customer's delegates: users named directly, and the members of its groups.
    let mut delegates: HashMap<Uuid, BTreeSet<Uuid>> = HashMap::new();
    for row in customer_delegated_user::Entity::find()
        .filter(customer_delegated_user::Column::CustomerId.is_in(ids.iter().copied()))
        .all(db)
        .await?
    {
        delegates
            .entry(row.customer_id)
            .or_default()
            .insert(row.user_id);
    }
    let groups = customer_delegated_group::Entity::find()
        .filter(customer_delegated_group::Column::CustomerId.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    let mut members: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for member in technician_group_member::Entity::find()
        .filter(
            technician_group_member::Column::GroupId
                .is_in(groups.iter().map(|group| group.group_id)),
        )
        .all(db)
        .await?
    {
        members
            .entry(member.group_id)
            .or_default()
            .push(member.user_id);
    }
    for group in &groups {
        let delegated = delegates.entry(group.customer_id).or_default();
        delegated.extend(members.get(&group.group_id).into_iter().flatten());
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
                active_users: count(active.get(&customer.tenant_id).copied().unwrap_or(0)),
                technicians: count(allowed.len()),
            };
            (customer.tenant_id, people)
        })
        .collect())
}
