use sea_orm::entity::prelude::*;

/// The one kind of customer there is today; stored by name so that more can follow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(20))")]
pub enum CustomerType {
    #[sea_orm(string_value = "Corporate")]
    Corporate,
}

impl CustomerType {
    /// The label the grids show and the search matches.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Corporate => "Corporate",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "customers")]
pub struct Model {
    /// The customer's own (Corporate) tenant.
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    pub reseller_id: Uuid,
    pub name: String,
    /// Trimmed, lower-cased name: unique per reseller.
    pub name_key: String,
    pub customer_type: CustomerType,
    pub email: String,
    pub details: Option<String>,
    pub total_licenses: i32,
    pub active_licenses: i32,
    pub spla: bool,
    pub opt_in_master_gp: bool,
    pub churn_score: i16,
    pub azure_tenant_id: Option<String>,
    /// The Azure sub-tenant's name when the customer was created from it, linked to it or
    /// renamed after it; a different name in Azure now is shown as a rename.
    pub azure_name: Option<String>,
    pub created_at: DateTimeUtc,
    /// `YYYY-MM-DD` of `created_at`.
    pub created_date: String,
    /// The customer tenant's name (SPEC §15), unique per reseller.
    pub tenant_name: String,
    pub display_name: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The customer's own tenant.
    #[sea_orm(
        belongs_to = "super::tenant::Entity",
        from = "Column::TenantId",
        to = "super::tenant::Column::Id"
    )]
    Tenant,
    #[sea_orm(
        belongs_to = "super::tenant::Entity",
        from = "Column::ResellerId",
        to = "super::tenant::Column::Id"
    )]
    Reseller,
    #[sea_orm(has_many = "super::licence_key::Entity")]
    LicenceKey,
    #[sea_orm(has_many = "super::customer_group_policy::Entity")]
    GroupPolicyAssignment,
}

related!(tenant => Tenant, licence_key => LicenceKey, customer_group_policy => GroupPolicyAssignment);

impl ActiveModelBehavior for ActiveModel {}
