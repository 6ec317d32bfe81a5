use proto::{Role, UserSource};
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
    pub display_name: String,
    pub use_mfa: bool,
    pub allow_ui_access: bool,
    pub active: bool,
    pub source: UserSource,
    pub last_sign_in_at: Option<DateTimeUtc>,
    /// Entra's object ID, set by SCIM provisioning (`externalId`).
    pub external_id: Option<String>,
    /// The SCIM attributes that carry no rule here (`name`, `emails`), as Entra sent them.
    #[sea_orm(column_type = "JsonBinary")]
    pub scim_profile: Option<Json>,
    /// The last change to the account (none since it was created: `created_at`).
    pub modified_at: Option<DateTimeUtc>,
    /// The last change SCIM provisioning made.
    pub provisioned_at: Option<DateTimeUtc>,
    /// When the user completed a Duo authentication from the profile page ("Link Duo").
    pub duo_linked_at: Option<DateTimeUtc>,
}

impl Model {
    /// Invited and not yet accepted: a local account with no password (an empty hash verifies
    /// nothing). Accounts provisioned by SCIM have none either: they sign in with Microsoft. An
    /// account invited from the Entra user source is pending until it signs in either way.
    pub fn invitation_pending(&self) -> bool {
        self.password_hash.is_empty()
            && match self.source {
                UserSource::Local => true,
                UserSource::Scim => false,
                UserSource::Entra => self.last_sign_in_at.is_none(),
            }
    }
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
            .field("use_mfa", &self.use_mfa)
            .field("allow_ui_access", &self.allow_ui_access)
            .field("active", &self.active)
            .field("source", &self.source)
            .field("external_id", &self.external_id)
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
    #[sea_orm(has_many = "super::session::Entity")]
    Session,
    #[sea_orm(has_one = "super::totp_factor::Entity")]
    TotpFactor,
}

related!(
    tenant => Tenant,
    api_token => ApiToken,
    wizard_progress => WizardProgress,
    session => Session,
    totp_factor => TotpFactor,
);

impl ActiveModelBehavior for ActiveModel {}
