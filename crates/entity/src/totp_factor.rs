use sea_orm::entity::prelude::*;

/// A user's TOTP factor. The secret is stored only encrypted (AES-256-GCM).
#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "totp_factors")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: Uuid,
    /// Base64 of nonce ‖ ciphertext.
    pub secret_ciphertext: String,
    pub created_at: DateTimeUtc,
    /// Unconfirmed until the user has typed one code from the app.
    pub confirmed_at: Option<DateTimeUtc>,
    /// The last 30-second step whose code was accepted (a code is accepted once).
    pub last_used_step: Option<i64>,
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TotpFactor")
            .field("user_id", &self.user_id)
            .field("secret_ciphertext", &"[redacted]")
            .field("confirmed_at", &self.confirmed_at)
            .finish()
    }
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
