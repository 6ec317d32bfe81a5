//! The tenant-isolation matrix: every operation of the OpenAPI document, called by each party
//! against every other party's data. Two resellers (Alpha under the distributor Delta, and the
//! stand-alone Bravo) and Delta each own one of everything; a caller gets a 403/404 without a
//! trace of the owner's data, except where the owner lies in the caller's subtree and the API
//! lets an ancestor see it. An operation the table does not know fails the test.

mod checks;
mod customer_checks;
mod customer_entra_checks;
mod duo_checks;
mod group_checks;
mod jit_account_checks;
mod parties;
mod sso_checks;
mod tenant_checks;
mod user_checks;
mod user_source_checks;

use parties::three_parties;

use crate::helpers::documented_operations;

/// Who may see an owner's data through an operation besides the owner.
#[derive(Debug, Clone, Copy)]
enum Rule {
    /// No tenant data: anyone gets the same answer.
    Public,
    /// The caller's own user or tenant only.
    Own,
    /// The owner's ancestors too (the caller's subtree is visible).
    Subtree,
}

#[derive(Debug, Clone, Copy)]
enum Op {
    Health,
    Ready,
    Login,
    Logout,
    Me,
    GetWizard,
    PutWizard,
    ListApiTokens,
    CreateApiToken,
    RevokeApiToken,
    AuditLog,
    ListCustomers,
    ExportCustomers,
    CreateCustomersBatch,
    CreateCustomer,
    GetCustomer,
    UpdateCustomer,
    DeleteCustomer,
    GetDelegation,
    PutDelegation,
    GetCustomerEntra,
    PutCustomerEntra,
    AuthorizeCustomerEntra,
    CustomerEntraConsentCallback,
    CustomerEntraDomains,
    CustomerEntraRoles,
    GetJitAccess,
    RequestJitAccount,
    EndJitAccount,
    MyJitAccounts,
    ListLapsDevices,
    RevealLapsPassword,
    OpenCustomerTenant,
    LeaveCustomerTenant,
    ListCustomerTenants,
    FindCustomerTenant,
    HostAddress,
    Activate,
    Deactivate,
    GetAzureLogin,
    PutAzureLogin,
    GetWindowsGp,
    PutWindowsGp,
    ListGroupPolicies,
    CreateGroupPolicy,
    UpdateGroupPolicy,
    DeleteGroupPolicy,
    ListTenants,
    GetTenant,
    AzureCustomers,
    LinkAzureCustomer,
    RejectAzureMatch,
    RenameCustomerAfterAzure,
    ListJobs,
    GetUserSource,
    PutUserSource,
    AuthorizeUserSource,
    UserSourceConsentCallback,
    UserSourceDomains,
    SyncUserSource,
    GetNewSubTenants,
    PutNewSubTenants,
    LoginTotp,
    AcceptInvitation,
    ChangePassword,
    BeginTotp,
    ConfirmTotp,
    RecoveryCodes,
    ListUsers,
    InviteUser,
    GetUser,
    UpdateUser,
    DeleteUser,
    ResetUserMfa,
    CreateUserApiToken,
    GetScimSettings,
    CreateScimToken,
    RevokeScimToken,
    ListProvisioningCalls,
    SignInProviders,
    BeginMicrosoftSignIn,
    CompleteMicrosoftSignIn,
    BeginDuoSignIn,
    CompleteDuo,
    BeginDuoLink,
    UnlinkDuo,
    ListSecurityIntegrations,
    CreateSecurityIntegration,
    GetSecurityIntegration,
    UpdateSecurityIntegration,
    DeleteSecurityIntegration,
    CheckSecurityIntegration,
    ListTechnicianGroups,
    CreateTechnicianGroup,
    GetTechnicianGroup,
    UpdateTechnicianGroup,
    DeleteTechnicianGroup,
    AddTechnicianGroupMember,
    RemoveTechnicianGroupMember,
}

