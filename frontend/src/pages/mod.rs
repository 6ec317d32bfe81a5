pub mod api_tokens;
pub mod home;
pub mod login;

use proto::TenantType;

pub fn tenant_type_label(tenant_type: TenantType) -> &'static str {
    match tenant_type {
        TenantType::Distributor => "Distributor",
        TenantType::Reseller => "Reseller",
        TenantType::Corporate => "Corporate",
    }
}
