use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tenants")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub parent_id: Option<Uuid>,
    /// `/<root id>/…/<own id>/`.
    pub path: String,
    pub tenant_type: String,
    pub name: String,
    pub monthly_billing: bool,
    /// A JSON array of licensing option codes.
    pub licensing_options: String,
    pub azure_tenant_id: Option<String>,
    pub master_gp_distribution: bool,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
