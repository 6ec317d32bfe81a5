use proto::TenantType;
use sea_orm::entity::prelude::*;

use crate::LicensingOptions;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tenants")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub parent_id: Option<Uuid>,
    /// `/<root id>/…/<own id>/`.
    pub path: String,
    pub tenant_type: TenantType,
    pub name: String,
    pub monthly_billing: bool,
    #[sea_orm(column_type = "JsonBinary")]
    pub licensing_options: LicensingOptions,
    pub azure_tenant_id: Option<String>,
    pub master_gp_distribution: bool,
    /// "Show new sub-tenants" in the Azure customers grid.
    pub show_new_sub_tenants: bool,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "Entity", from = "Column::ParentId", to = "Column::Id")]
    Parent,
    #[sea_orm(has_many = "super::user::Entity")]
    User,
    #[sea_orm(has_many = "super::group_policy::Entity")]
    GroupPolicy,
}

related!(user => User, group_policy => GroupPolicy);

impl ActiveModelBehavior for ActiveModel {}
