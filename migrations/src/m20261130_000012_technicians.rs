//! Technicians (SPEC §12): profile and permission columns on users, server-side sessions,
//! single-use invitations, TOTP factors with their recovery codes, and API token expiry.

use sea_orm_migration::{prelude::*, schema::*};

use crate::{m20261123_000002_create_users::Users, m20261123_000003_create_api_tokens::ApiTokens};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// One column per statement: SQLite alters a table one change at a time.
fn user_columns() -> Vec<ColumnDef> {
    vec![
        string_len(Technicians::DisplayName, 200)
            .default("")
            .to_owned(),
        boolean(Technicians::UseMfa).default(false).to_owned(),
        boolean(Technicians::AllowUiAccess).default(true).to_owned(),
        boolean(Technicians::Active).default(true).to_owned(),
        string_len(Technicians::Source, 10)
            .default("local")
            .to_owned(),
        timestamp_with_time_zone_null(Technicians::LastSignInAt),
    ]
}

fn belongs_to_user(
    table: impl IntoIden + Clone + 'static,
    name: &str,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(table, Technicians::UserId)
        .to(Users::Table, Users::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for mut column in user_columns() {
            manager
                .alter_table(
                    Table::alter()
                        .table(Users::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(ApiTokens::Table)
                    .add_column(timestamp_with_time_zone_null(Technicians::ExpiresAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Technicians::Sessions)
                    .col(uuid(Technicians::Id).primary_key())
                    .col(uuid(Technicians::UserId))
                    .col(timestamp_with_time_zone(Technicians::CreatedAt))
                    .col(timestamp_with_time_zone(Technicians::ExpiresAt))
                    .col(timestamp_with_time_zone_null(Technicians::RevokedAt))
                    // Signed in with the password only, while Use MFA waits for a factor.
                    .col(boolean(Technicians::EnrolmentPending).default(false))
                    .col(string_len_null(Technicians::SourceIp, 64))
                    .foreign_key(&mut belongs_to_user(
                        Technicians::Sessions,
                        "fk_sessions_user",
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_sessions_user")
                    .table(Technicians::Sessions)
                    .col(Technicians::UserId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Technicians::Invitations)
                    .col(uuid(Technicians::Id).primary_key())
                    .col(uuid(Technicians::UserId))
                    // SHA-256 of the link's token, hex.
                    .col(string_len(Technicians::TokenHash, 64).unique_key())
                    .col(uuid(Technicians::CreatedBy))
                    .col(timestamp_with_time_zone(Technicians::CreatedAt))
                    .col(timestamp_with_time_zone(Technicians::ExpiresAt))
                    .col(timestamp_with_time_zone_null(Technicians::UsedAt))
                    .foreign_key(&mut belongs_to_user(
                        Technicians::Invitations,
                        "fk_invitations_user",
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Technicians::TotpFactors)
                    .col(uuid(Technicians::UserId).primary_key())
                    // AES-256-GCM: base64 of nonce ‖ ciphertext of the base32 secret.
                    .col(string_len(Technicians::SecretCiphertext, 200))
                    .col(timestamp_with_time_zone(Technicians::CreatedAt))
                    .col(timestamp_with_time_zone_null(Technicians::ConfirmedAt))
                    // The last 30-second step whose code was accepted: no replay within a window.
                    .col(big_integer_null(Technicians::LastUsedStep))
                    .foreign_key(&mut belongs_to_user(
                        Technicians::TotpFactors,
                        "fk_totp_factors_user",
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Technicians::RecoveryCodes)
                    .col(uuid(Technicians::Id).primary_key())
                    .col(uuid(Technicians::UserId))
                    .col(string_len(Technicians::CodeHash, 64))
                    .col(timestamp_with_time_zone_null(Technicians::UsedAt))
                    .foreign_key(&mut belongs_to_user(
                        Technicians::RecoveryCodes,
                        "fk_recovery_codes_user",
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_recovery_codes_user")
                    .table(Technicians::RecoveryCodes)
                    .col(Technicians::UserId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Technicians::RecoveryCodes,
            Technicians::TotpFactors,
            Technicians::Invitations,
            Technicians::Sessions,
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(ApiTokens::Table)
                    .drop_column(Technicians::ExpiresAt)
                    .to_owned(),
            )
            .await?;
        for column in [
            Technicians::LastSignInAt,
            Technicians::Source,
            Technicians::Active,
            Technicians::AllowUiAccess,
            Technicians::UseMfa,
            Technicians::DisplayName,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Users::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone)]
enum Technicians {
    Sessions,
    Invitations,
    TotpFactors,
    RecoveryCodes,
    Id,
    UserId,
    DisplayName,
    UseMfa,
    AllowUiAccess,
    Active,
    Source,
    LastSignInAt,
    CreatedAt,
    ExpiresAt,
    RevokedAt,
    EnrolmentPending,
    SourceIp,
    TokenHash,
    CreatedBy,
    UsedAt,
    SecretCiphertext,
    ConfirmedAt,
    LastUsedStep,
    CodeHash,
}
