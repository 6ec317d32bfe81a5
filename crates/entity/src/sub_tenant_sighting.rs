use sea_orm::entity::prelude::*;

/// An Azure sub-tenant a reseller's listing has returned: its ID, its name at the last listing,
/// and when any listing of the reseller first returned it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sub_tenant_sightings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub reseller_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub azure_tenant_id: String,
    pub name: String,
    pub first_seen_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
