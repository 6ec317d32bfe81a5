//! The OpenAPI 3.1 document, generated from the handlers' annotations.

use utoipa::{
    Modify, OpenApi,
    openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
};

use crate::routes;

mod common_problems;

use common_problems::CommonProblems;

struct BearerSecurity;

impl Modify for BearerSecurity {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "An access token from `POST /api/v1/auth/login`, or an API token (`msp_…`) from `POST /api/v1/api-tokens`.",
                    ))
                    .build(),
            ),
        );
    }
}

#[derive(OpenApi)]
#[openapi(paths(
    routes::auth::login,
    routes::auth::logout,
    routes::me::me,
    routes::onboarding_wizard::get_wizard,
    routes::onboarding_wizard::put_wizard,
    routes::api_tokens::create_api_token,
    routes::api_tokens::list_api_tokens,
    routes::api_tokens::revoke_api_token,
    routes::customers::list_customers,
    routes::customers::create_customer,
    routes::customers::get_customer,
    routes::customers::update_customer,
    routes::azure_customers::list_azure_customers,
    routes::licensing::activate,
    routes::licensing::deactivate,
    routes::settings::get_azure_login,
    routes::settings::put_azure_login,
    routes::settings::get_windows_gp,
    routes::settings::put_windows_gp,
    routes::group_policies::list_group_policies,
    routes::group_policies::create_group_policy,
    routes::group_policies::update_group_policy,
    routes::group_policies::delete_group_policy,
    routes::tenants::list_tenants,
    routes::tenants::get_tenant,
    routes::audit_log::list_audit_log,
))]
struct V1Api;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "MSP Onboarding API",
        description = "Connect a reseller's Microsoft Entra (CSP) tenant, see its customers' sub-tenants and create Corporate customers with licensing and group policies. Errors are RFC 9457 problem documents (`application/problem+json`) with a stable `code`.",
        license(name = "Apache-2.0")
    ),
    nest((path = "/api/v1", api = V1Api)),
    paths(routes::health::healthz),
    components(schemas(proto::Problem, proto::FieldError)),
    modifiers(&BearerSecurity, &CommonProblems),
    security(("bearer" = [])),
    tags(
        (name = "auth", description = "Signing in and who you are"),
        (name = "api-tokens", description = "Tokens for scripts and integrations"),
        (name = "onboarding-wizard", description = "Progress through the 12-step onboarding wizard"),
        (name = "customers", description = "Corporate customers, their licences and search"),
        (name = "msp-onboarding", description = "The reseller's CSP sub-tenants from Microsoft Graph"),
        (name = "settings", description = "Customer Settings → Login Setup → Azure Login"),
        (name = "endpoint-settings", description = "Endpoint Settings → Windows group policies"),
        (name = "tenants", description = "The tenant tree"),
        (name = "audit", description = "Who changed what"),
        (name = "operations", description = "Health")
    )
)]
pub struct ApiDoc;

/// The document as committed in `api-spec/openapi.json`.
pub fn document_json() -> Result<String, serde_json::Error> {
    ApiDoc::openapi().to_pretty_json().map(|json| json + "\n")
}
