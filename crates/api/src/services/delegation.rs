//! Access delegation (SPEC §15, admins): which of the MSP's technicians and technician groups may
//! go into a customer tenant; the MSP's admins always may. A change replaces both lists at once,
//! is audited with what it was before, and holds from the next request (nothing is cached).

use std::collections::BTreeSet;

use chrono::Utc;
use entity::{customer, customer_delegated_group, customer_delegated_user, technician_group, user};
use proto::{Delegation, FieldError};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};
use uuid::Uuid;

use crate::{
    infra::auth::Caller,
    services::{
        audit::{self, AuditRecord},
        customers::CustomerError,
    },
};

/// At most this many users, and as many groups, in one delegation.
pub const MAX_DELEGATES: usize = 1000;

/// The customer's delegation: users and groups in the order they were added.
pub async fn get(
    db: &impl ConnectionTrait,
    customer: &customer::Model,
) -> Result<Delegation, CustomerError> {
    let user_ids = customer_delegated_user::Entity::find()
        .filter(customer_delegated_user::Column::CustomerId.eq(customer.tenant_id))
        .order_by_asc(customer_delegated_user::Column::AddedAt)
        .order_by_asc(customer_delegated_user::Column::UserId)
        .all(db)
        .await?
        .into_iter()
        .map(|row| row.user_id)
        .collect();
    let group_ids = customer_delegated_group::Entity::find()
        .filter(customer_delegated_group::Column::CustomerId.eq(customer.tenant_id))
        .order_by_asc(customer_delegated_group::Column::AddedAt)
        .order_by_asc(customer_delegated_group::Column::GroupId)
        .all(db)
        .await?
        .into_iter()
        .map(|row| row.group_id)
        .collect();
    Ok(Delegation {
        user_ids,
        group_ids,
    })
}

/// The positions in `wanted` that `found` lacks, as field errors of `field`.
fn unknown(field: &str, wanted: &[Uuid], found: &BTreeSet<Uuid>, what: &str) -> Vec<FieldError> {
    let positions: Vec<String> = wanted
        .iter()
        .enumerate()
        .filter(|(_, id)| !found.contains(id))
        .map(|(position, _)| format!("{field}[{position}]"))
        .collect();
    if positions.is_empty() {
        return Vec::new();
    }
    vec![FieldError::new(
        field,
        "unknown",
        format!(
            "no such {what} in the customer's MSP: {}",
            positions.join(", ")
        ),
    )]
}

/// Checks that every user and group belongs to the customer's MSP; another tenant's is refused
/// like one that does not exist.
async fn of_the_msp(
    db: &impl ConnectionTrait,
    customer: &customer::Model,
    wanted: &Delegation,
) -> Result<(BTreeSet<Uuid>, BTreeSet<Uuid>), CustomerError> {
    let mut problems = Vec::new();
    for (field, count) in [
        ("user_ids", wanted.user_ids.len()),
        ("group_ids", wanted.group_ids.len()),
    ] {
        if count > MAX_DELEGATES {
            problems.push(FieldError::new(
                field,
                "too_many",
                format!("at most {MAX_DELEGATES} at once"),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(CustomerError::Invalid(problems));
    }
    let users: BTreeSet<Uuid> = user::Entity::find()
        .filter(user::Column::TenantId.eq(customer.reseller_id))
        .filter(user::Column::Id.is_in(wanted.user_ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|user| user.id)
        .collect();
    let groups: BTreeSet<Uuid> = technician_group::Entity::find()
        .filter(technician_group::Column::TenantId.eq(customer.reseller_id))
        .filter(technician_group::Column::Id.is_in(wanted.group_ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|group| group.id)
        .collect();
    problems.extend(unknown("user_ids", &wanted.user_ids, &users, "user"));
    problems.extend(unknown(
        "group_ids",
        &wanted.group_ids,
        &groups,
        "technician group",
    ));
    if problems.is_empty() {
        Ok((users, groups))
    } else {
        Err(CustomerError::Invalid(problems))
    }
}

/// Replaces the customer's delegation on `db` (a transaction) and audits before and after.
pub async fn replace(
    db: &impl ConnectionTrait,
    caller: &Caller,
    customer: &customer::Model,
    wanted: &Delegation,
) -> Result<Delegation, CustomerError> {
    caller.require_admin()?;
    let (users, groups) = of_the_msp(db, customer, wanted).await?;
    let before = get(db, customer).await?;
    let customer_id = customer.tenant_id;
    customer_delegated_user::Entity::delete_many()
        .filter(customer_delegated_user::Column::CustomerId.eq(customer_id))
        .filter(customer_delegated_user::Column::UserId.is_not_in(users.iter().copied()))
        .exec(db)
        .await?;
    customer_delegated_group::Entity::delete_many()
        .filter(customer_delegated_group::Column::CustomerId.eq(customer_id))
        .filter(customer_delegated_group::Column::GroupId.is_not_in(groups.iter().copied()))
        .exec(db)
        .await?;
    let now = Utc::now();
    for user_id in users.iter().filter(|id| !before.user_ids.contains(id)) {
        customer_delegated_user::ActiveModel {
            customer_id: Set(customer_id),
            user_id: Set(*user_id),
            added_at: Set(now),
        }
        .insert(db)
        .await?;
    }
    for group_id in groups.iter().filter(|id| !before.group_ids.contains(id)) {
        customer_delegated_group::ActiveModel {
            customer_id: Set(customer_id),
            group_id: Set(*group_id),
            added_at: Set(now),
        }
        .insert(db)
        .await?;
    }
    let after = get(db, customer).await?;
    audit::record(
        db,
        AuditRecord::by(
            caller,
            "customer.delegation",
            format!("customer:{customer_id}"),
        )
        .with_details(serde_json::json!({ "before": before, "after": after })),
    )
    .await?;
    Ok(after)
}
