//! What a listed customer's view shows beside its own row: its people (SPEC §15) and its group
//! policies, read for a whole page in one statement. The Customers page is read on every visit,
//! and each statement costs a round trip (on SQLite, a hand-off to a reading thread and back):
//! the four look-ups this replaced were half of a page's statements.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Duration, Utc};
use entity::{
    customer, customer_delegated_group, customer_delegated_user, customer_group_policy,
    technician_group_member, user,
};
use proto::Role;
use sea_orm::{
    ColumnTrait, ConnectionTrait, QueryResult,
    sea_query::{Expr, ExprTrait, Query, SelectStatement, SimpleExpr, UnionType},
};
use uuid::Uuid;

use super::people::{ACTIVE_DAYS, People};
use crate::services::storage::StorageError;

/// One listed customer's people, and its group policies in the order they were assigned.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Details {
    pub people: People,
    pub group_policy_ids: Vec<Uuid>,
}

/// What a row of the statement states, in its `kind` column. `subject` is the customer, or for
/// an admin the reseller; `member` the user or the group policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fact {
    /// `amount` of the customer's own users signed in recently.
    ActiveUsers = 0,
    /// `member`, an active user of a reseller on the page, is delegated to the customer
    /// directly or through a group (a user in both is stated twice).
    Delegate = 1,
    /// `member` is an active admin of the reseller `subject`.
    Admin = 2,
    /// The group policy `member` was assigned to the customer at `assigned_at`.
    GroupPolicy = 3,
}

impl Fact {
    const ALL: [Fact; 4] = [
        Fact::ActiveUsers,
        Fact::Delegate,
        Fact::Admin,
        Fact::GroupPolicy,
    ];

    fn of(kind: i32) -> Result<Self, StorageError> {
        Self::ALL
            .into_iter()
            .find(|fact| *fact as i32 == kind)
            .ok_or_else(|| StorageError::Corrupt {
                what: "customer detail kind",
                value: kind.to_string(),
            })
    }

    /// A branch of the statement stating this fact, its columns named and typed alike in
    /// every branch (PostgreSQL types a column of NULLs as text unless told).
    fn branch(self, subject: SimpleExpr, member: Option<SimpleExpr>) -> SelectStatement {
        let member = member.unwrap_or_else(|| Expr::cust("CAST(NULL AS uuid)"));
        let (amount, assigned_at) = match self {
            Fact::ActiveUsers => (Expr::cust("COUNT(*)"), null_time()),
            Fact::GroupPolicy => (
                Expr::cust("0"),
                Expr::col((
                    customer_group_policy::Entity,
                    customer_group_policy::Column::AssignedAt,
                )),
            ),
            Fact::Delegate | Fact::Admin => (Expr::cust("0"), null_time()),
        };
        Query::select()
            .expr_as(Expr::cust((self as i32).to_string()), "kind")
            .expr_as(subject, "subject")
            .expr_as(member, "member")
            .expr_as(amount, "amount")
            .expr_as(assigned_at, "assigned_at")
            .to_owned()
    }
}

fn null_time() -> SimpleExpr {
    Expr::cust("CAST(NULL AS timestamp with time zone)")
}

