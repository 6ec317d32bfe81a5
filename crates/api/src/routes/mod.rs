//! HTTP: one module per resource with its handlers, DTO → domain conversion and query types,
//! and the one route table that both the server and the OpenAPI document are built from.

pub mod api_tokens;
pub mod audit_log;
pub mod auth;
pub mod azure_customers;
pub mod customer_batch;
pub mod customer_entra;
pub mod customer_export;
pub mod customer_tenants;
pub mod customers;
pub mod duo;
pub mod group_policies;
pub mod health;
pub mod idempotency;
pub mod jit_accounts;
pub mod jobs;
pub mod json_object;
pub mod licensing;
pub mod me;
pub mod method_not_allowed;
pub mod microsoft_sign_in;
pub mod onboarding_wizard;
pub mod openapi;
pub mod paging;
pub mod redirects;
pub mod scim;
pub mod security_integrations;
pub mod settings;
pub mod sso;
pub mod technician_groups;
pub mod tenants;
pub mod user_source;
pub mod users;

/// The route table: each handler named once, registered under `/api/v1` and documented from
/// the same list, so that a route cannot be served undocumented or documented unserved.
macro_rules! api_v1 {
    ($($handler:path),+ $(,)?) => {
        /// Registers every `/api/v1` handler on the scope `config` belongs to.
        pub fn configure_api_v1(config: &mut actix_web::web::ServiceConfig) {
            $(config.service($handler);)+
        }

        /// The `/api/v1` operations, for the OpenAPI document.
        #[derive(utoipa::OpenApi)]
        #[openapi(paths($($handler),+))]
        pub struct ApiV1;
    };
}

api_v1!(
    auth::login,
    auth::login_totp,
    auth::logout,
    auth::accept_invitation,
    microsoft_sign_in::sign_in_providers,
    microsoft_sign_in::begin_microsoft_sign_in,
    microsoft_sign_in::complete_microsoft_sign_in,
    duo::begin_duo_sign_in,
    duo::complete_duo,
    me::me,
    me::change_password,
    me::begin_totp_enrolment,
    me::confirm_totp_enrolment,
    me::regenerate_recovery_codes,
    duo::begin_duo_link,
    duo::unlink_duo,
    users::list_users,
    users::invite_user,
    users::get_user,
    users::update_user,
    users::delete_user,
    users::reset_user_mfa,
    users::create_user_api_token,
    onboarding_wizard::get_wizard,
    onboarding_wizard::put_wizard,
    api_tokens::create_api_token,
    api_tokens::list_api_tokens,
    api_tokens::revoke_api_token,
    customers::list_customers,
    customers::create_customer,
    customer_batch::create_customers_batch,
    customer_export::export_customers,
    customers::get_customer,
    customers::update_customer,
    customers::delete_customer,
    customers::get_delegation,
    customers::put_delegation,
    customer_tenants::open_customer_tenant,
    customer_tenants::leave_customer_tenant,
    customer_tenants::list_customer_tenants,
    customer_tenants::find_customer_tenant,
    customer_tenants::host_address,
    customer_entra::get_customer_entra,
    customer_entra::put_customer_entra,
    customer_entra::authorize_customer_entra,
    customer_entra::customer_entra_consent_callback,
    customer_entra::customer_entra_domains,
    customer_entra::customer_entra_roles,
    jit_accounts::get_jit_access,
    jit_accounts::request_jit_account,
    jit_accounts::end_jit_account,
    jit_accounts::my_jit_accounts,
    jit_accounts::list_laps_devices,
    jit_accounts::reveal_laps_password,
    azure_customers::list_azure_customers,
    azure_customers::link_azure_customer,
    azure_customers::reject_azure_match,
    azure_customers::rename_customer_after_azure,
    licensing::activate,
    licensing::deactivate,
    settings::get_azure_login,
    settings::put_azure_login,
    settings::get_windows_gp,
    settings::put_windows_gp,
    settings::get_new_sub_tenants,
    settings::put_new_sub_tenants,
    jobs::list_jobs,
    user_source::get_user_source,
    user_source::put_user_source,
    user_source::authorize_user_source,
    user_source::user_source_consent_callback,
    user_source::user_source_domains,
    user_source::sync_user_source,
    sso::get_scim_settings,
    sso::create_scim_token,
    sso::revoke_scim_token,
    sso::list_provisioning_calls,
    security_integrations::list_security_integrations,
    security_integrations::create_security_integration,
    security_integrations::get_security_integration,
    security_integrations::update_security_integration,
    security_integrations::delete_security_integration,
    security_integrations::check_security_integration,
    group_policies::list_group_policies,
    group_policies::create_group_policy,
    group_policies::update_group_policy,
    group_policies::delete_group_policy,
    technician_groups::list_technician_groups,
    technician_groups::create_technician_group,
    technician_groups::get_technician_group,
    technician_groups::update_technician_group,
    technician_groups::delete_technician_group,
    technician_groups::add_technician_group_member,
    technician_groups::remove_technician_group_member,
    tenants::list_tenants,
    tenants::get_tenant,
    audit_log::list_audit_log,
);
