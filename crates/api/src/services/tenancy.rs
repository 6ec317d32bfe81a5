//! The tenant tree: creating tenants and confining every look-up to the caller's subtree.

use chrono::Utc;
use domain::TenantName;
use entity::{LicensingOptions, tenant};
use proto::{LicensingOption, Page, TenantSummary, TenantType};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait, Select,
};
use uuid::Uuid;

use crate::{
    infra::auth::Caller,
    services::{
        access::AccessDenied,
        paging::{PageRequest, fetch_page},
        storage::{self, StorageError},
    },
};

pub struct NewTenant {
    pub name: TenantName,
    pub tenant_type: TenantType,
    pub parent_id: Option<Uuid>,
    pub monthly_billing: bool,
    pub licensing_options: Vec<LicensingOption>,
    pub azure_tenant_id: Option<domain::AzureTenantId>,
}

#[derive(Debug, thiserror::Error)]
pub enum TenancyError {
    /// Not in the caller's subtree, or not at all: the two are never told apart.
    #[error("no such tenant")]
    TenantNotFound,
    #[error("the parent tenant does not exist")]
    UnknownParent,
    #[error("a {} cannot be placed {}", child.as_str(), parent.map_or("at the root".to_owned(), |parent| format!("under a {}", parent.as_str())))]
    WrongParent {
        child: TenantType,
        parent: Option<TenantType>,
    },
    #[error(transparent)]
    Denied(#[from] AccessDenied),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

pub async fn create_tenant(
    db: &impl ConnectionTrait,
    new: NewTenant,
) -> Result<tenant::Model, TenancyError> {
    let parent = match new.parent_id {
        Some(parent_id) => Some(
            tenant::Entity::find_by_id(parent_id)
                .one(db)
                .await?
                .ok_or(TenancyError::UnknownParent)?,
        ),
        None => None,
    };
    insert_tenant(db, parent.as_ref(), new).await
}

/// Creates `new` under `parent`, a tenant the caller has read already (`new.parent_id` must name
/// it): one statement less in the caller's transaction. The parent's row cannot vanish before
/// the insert: the foreign key refuses the insert then.
pub async fn create_tenant_under(
    db: &impl ConnectionTrait,
    parent: &tenant::Model,
    new: NewTenant,
) -> Result<tenant::Model, TenancyError> {
    if new.parent_id != Some(parent.id) {
        return Err(TenancyError::UnknownParent);
    }
    insert_tenant(db, Some(parent), new).await
}

async fn insert_tenant(
    db: &impl ConnectionTrait,
    parent: Option<&tenant::Model>,
    new: NewTenant,
) -> Result<tenant::Model, TenancyError> {
    let parent_type = parent.map(|parent| parent.tenant_type);
    if !domain::may_place_under(new.tenant_type, parent_type) {
        return Err(TenancyError::WrongParent {
            child: new.tenant_type,
            parent: parent_type,
        });
    }
    let id = Uuid::new_v4();
    let parent_path = parent.map_or("/", |parent| parent.path.as_str());
    let row = tenant::ActiveModel {
        id: Set(id),
        parent_id: Set(parent.map(|parent| parent.id)),
        path: Set(format!("{parent_path}{id}/")),
        tenant_type: Set(new.tenant_type),
        name: Set(new.name.as_str().to_owned()),
        monthly_billing: Set(new.monthly_billing),
        licensing_options: Set(LicensingOptions(new.licensing_options)),
        azure_tenant_id: Set(new.azure_tenant_id.map(|id| id.to_string())),
        master_gp_distribution: Set(false),
        show_new_sub_tenants: Set(false),
        created_at: Set(Utc::now()),
    };
    Ok(row.insert(db).await?)
}

pub async fn find_tenant(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<tenant::Model, TenancyError> {
    tenant::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(TenancyError::TenantNotFound)
}

/// The subtree rooted at `root` (itself included), as a select to refine.
pub fn subtree_of(root: &tenant::Model) -> Select<tenant::Entity> {
    tenant::Entity::find().filter(tenant::Column::Path.starts_with(&root.path))
}

/// IDs of every tenant in the subtree rooted at `root`, as a sub-query.
pub fn subtree_ids(root: &tenant::Model) -> sea_orm::sea_query::SelectStatement {
    subtree_of(root)
        .select_only()
        .column(tenant::Column::Id)
        .into_query()
}

/// A tenant the caller may see: in the caller's subtree. Anything else is a 404, so that the
/// existence of another tree's tenant is not revealed either.
pub async fn find_visible_tenant(
    db: &impl ConnectionTrait,
    caller_tenant: &tenant::Model,
    id: Uuid,
) -> Result<tenant::Model, TenancyError> {
    subtree_of(caller_tenant)
        .filter(tenant::Column::Id.eq(id))
        .one(db)
        .await?
        .ok_or(TenancyError::TenantNotFound)
}

pub fn ordered_by_name(select: Select<tenant::Entity>) -> Select<tenant::Entity> {
    select
        .order_by_asc(tenant::Column::Name)
        .order_by_asc(tenant::Column::Id)
}

/// Whether `tenant` lies in the subtree rooted at `root`.
pub fn is_within(root: &tenant::Model, tenant: &tenant::Model) -> bool {
    tenant.path.starts_with(&root.path)
}

/// The caller's own tenant, which must be a reseller or distributor (the MSP side of the tree).
pub async fn find_partner_tenant(
    db: &impl ConnectionTrait,
    caller: &Caller,
) -> Result<tenant::Model, TenancyError> {
    let own = find_tenant(db, caller.tenant_id).await?;
    match own.tenant_type {
        TenantType::Distributor | TenantType::Reseller => Ok(own),
        TenantType::Corporate => Err(AccessDenied::NotAPartner.into()),
    }
}

/// Customers' tenants (names, Azure tenant IDs, options) are customer data: without
/// `view_customers` the tenant tree shows only the partner tenants.
fn may_see_customers(caller: &Caller) -> bool {
    caller.claims.contains(proto::Claim::ViewCustomers)
}

/// The caller's tenant and every tenant below it (customers only with `view_customers`), by
/// name.
pub async fn list_subtree(
    db: &sea_orm::DatabaseConnection,
    caller: &Caller,
    page: PageRequest,
) -> Result<Page<TenantSummary>, TenancyError> {
    let own = find_tenant(db, caller.tenant_id).await?;
    let mut select = subtree_of(&own);
    if !may_see_customers(caller) {
        select = select.filter(tenant::Column::TenantType.ne(TenantType::Corporate));
    }
    let (rows, total) = fetch_page(db, ordered_by_name(select), page).await?;
    let items = rows.iter().map(storage::tenant_summary).collect();
    Ok(Page { items, total })
}

/// One tenant of the caller's subtree.
pub async fn visible_tenant(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<TenantSummary, TenancyError> {
    let own = find_tenant(db, caller.tenant_id).await?;
    let tenant = find_visible_tenant(db, &own, id).await?;
    if tenant.tenant_type == TenantType::Corporate && !may_see_customers(caller) {
        return Err(TenancyError::TenantNotFound);
    }
    Ok(storage::tenant_summary(&tenant))
}
