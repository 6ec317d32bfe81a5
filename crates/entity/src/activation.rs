use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "activations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub licence_key_id: Uuid,
    pub device_id: String,
    pub activated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::licence_key::Entity",
        from = "Column::LicenceKeyId",
        to = "super::licence_key::Column::Id"
    )]
    LicenceKey,
}

related!(licence_key => LicenceKey);

impl ActiveModelBehavior for ActiveModel {}
