use sea_orm::entity::prelude::*;

/// A suggested match between an Azure sub-tenant and a customer that the reseller turned down
/// ("Not this one").
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "customer_match_rejections")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub reseller_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub azure_tenant_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub customer_id: Uuid,
    pub rejected_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::customer::Entity",
        from = "Column::CustomerId",
        to = "super::customer::Column::TenantId"
    )]
    Customer,
}

related!(customer => Customer);

impl ActiveModelBehavior for ActiveModel {}
