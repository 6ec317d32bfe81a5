//! Going into a customer tenant (SPEC §15). Who may (the MSP's active admins always; its
//! technicians delegated directly or through a group), opening it from an MSP session (a new
//! session scoped to the customer tenant, the MSP session its parent), going back, and finding a
//! tenant by its address. Anyone else is told the tenant does not exist.

use chrono::{Duration, Utc};
use domain::{PublicDomain, TenantAddress, tenant_url};
use entity::{
    customer, customer_delegated_group, customer_delegated_user, session, technician_group_member,
    tenant, user,
};
use proto::{CustomerTenant, CustomerTenantVisit, Page, Role, TenantType};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    sea_query::{Expr, ExprTrait, Func, LikeExpr, Query},
};
use uuid::Uuid;

use crate::{
    infra::auth::Caller,
    services::{
        access::AccessDenied,
        audit::{self, AuditRecord},
        customers::{self, CustomerSearch},
        paging::{PageRequest, fetch_page},
        sessions,
        storage::{self, StorageError},
    },
};

#[derive(Debug, thiserror::Error)]
pub enum CustomerTenantError {
    /// Unknown, another MSP's, or not delegated to the caller: never told apart.
    #[error("no such customer tenant")]
    NotFound,
    #[error("this session is not in a customer tenant")]
    NotInCustomerTenant,
    #[error("the session you opened the customer tenant from has ended; sign in again")]
    MspSessionEnded,
    #[error(transparent)]
    Denied(#[from] AccessDenied),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl From<sea_orm::DbErr> for CustomerTenantError {
    fn from(error: sea_orm::DbErr) -> Self {
        Self::Storage(error.into())
    }
}

/// How the server writes customer tenants' URLs (`APP_PUBLIC_DOMAIN`).
#[derive(Debug, Clone, Default)]
pub struct Addresses {
    pub public_domain: Option<PublicDomain>,
}

impl Addresses {
    pub fn url_of(&self, address: &TenantAddress) -> String {
        tenant_url(address, self.public_domain.as_ref())
    }

    /// Writes `customer`'s URL in the host form when a public domain is set.
    pub fn localize(&self, customer: &mut proto::Customer) {
        if let Ok(address) = TenantAddress::parse(&customer.address) {
            customer.url = self.url_of(&address);
        }
    }

