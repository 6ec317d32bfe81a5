//! The Entra ID token endpoint: client credentials for the Graph app, and the authorization code
//! grant of "Sign in with Microsoft" (in `sign_in`), with Entra's own error answers.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use serde_json::json;

use crate::{server::FakeState, sign_in};

pub(crate) const GRAPH_SCOPE: &str = "https://graph.microsoft.com/.default";

#[derive(Deserialize)]
pub(crate) struct TokenForm {
    pub grant_type: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    pub scope: Option<String>,
    pub code: Option<String>,
    pub redirect_uri: Option<String>,
    pub code_verifier: Option<String>,
    /// MSAL sends `client_info=1` and Entra then adds the user's `uid`/`utid` to the answer.
    pub client_info: Option<String>,
}

pub(crate) async fn issue_token(
    state: web::Data<FakeState>,
    tenant: web::Path<String>,
    request: HttpRequest,
    form: web::Form<TokenForm>,
) -> HttpResponse {
    tokio::time::sleep(state.faults.latency()).await;
    state.stats.count_token_request();
    let fixture = &state.fixture;
    let form = form.into_inner();
    let tenant = tenant.into_inner();
    if form.grant_type.as_deref() == Some("authorization_code") {
        // Its tenant may be `organizations`, `common` or the user's, so it checks on its own.
        return sign_in::redeem_code(&state, &tenant, &request, form);
    }
    let operator = &fixture.sign_in;
    let client_id = form.client_id.clone().unwrap_or_default();
    if form.grant_type.as_deref() == Some("client_credentials")
        && !operator.client_id.is_empty()
        && client_id.eq_ignore_ascii_case(&operator.client_id)
    {
        return operator_app_token(&state, &tenant, &form);
    }
    if !tenant.eq_ignore_ascii_case(&fixture.tenant_id) {
        return tenant_not_found(&tenant);
    }
    if form.grant_type.as_deref() != Some("client_credentials") {
        return entra_error(
            400,
            "unsupported_grant_type",
            70003,
            "AADSTS70003: The app requested an unsupported grant type.",
        );
    }
    let client_id = form.client_id.unwrap_or_default();
    if !client_id.eq_ignore_ascii_case(&fixture.client_id) {
        return entra_error(
            400,
            "unauthorized_client",
            700016,
            &format!(
                "AADSTS700016: Application with identifier '{client_id}' was not found in the \
                 directory '{tenant}'. This can happen if the application has not been installed \
                 by the administrator of the tenant or consented to by any user in the tenant."
            ),
        );
    }
    if form.client_secret.as_deref() != Some(fixture.client_secret.as_str()) {
        return entra_error(
            401,
            "invalid_client",
            7000215,
            &format!(
                "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in \
                 the request is the client secret value, not the client secret ID, for a secret \
                 added to app '{client_id}'."
            ),
        );
    }
    if state.faults.secret_expired() {
        return entra_error(
            401,
            "invalid_client",
            7000222,
            &format!(
                "AADSTS7000222: The provided client secret keys for app '{client_id}' are \
                 expired. Visit the Azure portal to create new keys for your app."
            ),
        );
    }
    if form.scope.as_deref() != Some(GRAPH_SCOPE) {
        return entra_error(
            400,
            "invalid_scope",
            1002012,
            "AADSTS1002012: The provided value for scope is not valid. Client credential flows \
             must have a scope value with /.default suffixed to the resource identifier.",
        );
    }
    let access_token = state.tokens.issue();
    HttpResponse::Ok().json(json!({
        "token_type": "Bearer",
        "expires_in": 3599,
        "ext_expires_in": 3599,
        "access_token": access_token,
    }))
}

/// An app-only token of the operator's multi-tenant app, for a tenant that consented to it.
fn operator_app_token(state: &FakeState, tenant: &str, form: &TokenForm) -> HttpResponse {
    let operator = &state.fixture.sign_in;
    if !state.entra.knows_tenant(tenant) {
        return tenant_not_found(tenant);
    }
    if form.client_secret.as_deref() != Some(operator.client_secret.as_str()) {
        return entra_error(
            401,
            "invalid_client",
            7000215,
            "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the \
             request is the client secret value, not the client secret ID.",
        );
    }
    if form.scope.as_deref() != Some(GRAPH_SCOPE) {
        return entra_error(
            400,
            "invalid_scope",
            1002012,
            "AADSTS1002012: The provided value for scope is not valid. Client credential flows \
             must have a scope value with /.default suffixed to the resource identifier.",
        );
    }
    if !state.entra.consented(tenant) {
        return entra_error(
            400,
            "unauthorized_client",
            700016,
            &format!(
                "AADSTS700016: Application with identifier '{}' was not found in the directory \
                 '{tenant}'. This can happen if the application has not been installed by the \
                 administrator of the tenant or consented to by any user in the tenant.",
                operator.client_id
            ),
        );
    }
    HttpResponse::Ok().json(json!({
        "token_type": "Bearer",
        "expires_in": 3599,
        "ext_expires_in": 3599,
        "access_token": state.tokens.issue_for_tenant(tenant),
    }))
}

/// AADSTS90002, Entra's answer for a tenant that is not in the directory.
pub(crate) fn tenant_not_found(tenant: &str) -> HttpResponse {
    entra_error(
        400,
        "invalid_tenant",
        90002,
        &format!(
            "AADSTS90002: Tenant '{tenant}' not found. Check to make sure you have the correct \
             tenant ID and are signing into the correct cloud."
        ),
    )
}

pub(crate) fn entra_error(status: u16, error: &str, code: u32, description: &str) -> HttpResponse {
    let status = actix_web::http::StatusCode::from_u16(status)
        .unwrap_or(actix_web::http::StatusCode::BAD_REQUEST);
    HttpResponse::build(status).json(json!({
        "error": error,
        "error_description": description,
        "error_codes": [code],
        "timestamp": "2026-01-01 00:00:00Z",
        "trace_id": "00000000-0000-0000-0000-000000000000",
        "correlation_id": "00000000-0000-0000-0000-000000000000",
        "error_uri": format!("https://login.microsoftonline.com/error?code={code}"),
    }))
}
