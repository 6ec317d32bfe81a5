use sea_orm::entity::prelude::*;

/// Where a change came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(
    rs_type = "String",
    db_type = "String(StringLen::N(20))",
    rename_all = "snake_case"
)]
pub enum AuditSource {
    Api,
    Cli,
    Demo,
    /// Microsoft Entra's provisioning service, through `/scim/v2`.
    Scim,
    /// A scheduled job of the server, such as the user source's offboarding sync.
    Job,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub actor_user_id: Option<Uuid>,
    pub source: AuditSource,
    pub action: String,
    pub target: String,
    /// A JSON object, when the change has details worth keeping.
    #[sea_orm(column_type = "JsonBinary")]
    pub details: Option<Json>,
    pub source_ip: Option<String>,
    pub created_at: DateTimeUtc,
    /// On the MSP's copy of a change a technician made inside a customer tenant: that tenant.
    pub in_tenant_id: Option<Uuid>,
    /// On the customer tenant's entry of such a change: the MSP that holds the copy (whose log
    /// shows the copy instead, so that the change is listed once there).
    pub copied_to_tenant_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::tenant::Entity",
        from = "Column::TenantId",
        to = "super::tenant::Column::Id"
    )]
    Tenant,
    #[sea_orm(
        belongs_to = "super::user::Entity",
        from = "Column::ActorUserId",
        to = "super::user::Column::Id"
    )]
    Actor,
}

related!(tenant => Tenant);

impl ActiveModelBehavior for ActiveModel {}
