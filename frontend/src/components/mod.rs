//! Everything the pages are built from that is not itself a route: the customer list modal and
//! its create-customer form, the Guide's tabs and the New Windows GP form.

pub mod customer_list;
pub mod customers;
pub mod guide_tabs;
pub mod new_policy;

use proto::TenantType;

pub fn tenant_type_label(tenant_type: TenantType) -> &'static str {
    match tenant_type {
        TenantType::Distributor => "Distributor",
        TenantType::Reseller => "Reseller",
        TenantType::Corporate => "Corporate",
    }
}
