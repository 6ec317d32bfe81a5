use sea_orm::entity::prelude::*;

/// A customer tenant's Microsoft Entra connection for just-in-time admin accounts (SPEC §16).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "customer_entra_connections")]
pub struct Model {
    /// The customer's tenant.
    #[sea_orm(primary_key, auto_increment = false)]
    pub customer_id: Uuid,
    pub reseller_id: Uuid,
    /// What technicians see, e.g. "Entra ID - retail customer".
    pub app_name: String,
    pub entra_tenant_id: Option<String>,
    pub authorised_by: Option<String>,
    pub authorised_at: Option<DateTimeUtc>,
    /// SHA-256 of the `state` of the admin consent under way.
    pub consent_state_hash: Option<String>,
    pub consent_started_by: Option<Uuid>,
    pub consent_expires_at: Option<DateTimeUtc>,
    pub lifetime_hours: i32,
    pub account_domain: Option<String>,
    /// `{"all_admins": [role IDs]}` or `{"groups": {group ID: [role IDs]}}`.
    #[sea_orm(column_type = "Text", nullable)]
    pub role_mapping: Option<String>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
