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
#[openapi(
    info(
        title = "MSP Onboarding API",
        description = "Connect a reseller's Microsoft Entra (CSP) tenant, see its customers' sub-tenants and create Corporate customers with licensing and group policies. Errors are RFC 9457 problem documents (`application/problem+json`) with a stable `code`, one per meaning: `validation_failed` (422, with per-field `errors`); `unauthenticated`, `invalid_credentials` (401); `forbidden` (403); `not_found` (404); `method_not_allowed` (405, with `Allow`); `name_exists` (a customer's or a group policy's name is taken; group policies answered `name_taken` before 2026-11-30), `tenant_id_exists`, `email_taken`, `licence_expired`, `no_free_licences`, `activation_in_progress`, `azure_tenant_id_missing`, `idempotency_key_reused`, `idempotency_key_in_use`, `wrong_parent`, `last_active_admin`, `locks_out_self`, `uniqueness`, `user_has_ui_access`, `mfa_already_enrolled`, `mfa_enrolment_not_started`, `mfa_not_enrolled`, `not_in_customer_tenant` (409); `raises_own_rights`, `session_required`, `mfa_enrolment_required`, `ui_access_disabled`, `account_deactivated`, `wrong_current_password` (403); `wrong_code`, `mfa_token_invalid` (401); `invitation_invalid` (410); `too_many_attempts` (429); `malformed_json`, `unknown_field`, `invalid_body`, `unreadable_body`, `invalid_query`, `invalid_idempotency_key`, `bad_request` (400); `payload_too_large` (413); `unsupported_media_type` (415); `headers_too_large` (431); `graph_unknown_tenant`, `graph_unknown_client`, `graph_wrong_secret`, `graph_expired_secret`, `graph_permission_missing`, `invalid_value` (422), `graph_unreachable`, `graph_unexpected_answer` (502), `graph_throttled` (503), `graph_timeout` (504); `internal_error` (500).",
        license(name = "Apache-2.0")
    ),
    nest((path = "/api/v1", api = routes::ApiV1)),
    paths(routes::health::healthz, routes::health::readyz),
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
        (name = "sso", description = "Settings → User Management → SSO: the Tenant URL and secret token for Microsoft Entra's SCIM provisioning (`/scim/v2`, outside this document), and its provisioning log"),
        (name = "security-integrations", description = "Settings → Integrations → Security integrations: Duo Web SDK as a second factor at sign-in (the Client Secret goes in and never comes out)"),
        (name = "customer-tenants", description = "Going into a customer tenant: its address (`/t/<tenant name>-<MSP name>`, or a host name under the public domain), opening it from your MSP in a session scoped to it, and going back"),
        (name = "technician-groups", description = "Technician groups (e.g. \"Level 1 techs\"): a tenant's named sets of its users, for access delegation"),
        (name = "tenants", description = "The tenant tree"),
        (name = "audit", description = "Who changed what"),
        (name = "user-source", description = "Users → User source: Microsoft Entra as the source of your technicians, authorised by admin consent (no secret stored), with an offboarding sync"),
        (name = "customer-entra", description = "A customer tenant's Microsoft Entra connection for just-in-time admin accounts: authorised by admin consent in the customer's directory (no secret stored), the accounts' lifetime and domain, and the roles each technician gets"),
        (name = "jit-accounts", description = "Just-in-time admin accounts in a customer's Microsoft Entra directory for technicians with access to the customer (created with the roles their groups are mapped to, removed when their time is up), and its devices' local administrator passwords (LAPS)"),
        (name = "jobs", description = "Durable scheduled jobs: each runs once at each due time however many server processes share the database"),
        (name = "operations", description = "Health")
    )
)]
pub struct ApiDoc;

/// The document as committed in `api-spec/openapi.json`.
pub fn document_json() -> Result<String, serde_json::Error> {
    ApiDoc::openapi().to_pretty_json().map(|json| json + "\n")
}
