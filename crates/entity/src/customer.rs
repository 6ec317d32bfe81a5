use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "customers")]
pub struct Model {
    /// The customer's own (Corporate) tenant.
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    pub reseller_id: Uuid,
    pub name: String,
    /// Trimmed, lower-cased name: unique per reseller.
    pub name_key: String,
    pub customer_type: String,
    pub email: String,
    pub details: Option<String>,
    pub total_licenses: i32,
    pub active_licenses: i32,
    pub spla: bool,
    pub opt_in_master_gp: bool,
    pub churn_score: i16,
    pub azure_tenant_id: Option<String>,
    pub created_at: DateTimeUtc,
    /// `YYYY-MM-DD` of `created_at`.
    pub created_date: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
