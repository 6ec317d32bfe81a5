pub mod api_tokens;
pub mod azure_login;
mod customer_list;
mod guide;
pub mod home;
pub mod login;
pub mod msp_onboarding;
mod new_policy;
pub mod windows_gp;

use proto::TenantType;

pub fn tenant_type_label(tenant_type: TenantType) -> &'static str {
    match tenant_type {
        TenantType::Distributor => "Distributor",
        TenantType::Reseller => "Reseller",
        TenantType::Corporate => "Corporate",
    }
}
