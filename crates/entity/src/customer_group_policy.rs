use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "customer_group_policies")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub customer_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub group_policy_id: Uuid,
    pub assigned_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::customer::Entity",
        from = "Column::CustomerId",
        to = "super::customer::Column::TenantId"
    )]
    Customer,
    #[sea_orm(
        belongs_to = "super::group_policy::Entity",
        from = "Column::GroupPolicyId",
        to = "super::group_policy::Column::Id"
    )]
    GroupPolicy,
}

related!(customer => Customer, group_policy => GroupPolicy);

impl ActiveModelBehavior for ActiveModel {}
