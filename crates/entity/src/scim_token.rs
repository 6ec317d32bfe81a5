use sea_orm::entity::prelude::*;

/// A tenant's SCIM secret token: Entra's provisioning service presents it as a bearer token.
/// One per tenant; rotating replaces the row, so the old token stops at once.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "scim_tokens")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    /// SHA-256 of the token, hex.
    pub token_hash: String,
    /// The token's first characters, to tell tokens apart on the SSO page.
    pub prefix: String,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub last_used_at: Option<DateTimeUtc>,
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
