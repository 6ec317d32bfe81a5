use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261123_000002_create_users::Users;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(WizardProgress::Table)
                    .col(uuid(WizardProgress::UserId).primary_key())
                    .col(string_len(WizardProgress::Status, 20))
                    .col(small_integer(WizardProgress::Step))
                    // The steps the user came through, so Back survives a reload.
                    .col(text(WizardProgress::History))
                    .col(timestamp_with_time_zone(WizardProgress::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_wizard_progress_user")
                            .from(WizardProgress::Table, WizardProgress::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(WizardProgress::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum WizardProgress {
    Table,
    UserId,
    Status,
    Step,
    History,
    UpdatedAt,
}
