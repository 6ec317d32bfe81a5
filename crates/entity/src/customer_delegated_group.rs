use sea_orm::entity::prelude::*;

/// A group of the MSP allowed into a customer tenant (SPEC §15, access delegation).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "customer_delegated_groups")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub customer_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub group_id: Uuid,
    pub added_at: DateTimeUtc,
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
        belongs_to = "super::technician_group::Entity",
        from = "Column::GroupId",
        to = "super::technician_group::Column::Id"
    )]
    Group,
}

related!(customer => Customer, technician_group => Group);

impl ActiveModelBehavior for ActiveModel {}
