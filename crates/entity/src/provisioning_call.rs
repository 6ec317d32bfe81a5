use sea_orm::entity::prelude::*;

/// One call of Entra's provisioning service to `/scim/v2`, with its answer: the SSO page's
/// provisioning log.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "provisioning_calls")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub created_at: DateTimeUtc,
    pub method: String,
    /// Path and query, cut at 500 characters.
    pub path: String,
    pub status: i32,
    /// The user the call was about, when there was one.
    pub user_id: Option<Uuid>,
    /// The error's detail, for a refused call.
    pub detail: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::tenant::Entity",
        from = "Column::TenantId",
        to = "super::tenant::Column::Id"
    )]
    Tenant,
}

related!(tenant => Tenant);

impl ActiveModelBehavior for ActiveModel {}
