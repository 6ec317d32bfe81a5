//! The tenant tree: creating tenants and confining every look-up to the caller's subtree.

use chrono::Utc;
use domain::TenantName;
use entity::tenant;
use proto::{LicensingOption, TenantType};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait, Select,
};
use uuid::Uuid;

use crate::{auth::Caller, error::ApiError, storage};

pub struct NewTenant {
    pub name: TenantName,
    pub tenant_type: TenantType,
    pub parent_id: Option<Uuid>,
    pub monthly_billing: bool,
    pub licensing_options: Vec<LicensingOption>,
    pub azure_tenant_id: Option<domain::AzureTenantId>,
}

/// Why a tenant cannot go under the parent asked for.
#[derive(Debug, thiserror::Error)]
pub enum PlacementError {
    #[error("the parent tenant does not exist")]
    UnknownParent,
    #[error("a {child} cannot be placed under a {parent:?}")]
    WrongParent {
        child: &'static str,
        parent: Option<TenantType>,
    },
    #[error(transparent)]
    Api(#[from] ApiError),
}

/// The parent type the tree allows for each tenant type.
fn allowed_parent(tenant_type: TenantType) -> &'static [Option<TenantType>] {
    match tenant_type {
        TenantType::Distributor => &[None],
        TenantType::Reseller => &[None, Some(TenantType::Distributor)],
        TenantType::Corporate => &[Some(TenantType::Reseller)],
    }
}

pub async fn create_tenant(
    db: &impl ConnectionTrait,
    new: NewTenant,
) -> Result<tenant::Model, PlacementError> {
    let parent = match new.parent_id {
        Some(parent_id) => Some(
            tenant::Entity::find_by_id(parent_id)
                .one(db)
                .await
                .map_err(ApiError::from)?
                .ok_or(PlacementError::UnknownParent)?,
        ),
        None => None,
    };
    let parent_type = parent
        .as_ref()
        .map(|parent| storage::parse_tenant_type(&parent.tenant_type))
        .transpose()?;
    if !allowed_parent(new.tenant_type).contains(&parent_type) {
        return Err(PlacementError::WrongParent {
            child: new.tenant_type.as_str(),
            parent: parent_type,
        });
    }
    let id = Uuid::new_v4();
    let parent_path = parent.as_ref().map_or("/", |parent| parent.path.as_str());
    let row = tenant::ActiveModel {
        id: Set(id),
        parent_id: Set(new.parent_id),
        path: Set(format!("{parent_path}{id}/")),
        tenant_type: Set(new.tenant_type.as_str().to_owned()),
        name: Set(new.name.as_str().to_owned()),
        monthly_billing: Set(new.monthly_billing),
        licensing_options: Set(storage::encode_codes(
            new.licensing_options.iter().map(|option| option.as_str()),
        )),
        azure_tenant_id: Set(new.azure_tenant_id.map(|id| id.to_string())),
        master_gp_distribution: Set(false),
        created_at: Set(Utc::now()),
    };
    Ok(row.insert(db).await.map_err(ApiError::from)?)
}

pub async fn find_tenant(db: &impl ConnectionTrait, id: Uuid) -> Result<tenant::Model, ApiError> {
    tenant::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)
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
) -> Result<tenant::Model, ApiError> {
    subtree_of(caller_tenant)
        .filter(tenant::Column::Id.eq(id))
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)
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
) -> Result<tenant::Model, ApiError> {
    let own = find_tenant(db, caller.tenant_id).await?;
    match storage::parse_tenant_type(&own.tenant_type)? {
        TenantType::Distributor | TenantType::Reseller => Ok(own),
        TenantType::Corporate => Err(ApiError::Forbidden(
            "this setting belongs to resellers and distributors, not to Corporate customers"
                .to_owned(),
        )),
    }
}
