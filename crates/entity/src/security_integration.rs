use sea_orm::entity::prelude::*;

/// A tenant's security integration (SPEC §14); today the Duo Web SDK application that signs
/// its users' second factor. One per kind and tenant.
#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "security_integrations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    /// `duo_web_sdk`.
    pub kind: String,
    pub name: String,
    pub client_id: String,
    /// The Client Secret sealed with the MFA key (`MfaKey::encrypt`); never returned.
    pub client_secret_ciphertext: String,
    pub api_hostname: String,
    pub enabled: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecurityIntegration")
            .field("id", &self.id)
            .field("tenant_id", &self.tenant_id)
            .field("kind", &self.kind)
            .field("name", &self.name)
            .field("client_id", &self.client_id)
            .field("client_secret_ciphertext", &"[redacted]")
            .field("api_hostname", &self.api_hostname)
            .field("enabled", &self.enabled)
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
}

related!(tenant => Tenant);

impl ActiveModelBehavior for ActiveModel {}
