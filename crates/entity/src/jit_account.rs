use sea_orm::entity::prelude::*;

/// A just-in-time admin account in a customer's Entra directory (SPEC §16), from before it is
/// created there until it is deleted there. Never holds its password.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "jit_accounts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The MSP whose expiry job removes it.
    pub reseller_id: Uuid,
    /// The customer tenant; cleared when the customer is deleted (the account is then removed).
    pub customer_id: Option<Uuid>,
    pub technician_id: Uuid,
    pub technician_email: String,
    /// The customer's Entra directory, kept so that removal needs nothing else.
    pub entra_tenant_id: String,
    pub user_principal_name: String,
    /// Entra's object ID, once the create answered.
    pub object_id: Option<String>,
    /// `[{"id": role template ID, "display_name": …}]`.
    #[sea_orm(column_type = "Text")]
    pub roles: String,
    /// `creating`, `active` or `ending`.
    pub state: String,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    /// Who ended it before its time.
    pub ended_by: Option<Uuid>,
    /// The removal's next step (`domain::TeardownStep`), once it started.
    pub teardown_step: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub last_error: Option<String>,
    pub last_attempt_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