    /// `customer`'s wire view, its MSP being `msp`.
    pub fn view(&self, customer: &customer::Model, msp: &tenant::Model) -> CustomerTenant {
        let address = address_of(customer, msp);
        CustomerTenant {
            customer_id: customer.tenant_id,
            tenant_name: customer.tenant_name.clone(),
            display_name: customer.display_name.clone(),
            url: self.url_of(&address),
            address: address.as_str().to_owned(),
        }
    }
}

/// `customer`'s address under `msp`. A stored tenant name always parses; one that did not would
/// still make a usable (if unmatched) address rather than fail the listing.
pub fn address_of(customer: &customer::Model, msp: &tenant::Model) -> TenantAddress {
    match domain::CustomerTenantName::parse(&customer.tenant_name) {
        Ok(name) => TenantAddress::of(&name, &msp.name),
        Err(_) => TenantAddress::of(
            &domain::CustomerTenantName::derive(&customer.name),
            &msp.name,
        ),
    }
}

/// The customer tenants `user` may go into, as a condition on `customers`.
fn enterable_by(user: &user::Model) -> Condition {
    let mine = Condition::all().add(customer::Column::ResellerId.eq(user.tenant_id));
    if user.role == Role::Admin {
        return mine;
    }
    let direct = Query::select()
        .column(customer_delegated_user::Column::CustomerId)
        .from(customer_delegated_user::Entity)
        .and_where(customer_delegated_user::Column::UserId.eq(user.id))
        .to_owned();
    let groups = Query::select()
        .column(technician_group_member::Column::GroupId)
        .from(technician_group_member::Entity)
        .and_where(technician_group_member::Column::UserId.eq(user.id))
        .to_owned();
    let through_groups = Query::select()
        .column(customer_delegated_group::Column::CustomerId)
        .from(customer_delegated_group::Entity)
        .and_where(customer_delegated_group::Column::GroupId.in_subquery(groups))
        .to_owned();
    mine.add(
        Condition::any()
            .add(customer::Column::TenantId.in_subquery(direct))
            .add(customer::Column::TenantId.in_subquery(through_groups)),
    )
}

/// The customer tenant `customer_id` if `user` may go into it now.
pub async fn enterable(
    db: &impl ConnectionTrait,
    user: &user::Model,
    customer_id: Uuid,
) -> Result<Option<customer::Model>, StorageError> {
    if !user.active {
        return Ok(None);
    }
    Ok(customer::Entity::find_by_id(customer_id)
        .filter(enterable_by(user))
        .one(db)
        .await?)
}

async fn user_of(
    db: &impl ConnectionTrait,
    caller: &Caller,
) -> Result<user::Model, CustomerTenantError> {
    user::Entity::find_by_id(caller.user_id)
        .one(db)
        .await?
        .ok_or(CustomerTenantError::NotFound)
}

async fn msp_of(
    db: &impl ConnectionTrait,
    caller: &Caller,
) -> Result<tenant::Model, CustomerTenantError> {
    tenant::Entity::find_by_id(caller.home_tenant_id)
        .one(db)
        .await?
        .ok_or(CustomerTenantError::NotFound)
}

/// The customer tenants the caller may go into ("Your customers"), in the Customers page's
/// order (by name), those matching `query` when given.
///
/// A reseller's admins may go into every one of its customers: theirs is the Customers page's
/// search, with its readings (name parts, dates, numbers), indexes and kept counts. Technicians
/// see the tenants delegated to them, a short list, matched by a part of the name or the display
/// name (ignoring case).
pub async fn list_enterable(
    db: &sea_orm::DatabaseConnection,
    addresses: &Addresses,
    caller: &Caller,
    query: Option<&str>,
    page: PageRequest,
) -> Result<Page<CustomerTenant>, CustomerTenantError> {
    let user = user_of(db, caller).await?;
    let msp = msp_of(db, caller).await?;
    let query = query.map(str::trim).filter(|query| !query.is_empty());
    let (rows, total) = if user.role == Role::Admin && msp.tenant_type == TenantType::Reseller {
        let search = CustomerSearch {
            text: query.map(str::to_owned),
            page,
        };
        customers::search_customer_rows(db, &msp, &search).await?
    } else {
        delegated_page(db, &user, query, page).await?
    };
    Ok(Page {
        items: rows.iter().map(|row| addresses.view(row, &msp)).collect(),
        total,
    })
}

/// A technician's delegated customer tenants whose name or display name contains `query`.
async fn delegated_page(
    db: &sea_orm::DatabaseConnection,
    user: &user::Model,
    query: Option<&str>,
    page: PageRequest,
) -> Result<(Vec<customer::Model>, u64), StorageError> {
    let mut select = customer::Entity::find().filter(enterable_by(user));
    if let Some(query) = query {
        // Lower-cased on both sides: PostgreSQL's LIKE, unlike SQLite's, minds case.
        let pattern = format!("%{}%", storage::escape_like(&query.to_lowercase()));
        let contains = |column| {
            Func::lower(Expr::col(column)).like(LikeExpr::new(pattern.clone()).escape('\\'))
        };
        select = select.filter(
            Condition::any()
                .add(contains(customer::Column::Name))
                .add(contains(customer::Column::DisplayName)),
        );
    }
    let select = select
        .order_by_asc(customer::Column::NameKey)
        .order_by_asc(customer::Column::TenantId);
    fetch_page(db, select, page).await
}

/// The customer tenant at `address` if the caller may go into it.
pub async fn find_by_address(
    db: &impl ConnectionTrait,
    addresses: &Addresses,
    caller: &Caller,
    address: &str,
) -> Result<CustomerTenant, CustomerTenantError> {
    let address = TenantAddress::parse(address).map_err(|_| CustomerTenantError::NotFound)?;
    let msp = msp_of(db, caller).await?;
    let tenant_name = address
        .tenant_name_in(&msp.name)
        .ok_or(CustomerTenantError::NotFound)?;
    let user = user_of(db, caller).await?;
    let found = customer::Entity::find()
        .filter(customer::Column::TenantName.eq(tenant_name.as_str()))
        .filter(enterable_by(&user))
        .one(db)
        .await?
        .ok_or(CustomerTenantError::NotFound)?;
    Ok(addresses.view(&found, &msp))
}

/// Whether `address` is any MSP's customer tenant (for a `Host` before anyone signed in).
pub async fn address_exists(
    db: &impl ConnectionTrait,
    address: &TenantAddress,
) -> Result<bool, StorageError> {
    let splits = address.splits();
    if splits.is_empty() {
        return Ok(false);
    }
    let rows = customer::Entity::find()
        .filter(
            customer::Column::TenantName
                .is_in(splits.iter().map(|(name, _)| name.as_str().to_owned())),
        )
        .find_also_related(tenant::Entity)
        .all(db)
        .await?;
    let resellers: Vec<Uuid> = rows.iter().map(|(row, _)| row.reseller_id).collect();
    let msps: std::collections::HashMap<Uuid, tenant::Model> = tenant::Entity::find()
        .filter(tenant::Column::Id.is_in(resellers))
        .all(db)
        .await?
        .into_iter()
        .map(|msp| (msp.id, msp))
        .collect();
    Ok(rows.iter().any(|(row, _)| {
        msps.get(&row.reseller_id)
            .is_some_and(|msp| address_of(row, msp) == *address)
    }))
}

/// Opens `customer_id` for the caller: a new session scoped to it, whose parent is the caller's
/// MSP session (when the caller is already in a customer tenant, that one ends and the new one
/// keeps the same parent). Audited in both tenants.
pub async fn open(
    db: &impl ConnectionTrait,
    addresses: &Addresses,
    caller: &Caller,
    customer_id: Uuid,
    ttl_secs: i64,
) -> Result<(session::Model, CustomerTenant), CustomerTenantError> {
    let current = caller.require_session()?;
    let user = user_of(db, caller).await?;
    let customer = enterable(db, &user, customer_id)
        .await?
        .ok_or(CustomerTenantError::NotFound)?;
    let msp = msp_of(db, caller).await?;
    let parent = match caller.customer_tenant_id() {
        Some(_) => {
            let scoped = session::Entity::find_by_id(current)
                .one(db)
                .await?
                .ok_or(CustomerTenantError::MspSessionEnded)?;
            sessions::end(db, current).await?;
            scoped
                .parent_session_id
                .ok_or(CustomerTenantError::MspSessionEnded)?
        }
        None => current,
    };
    let now = Utc::now();
    let opened = session::ActiveModel {
        id: Set(Uuid::new_v4()),
        user_id: Set(user.id),
        created_at: Set(now),
        expires_at: Set(now + Duration::seconds(ttl_secs)),
        revoked_at: Set(None),
        enrolment_pending: Set(false),
        source_ip: Set(caller.source_ip.clone()),
        customer_tenant_id: Set(Some(customer.tenant_id)),
        parent_session_id: Set(Some(parent)),
    }
    .insert(db)
    .await?;
    let view = addresses.view(&customer, &msp);
    let inside = caller.inside(customer.tenant_id);
    audit::record(
        db,
        AuditRecord::by(
            &inside,
            "customer_tenant.open",
            format!("customer:{}", customer.tenant_id),
        )
        .with_details(serde_json::json!({
            "display_name": customer.display_name,
            "address": view.address,
            "session_id": opened.id,
        })),
    )
    .await?;
    Ok((opened, view))
}

/// Goes back from a customer tenant: ends the scoped session and answers its parent, the MSP
/// session, if that is still open.
pub async fn leave(
    db: &impl ConnectionTrait,
    caller: &Caller,
) -> Result<session::Model, CustomerTenantError> {
    let current = caller.require_session()?;
    let customer_id = caller
        .customer_tenant_id()
        .ok_or(CustomerTenantError::NotInCustomerTenant)?;
    let scoped = session::Entity::find_by_id(current)
        .one(db)
        .await?
        .ok_or(CustomerTenantError::MspSessionEnded)?;
    sessions::end(db, current).await?;
    audit::record(
        db,
        AuditRecord::by(
            caller,
            "customer_tenant.leave",
            format!("customer:{customer_id}"),
        ),
    )
    .await?;
    let parent_id = scoped
        .parent_session_id
        .ok_or(CustomerTenantError::MspSessionEnded)?;
    sessions::live(db, parent_id, caller.user_id)
        .await?
        .map(|live| live.session)
        .filter(|parent| parent.customer_tenant_id.is_none())
        .ok_or(CustomerTenantError::MspSessionEnded)
}

/// The customer tenant the caller's session is in, with the MSP to go back to (for the banner).
pub async fn visit(
    db: &impl ConnectionTrait,
    addresses: &Addresses,
    caller: &Caller,
) -> Result<Option<CustomerTenantVisit>, CustomerTenantError> {
    let Some(customer_id) = caller.customer_tenant_id() else {
        return Ok(None);
    };
    let customer = customer::Entity::find_by_id(customer_id)
        .one(db)
        .await?
        .ok_or(CustomerTenantError::NotFound)?;
    let msp = msp_of(db, caller).await?;
    Ok(Some(CustomerTenantVisit {
        customer_tenant: addresses.view(&customer, &msp),
        msp: storage::tenant_summary(&msp),
    }))
}
