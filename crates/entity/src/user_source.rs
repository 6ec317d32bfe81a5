use sea_orm::entity::prelude::*;

/// A tenant's user source (SPEC §16): local, or its Entra directory once consented.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "user_sources")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    /// `local` or `azuread`.
    pub source: String,
    pub entra_tenant_id: Option<String>,
    pub authorised_by: Option<String>,
    pub authorised_at: Option<DateTimeUtc>,
    /// SHA-256 of the `state` of the admin consent under way.
    pub consent_state_hash: Option<String>,
    pub consent_started_by: Option<Uuid>,
    pub consent_expires_at: Option<DateTimeUtc>,
    pub onboarding_domain: Option<String>,
    pub jit_prefix: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub delta_link: Option<String>,
    pub last_sync_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text", nullable)]
    pub last_sync_error: Option<String>,
    pub last_sync_deactivated: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
