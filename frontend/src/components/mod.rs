//! Everything the pages are built from that is not itself a route: the customer list modal and
//! its create-customer form, the Guide's tabs, the New Windows GP form, dialogs, search boxes,
//! API tokens, the authenticator app and new passwords.

pub mod api_tokens;
pub mod confirm;
pub mod copy;
pub mod customer_list;
pub mod customers;
pub mod dialog;
pub mod guide_tabs;
pub mod mfa;
pub mod new_policy;
pub mod pager;
pub mod password;
pub mod search;

use proto::{Claim, TenantType};

pub fn tenant_type_label(tenant_type: TenantType) -> &'static str {
    match tenant_type {
        TenantType::Distributor => "Distributor",
        TenantType::Reseller => "Reseller",
        TenantType::Corporate => "Corporate",
    }
}

pub fn claim_label(claim: Claim) -> &'static str {
    match claim {
        Claim::ViewEndpointSettings => "View endpoint settings",
        Claim::EditEndpointSettings => "Edit endpoint settings",
        Claim::ManageCustomerSettings => "Manage customer settings",
        Claim::ViewCustomers => "View customers",
        Claim::CreateCustomer => "Create customers",
    }
}

/// The `aria-invalid` value of a control whose input was refused (or not).
pub fn aria_invalid(refused: bool) -> &'static str {
    if refused { "true" } else { "false" }
}