/// The statement: one branch per fact (the delegates in two, direct and through groups).
fn statement(ids: &[Uuid], resellers: &BTreeSet<Uuid>, since: DateTime<Utc>) -> SelectStatement {
    let users = |column: user::Column| Expr::col((user::Entity, column));
    let active_staff = || {
        user::Column::Active
            .eq(true)
            .and(user::Column::TenantId.is_in(resellers.iter().copied()))
    };

    let mut statement = Fact::ActiveUsers
        .branch(users(user::Column::TenantId), None)
        .from(user::Entity)
        .and_where(user::Column::TenantId.is_in(ids.iter().copied()))
        .and_where(user::Column::Active.eq(true))
        .and_where(user::Column::LastSignInAt.gte(since))
        .group_by_col((user::Entity, user::Column::TenantId))
        .to_owned();

    let direct = |column| Expr::col((customer_delegated_user::Entity, column));
    let delegated_directly = Fact::Delegate
        .branch(
            direct(customer_delegated_user::Column::CustomerId),
            Some(direct(customer_delegated_user::Column::UserId)),
        )
        .from(customer_delegated_user::Entity)
        .inner_join(
            user::Entity,
            users(user::Column::Id).equals((
                customer_delegated_user::Entity,
                customer_delegated_user::Column::UserId,
            )),
        )
        .and_where(direct(customer_delegated_user::Column::CustomerId).is_in(ids.iter().copied()))
        .and_where(active_staff())
        .to_owned();

    let member = |column| Expr::col((technician_group_member::Entity, column));
    let delegated_group = |column| Expr::col((customer_delegated_group::Entity, column));
    let delegated_through_groups = Fact::Delegate
        .branch(
            delegated_group(customer_delegated_group::Column::CustomerId),
            Some(member(technician_group_member::Column::UserId)),
        )
        .from(customer_delegated_group::Entity)
        .inner_join(
            technician_group_member::Entity,
            member(technician_group_member::Column::GroupId).equals((
                customer_delegated_group::Entity,
                customer_delegated_group::Column::GroupId,
            )),
        )
        .inner_join(
            user::Entity,
            users(user::Column::Id).equals((
                technician_group_member::Entity,
                technician_group_member::Column::UserId,
            )),
        )
        .and_where(
            delegated_group(customer_delegated_group::Column::CustomerId)
                .is_in(ids.iter().copied()),
        )
        .and_where(active_staff())
        .to_owned();

    let admins = Fact::Admin
        .branch(users(user::Column::TenantId), Some(users(user::Column::Id)))
        .from(user::Entity)
        .and_where(active_staff())
        .and_where(user::Column::Role.eq(Role::Admin))
        .to_owned();

    let policy = |column| Expr::col((customer_group_policy::Entity, column));
    let policies = Fact::GroupPolicy
        .branch(
            policy(customer_group_policy::Column::CustomerId),
            Some(policy(customer_group_policy::Column::GroupPolicyId)),
        )
        .from(customer_group_policy::Entity)
        .and_where(policy(customer_group_policy::Column::CustomerId).is_in(ids.iter().copied()))
        .to_owned();

    for branch in [
        delegated_directly,
        delegated_through_groups,
        admins,
        policies,
    ] {
        statement.union(UnionType::All, branch);
    }
    statement
}

/// What the statement's rows add up to, before they are shared out to the customers.
#[derive(Default)]
struct Gathered {
    active_users: HashMap<Uuid, i64>,
    delegates: HashMap<Uuid, BTreeSet<Uuid>>,
    admins: HashMap<Uuid, BTreeSet<Uuid>>,
    policies: HashMap<Uuid, Vec<(DateTime<Utc>, Uuid)>>,
}

impl Gathered {
    fn add(&mut self, row: &QueryResult) -> Result<(), StorageError> {
        let subject: Uuid = row.try_get("", "subject")?;
        let member = || row.try_get::<Uuid>("", "member");
        match Fact::of(row.try_get("", "kind")?)? {
            Fact::ActiveUsers => {
                self.active_users
                    .insert(subject, row.try_get("", "amount")?);
            }
            Fact::Delegate => {
                self.delegates.entry(subject).or_default().insert(member()?);
            }
            Fact::Admin => {
                self.admins.entry(subject).or_default().insert(member()?);
            }
            Fact::GroupPolicy => {
                let assigned_at = row.try_get("", "assigned_at")?;
                self.policies
                    .entry(subject)
                    .or_default()
                    .push((assigned_at, member()?));
            }
        }
        Ok(())
    }

    fn details_of(&mut self, customer: &customer::Model) -> Details {
        let id = customer.tenant_id;
        let mut technicians = self
            .admins
            .get(&customer.reseller_id)
            .cloned()
            .unwrap_or_default();
        if let Some(delegated) = self.delegates.get(&id) {
            technicians.extend(delegated);
        }
        let mut policies = self.policies.remove(&id).unwrap_or_default();
        // Policies assigned together (at creation) keep the order they were assigned in.
        policies.sort_unstable();
        let people = People {
            active_users: self
                .active_users
                .get(&id)
                .map_or(0, |&users| u32::try_from(users).unwrap_or(u32::MAX)),
            technicians: u32::try_from(technicians.len()).unwrap_or(u32::MAX),
        };
        Details {
            people,
            group_policy_ids: policies.into_iter().map(|(_, policy)| policy).collect(),
        }
    }
}

/// The details of each of `customers`, by customer ID, from one statement.
pub async fn details_of(
    db: &impl ConnectionTrait,
    customers: &[&customer::Model],
) -> Result<HashMap<Uuid, Details>, StorageError> {
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
    let mut gathered = Gathered::default();
    for row in db.query_all(&statement(&ids, &resellers, since)).await? {
        gathered.add(&row)?;
    }
    Ok(customers
        .iter()
        .map(|customer| (customer.tenant_id, gathered.details_of(customer)))
        .collect())
}