/// One entry per operation of the document: method, path template, the check, who may see.
const ENTRIES: &[(&str, &str, Op, Rule)] = &[
    ("get", "/healthz", Op::Health, Rule::Public),
    ("get", "/readyz", Op::Ready, Rule::Public),
    ("post", "/api/v1/auth/login", Op::Login, Rule::Public),
    ("post", "/api/v1/auth/logout", Op::Logout, Rule::Public),
    (
        "post",
        "/api/v1/auth/login/totp",
        Op::LoginTotp,
        Rule::Public,
    ),
    (
        "post",
        "/api/v1/auth/accept-invitation",
        Op::AcceptInvitation,
        Rule::Public,
    ),
    ("put", "/api/v1/me/password", Op::ChangePassword, Rule::Own),
    ("post", "/api/v1/me/mfa/totp", Op::BeginTotp, Rule::Own),
    (
        "post",
        "/api/v1/me/mfa/totp/confirm",
        Op::ConfirmTotp,
        Rule::Own,
    ),
    (
        "post",
        "/api/v1/me/mfa/recovery-codes",
        Op::RecoveryCodes,
        Rule::Own,
    ),
    ("get", "/api/v1/users", Op::ListUsers, Rule::Own),
    ("post", "/api/v1/users", Op::InviteUser, Rule::Own),
    ("get", "/api/v1/users/{id}", Op::GetUser, Rule::Own),
    ("patch", "/api/v1/users/{id}", Op::UpdateUser, Rule::Own),
    ("delete", "/api/v1/users/{id}", Op::DeleteUser, Rule::Own),
    (
        "delete",
        "/api/v1/users/{id}/mfa",
        Op::ResetUserMfa,
        Rule::Own,
    ),
    (
        "post",
        "/api/v1/users/{id}/api-tokens",
        Op::CreateUserApiToken,
        Rule::Own,
    ),
    ("get", "/api/v1/me", Op::Me, Rule::Own),
    ("get", "/api/v1/onboarding-wizard", Op::GetWizard, Rule::Own),
    ("put", "/api/v1/onboarding-wizard", Op::PutWizard, Rule::Own),
    ("get", "/api/v1/api-tokens", Op::ListApiTokens, Rule::Own),
    ("post", "/api/v1/api-tokens", Op::CreateApiToken, Rule::Own),
    (
        "delete",
        "/api/v1/api-tokens/{id}",
        Op::RevokeApiToken,
        Rule::Subtree,
    ),
    ("get", "/api/v1/audit-log", Op::AuditLog, Rule::Subtree),
    ("get", "/api/v1/customers", Op::ListCustomers, Rule::Subtree),
    (
        "get",
        "/api/v1/customers/export",
        Op::ExportCustomers,
        Rule::Subtree,
    ),
    ("post", "/api/v1/customers", Op::CreateCustomer, Rule::Own),
    (
        "post",
        "/api/v1/customers/batch",
        Op::CreateCustomersBatch,
        Rule::Own,
    ),
    (
        "get",
        "/api/v1/customers/{id}",
        Op::GetCustomer,
        Rule::Subtree,
    ),
    (
        "patch",
        "/api/v1/customers/{id}",
        Op::UpdateCustomer,
        Rule::Subtree,
    ),
    (
        "delete",
        "/api/v1/customers/{id}",
        Op::DeleteCustomer,
        Rule::Subtree,
    ),
    (
        "get",
        "/api/v1/customers/{id}/delegation",
        Op::GetDelegation,
        Rule::Subtree,
    ),
    (
        "put",
        "/api/v1/customers/{id}/delegation",
        Op::PutDelegation,
        Rule::Subtree,
    ),
    (
        "post",
        "/api/v1/customers/{id}/open",
        Op::OpenCustomerTenant,
        Rule::Own,
    ),
    (
        "delete",
        "/api/v1/me/customer-tenant",
        Op::LeaveCustomerTenant,
        Rule::Own,
    ),
    (
        "get",
        "/api/v1/customer-tenants",
        Op::ListCustomerTenants,
        Rule::Own,
    ),
    (
        "get",
        "/api/v1/customer-tenants/{address}",
        Op::FindCustomerTenant,
        Rule::Own,
    ),
    ("get", "/api/v1/host-address", Op::HostAddress, Rule::Public),
    (
        "post",
        "/api/v1/licensing/activations",
        Op::Activate,
        Rule::Subtree,
    ),
    (
        "post",
        "/api/v1/licensing/deactivations",
        Op::Deactivate,
        Rule::Subtree,
    ),
    (
        "get",
        "/api/v1/settings/azure-login",
        Op::GetAzureLogin,
        Rule::Own,
    ),
    (
        "put",
        "/api/v1/settings/azure-login",
        Op::PutAzureLogin,
        Rule::Own,
    ),
    (
        "get",
        "/api/v1/settings/new-sub-tenants",
        Op::GetNewSubTenants,
        Rule::Own,
    ),
    (
        "put",
        "/api/v1/settings/new-sub-tenants",
        Op::PutNewSubTenants,
        Rule::Own,
    ),
    (
        "get",
        "/api/v1/endpoint-settings/windows-gp",
        Op::GetWindowsGp,
        Rule::Own,
    ),
    (
        "put",
        "/api/v1/endpoint-settings/windows-gp",
        Op::PutWindowsGp,
        Rule::Own,
    ),
    (
        "get",
        "/api/v1/group-policies",
        Op::ListGroupPolicies,
        Rule::Own,
    ),
    (
        "post",
        "/api/v1/group-policies",
        Op::CreateGroupPolicy,
        Rule::Own,
    ),
    (
        "patch",
        "/api/v1/group-policies/{id}",
        Op::UpdateGroupPolicy,
        Rule::Own,
    ),
    (
        "delete",
        "/api/v1/group-policies/{id}",
        Op::DeleteGroupPolicy,
        Rule::Own,
    ),
    (
        "get",
        "/api/v1/settings/scim",
        Op::GetScimSettings,
        Rule::Own,
    ),
    (
        "get",
        "/api/v1/auth/providers",
        Op::SignInProviders,
        Rule::Public,
    ),
    (
        "get",
        "/api/v1/auth/microsoft",
        Op::BeginMicrosoftSignIn,
        Rule::Public,
    ),
    (
        "get",
        "/api/v1/auth/microsoft/callback",
        Op::CompleteMicrosoftSignIn,
        Rule::Public,
    ),
    (
        "post",
        "/api/v1/settings/scim-token",
        Op::CreateScimToken,
        Rule::Own,
    ),
    (
        "delete",
        "/api/v1/settings/scim-token",
        Op::RevokeScimToken,
        Rule::Own,
    ),
    (
        "get",
        "/api/v1/settings/scim/calls",
        Op::ListProvisioningCalls,
        Rule::Own,
    ),
    (
        "post",
        "/api/v1/auth/login/duo",
        Op::BeginDuoSignIn,
        Rule::Public,
    ),
    (
        "get",
        "/api/v1/auth/duo/callback",
        Op::CompleteDuo,
        Rule::Public,
    ),
    ("post", "/api/v1/me/duo", Op::BeginDuoLink, Rule::Own),
    ("delete", "/api/v1/me/duo", Op::UnlinkDuo, Rule::Own),
    (
        "get",
        "/api/v1/settings/security-integrations",
        Op::ListSecurityIntegrations,
        Rule::Own,
    ),
    (
        "post",
        "/api/v1/settings/security-integrations",
        Op::CreateSecurityIntegration,
        Rule::Own,
    ),
    (
        "get",
        "/api/v1/settings/security-integrations/{id}",
        Op::GetSecurityIntegration,
        Rule::Own,
    ),
    (
        "patch",
        "/api/v1/settings/security-integrations/{id}",
        Op::UpdateSecurityIntegration,
        Rule::Own,
    ),
    (
        "delete",
        "/api/v1/settings/security-integrations/{id}",
        Op::DeleteSecurityIntegration,
        Rule::Own,
    ),
    (
        "post",
        "/api/v1/settings/security-integrations/{id}/check",
        Op::CheckSecurityIntegration,
        Rule::Own,
    ),
    (
        "get",
        "/api/v1/technician-groups",
        Op::ListTechnicianGroups,
        Rule::Own,
    ),
    (
        "post",
        "/api/v1/technician-groups",
        Op::CreateTechnicianGroup,
        Rule::Own,
    ),
    (
        "get",
        "/api/v1/technician-groups/{id}",
        Op::GetTechnicianGroup,
        Rule::Own,
    ),
    (
        "patch",
        "/api/v1/technician-groups/{id}",
        Op::UpdateTechnicianGroup,
        Rule::Own,
    ),
    (
        "delete",
        "/api/v1/technician-groups/{id}",
        Op::DeleteTechnicianGroup,
        Rule::Own,
    ),
    (
        "put",
        "/api/v1/technician-groups/{id}/members/{user_id}",
        Op::AddTechnicianGroupMember,
        Rule::Own,
    ),
    (
        "delete",
        "/api/v1/technician-groups/{id}/members/{user_id}",
        Op::RemoveTechnicianGroupMember,
        Rule::Own,
    ),
    ("get", "/api/v1/tenants", Op::ListTenants, Rule::Subtree),
    ("get", "/api/v1/tenants/{id}", Op::GetTenant, Rule::Subtree),
    (
        "post",
        "/api/v1/msp-onboarding/azure-customers",
        Op::AzureCustomers,
        Rule::Own,
    ),
    (
        "post",
        "/api/v1/msp-onboarding/azure-customers/{tenant_id}/link",
        Op::LinkAzureCustomer,
        Rule::Subtree,
    ),
    (
        "post",
        "/api/v1/msp-onboarding/azure-customers/{tenant_id}/rejected-matches",
        Op::RejectAzureMatch,
        Rule::Subtree,
    ),
    ("get", "/api/v1/jobs", Op::ListJobs, Rule::Own),
    (
        "get",
        "/api/v1/customers/{id}/entra-connection",
        Op::GetCustomerEntra,
        Rule::Own,
    ),
    (
        "put",
        "/api/v1/customers/{id}/entra-connection",
        Op::PutCustomerEntra,
        Rule::Own,
    ),
    (
        "post",
        "/api/v1/customers/{id}/entra-connection/authorize",
        Op::AuthorizeCustomerEntra,
        Rule::Own,
    ),
    (
        "get",
        "/api/v1/customer-entra/consent-callback",
        Op::CustomerEntraConsentCallback,
        Rule::Public,
    ),
    (
        "get",
        "/api/v1/customers/{id}/entra-connection/domains",
        Op::CustomerEntraDomains,
        Rule::Own,
    ),
    (
        "get",
        "/api/v1/customers/{id}/entra-connection/roles",
        Op::CustomerEntraRoles,
        Rule::Own,
    ),
    (
        "get",
        "/api/v1/customers/{id}/jit-accounts",
        Op::GetJitAccess,
        Rule::Own,
    ),
    (
        "post",
        "/api/v1/customers/{id}/jit-accounts",
        Op::RequestJitAccount,
        Rule::Own,
    ),
    (
        "delete",
        "/api/v1/customers/{id}/jit-accounts/{account_id}",
        Op::EndJitAccount,
        Rule::Own,
    ),
    (
        "get",
        "/api/v1/me/jit-accounts",
        Op::MyJitAccounts,
        Rule::Own,
    ),
    (
        "get",
        "/api/v1/customers/{id}/laps-devices",
        Op::ListLapsDevices,
        Rule::Own,
    ),
    (
        "post",
        "/api/v1/customers/{id}/laps-devices/{device_id}/reveal",
        Op::RevealLapsPassword,
        Rule::Own,
    ),
    (
        "get",
        "/api/v1/settings/user-source",
        Op::GetUserSource,
        Rule::Own,
    ),
    (
        "put",
        "/api/v1/settings/user-source",
        Op::PutUserSource,
        Rule::Own,
    ),
    (
        "post",
        "/api/v1/settings/user-source/authorize",
        Op::AuthorizeUserSource,
        Rule::Own,
    ),
    (
        "get",
        "/api/v1/settings/user-source/consent-callback",
        Op::UserSourceConsentCallback,
        Rule::Public,
    ),
    (
        "get",
        "/api/v1/settings/user-source/domains",
        Op::UserSourceDomains,
        Rule::Own,
    ),
    (
        "post",
        "/api/v1/settings/user-source/sync",
        Op::SyncUserSource,
        Rule::Own,
    ),
    (
        "post",
        "/api/v1/msp-onboarding/azure-customers/{tenant_id}/rename-customer",
        Op::RenameCustomerAfterAzure,
        Rule::Own,
    ),
];

