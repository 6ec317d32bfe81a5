use proto::WizardStatus;
use sea_orm::entity::prelude::*;

use crate::StepHistory;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "wizard_progress")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: Uuid,
    pub status: WizardStatus,
    pub step: i16,
    #[sea_orm(column_type = "JsonBinary")]
    pub history: StepHistory,
    pub updated_at: DateTimeUtc,
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
