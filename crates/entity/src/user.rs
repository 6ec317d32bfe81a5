use proto::Role;
use sea_orm::entity::prelude::*;

use crate::ClaimCodes;

#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub email: String,
    pub password_hash: String,
    pub role: Role,
    #[sea_orm(column_type = "JsonBinary")]
    pub claims: ClaimCodes,
    pub created_at: DateTimeUtc,
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("User")
            .field("id", &self.id)
            .field("tenant_id", &self.tenant_id)
            .field("email", &self.email)
            .field("password_hash", &"[redacted]")
            .field("role", &self.role)
            .field("claims", &self.claims)
            .finish()
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::tenant::Entity",
        from = "Column::TenantId",
        to = "super::tenant::Column::Id"
    )]
    Tenant,
    #[sea_orm(has_many = "super::api_token::Entity")]
    ApiToken,
    #[sea_orm(has_one = "super::wizard_progress::Entity")]
    WizardProgress,
}

related!(tenant => Tenant, api_token => ApiToken, wizard_progress => WizardProgress);

impl ActiveModelBehavior for ActiveModel {}