/// The table's entries in document order; fails naming every operation without an entry and
/// every entry the document no longer has.
fn matrix_of_the_document() -> Vec<(String, String, Op, Rule)> {
    let documented = documented_operations();
    let missing: Vec<String> = documented
        .iter()
        .filter(|(method, path)| !ENTRIES.iter().any(|(m, p, ..)| m == method && p == path))
        .map(|(method, path)| format!("{} {path}", method.to_uppercase()))
        .collect();
    assert!(
        missing.is_empty(),
        "operations without an entry in the isolation matrix: {missing:?}"
    );
    let stale: Vec<String> = ENTRIES
        .iter()
        .filter(|(m, p, ..)| {
            !documented
                .iter()
                .any(|(method, path)| m == method && p == path)
        })
        .map(|(method, path, ..)| format!("{} {path}", method.to_uppercase()))
        .collect();
    assert!(
        stale.is_empty(),
        "entries for operations the document lacks: {stale:?}"
    );
    documented
        .into_iter()
        .map(|(method, path)| {
            let (.., op, rule) = ENTRIES
                .iter()
                .find(|(m, p, ..)| *m == method && *p == path)
                .copied()
                .unwrap();
            (method, path, op, rule)
        })
        .collect()
}

#[test]
fn every_operation_of_the_openapi_document_has_an_isolation_entry() {
    assert_eq!(matrix_of_the_document().len(), ENTRIES.len());
}

db_test!(
    every_operation_refuses_other_tenants_data_and_shows_a_distributor_its_resellers,
    |app| async move {
        let matrix = matrix_of_the_document();
        let parties = three_parties(&app).await;
        let mut checked = 0;
        for (method, path, op, rule) in &matrix {
            for owner in &parties {
                for caller in parties.iter().filter(|caller| caller.label != owner.label) {
                    let visible = match rule {
                        Rule::Public | Rule::Own => false,
                        Rule::Subtree => owner.is_below(caller),
                    };
                    eprintln!(
                        "{method} {path}: {} on {}'s data",
                        caller.label, owner.label
                    );
                    checks::check(&app, *op, owner, caller, visible).await;
                    checked += 1;
                }
            }
        }
        assert_eq!(
            checked,
            matrix.len() * 6,
            "each operation, each caller on each other party"
        );
    }
);
