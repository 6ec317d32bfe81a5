#[cfg(feature = "sea-orm")]
use sea_orm::entity::prelude::StringLen;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The derives every stored code enum shares: one snake_case name per variant for serde, for
/// `as_str`/`from_code` (strum) and, behind the `sea-orm` feature, for the database column, so
/// that the three can never disagree.
macro_rules! code_enum {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$variant_meta:meta])* $variant:ident,)+ }) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
            strum::IntoStaticStr, strum::EnumString,
        )]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[cfg_attr(feature = "sea-orm", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
        #[cfg_attr(
            feature = "sea-orm",
            sea_orm(rs_type = "String", db_type = "String(StringLen::None)", rename_all = "snake_case")
        )]
        #[serde(rename_all = "snake_case")]
        #[strum(serialize_all = "snake_case")]
        pub enum $name {
            $($(#[$variant_meta])* $variant,)+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: [Self; [$(stringify!($variant)),+].len()] = [$(Self::$variant),+];

            /// The stable code, as on the wire and in the database.
            pub fn as_str(self) -> &'static str {
                self.into()
            }

            pub fn from_code(code: &str) -> Option<Self> {
                code.parse().ok()
            }
        }
    };
}

pub(crate) use code_enum;

code_enum! {
    /// The kind of tenant: Distributor → Reseller → Corporate.
    pub enum TenantType {
        Distributor,
        Reseller,
        Corporate,
    }
}

code_enum! {
    /// A user's role in their tenant.
    pub enum Role {
        Admin,
        Technician,
    }
}

code_enum! {
    /// Where a user account comes from: invited here, provisioned by SCIM, or read from Entra.
    pub enum UserSource {
        Local,
        Scim,
        Entra,
    }
}

code_enum! {
    /// A permission claim that gates part of the product (SPEC §2).
    pub enum Claim {
        ViewEndpointSettings,
        EditEndpointSettings,
        ManageCustomerSettings,
        ViewCustomers,
        CreateCustomer,
    }
}

code_enum! {
    /// A licensing option a tenant can hold (stable codes, SPEC §2).
    pub enum LicensingOption {
        DnsSecurity,
        PatchManagement,
        Ngav,
        RansomwareEncryption,
        PrivilegedAccess,
        ApplicationControl,
        // snake_case alone would give `email_security365`.
        #[serde(rename = "email_security_365")]
        #[strum(serialize = "email_security_365")]
        #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "email_security_365"))]
        EmailSecurity365,
        Atp,
        Mxdr,
        Tac,
        TacUiM365UserSecurity,
    }
}

code_enum! {
    /// Where a user is in the onboarding wizard.
    pub enum WizardStatus {
        NotStarted,
        InProgress,
        Dismissed,
        Completed,
    }
}

#[cfg(test)]
mod code_tests {
    use super::*;

    fn serde_name<T: Serialize>(value: T) -> String {
        match serde_json::to_value(value) {
            Ok(serde_json::Value::String(name)) => name,
            other => format!("{other:?}"),
        }
    }

    fn agree<T: Serialize + Copy + PartialEq + std::fmt::Debug>(
        all: &[T],
        as_str: fn(T) -> &'static str,
        from_code: fn(&str) -> Option<T>,
    ) {
        for &value in all {
            assert_eq!(serde_name(value), as_str(value));
            assert_eq!(from_code(as_str(value)), Some(value));
        }
    }

    #[test]
    fn every_code_is_the_same_on_the_wire_and_in_as_str() {
        agree(&TenantType::ALL, TenantType::as_str, TenantType::from_code);
        agree(&Role::ALL, Role::as_str, Role::from_code);
        agree(&Claim::ALL, Claim::as_str, Claim::from_code);
        agree(
            &LicensingOption::ALL,
            LicensingOption::as_str,
            LicensingOption::from_code,
        );
        agree(
            &WizardStatus::ALL,
            WizardStatus::as_str,
            WizardStatus::from_code,
        );
        assert_eq!(
            LicensingOption::EmailSecurity365.as_str(),
            "email_security_365"
        );
        assert_eq!(Claim::from_code("fly"), None);
    }
}

/// A tenant as the caller may see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TenantSummary {
    pub id: Uuid,
    pub name: String,
    #[serde(rename = "type")]
    pub tenant_type: TenantType,
    pub parent_id: Option<Uuid>,
    pub monthly_billing: bool,
    pub licensing_options: Vec<LicensingOption>,
    /// The tenant's Microsoft Entra tenant ID (lower-case GUID), when saved.
    pub azure_tenant_id: Option<String>,
    pub master_gp_distribution: bool,
}

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub id: Uuid,
    pub tenant_id: Uuid,
    /// The user who made the change; null for the command line and the demo seed.
    pub actor_user_id: Option<Uuid>,
    /// `api`, `cli` or `demo`.
    pub source: String,
    /// e.g. `api_token.create`.
    pub action: String,
    /// What was changed, e.g. `api_token:<id>`.
    pub target: String,
    /// A JSON object with what helps to understand the change.
    pub details: Option<serde_json::Value>,
    pub source_ip: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// The customer tenant the change was made in, when a technician of this tenant made it
    /// there (the customer tenant's own log holds the same entry).
    #[serde(default)]
    pub in_tenant_id: Option<Uuid>,
}
