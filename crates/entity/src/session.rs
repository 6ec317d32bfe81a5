use sea_orm::entity::prelude::*;

/// A web sign-in. The access token names it, so ending it ends the token.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sessions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Uuid,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    pub revoked_at: Option<DateTimeUtc>,
    /// Signed in with the password only, while Use MFA waits for a factor to be enrolled.
    pub enrolment_pending: bool,
    pub source_ip: Option<String>,
    /// Set when the session is scoped to one of the MSP's customer tenants (SPEC §15): the
    /// user acts in that tenant until it goes back.
    pub customer_tenant_id: Option<Uuid>,
    /// The MSP session this customer-tenant session was opened from, to go back to.
    pub parent_session_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::user::Entity",
        from = "Column::UserId",
        to = "super::user::Column::Id"
    )]
    User,
}

related!(user => User);

impl ActiveModelBehavior for ActiveModel {}
