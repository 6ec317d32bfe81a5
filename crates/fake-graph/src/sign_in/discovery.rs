//! The v2.0 discovery document per tenant and the signing keys.

use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::json;

use crate::{server::FakeState, token::tenant_not_found};

use super::*;

/// `GET /{tenant}/v2.0/.well-known/openid-configuration`.
pub(crate) async fn discovery(
    state: web::Data<FakeState>,
    tenant: web::Path<String>,
) -> HttpResponse {
    tokio::time::sleep(state.faults.latency()).await;
    let Some(audience) = Audience::resolve(&state.fixture, &tenant) else {
        return tenant_not_found(&tenant);
    };
    let base = state.base_url.as_str();
    let segment = audience.segment();
    let host = base.trim_start_matches("https://");
    HttpResponse::Ok().json(json!({
        "token_endpoint": format!("{base}/{segment}/oauth2/v2.0/token"),
        "token_endpoint_auth_methods_supported":
            ["client_secret_post", "private_key_jwt", "client_secret_basic"],
        "jwks_uri": format!("{base}/{segment}/discovery/v2.0/keys"),
        "response_modes_supported": ["query", "fragment", "form_post"],
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
        "scopes_supported": ["openid", "profile", "email", "offline_access"],
        "issuer": audience.issuer(base),
        "request_uri_parameter_supported": false,
        // Entra points at Graph's UserInfo; the fake serves Graph on its own origin.
        "userinfo_endpoint": format!("{base}/oidc/userinfo"),
        "authorization_endpoint": format!("{base}/{segment}/oauth2/v2.0/authorize"),
        "device_authorization_endpoint": format!("{base}/{segment}/oauth2/v2.0/devicecode"),
        "http_logout_supported": true,
        "frontchannel_logout_supported": true,
        "end_session_endpoint": format!("{base}/{segment}/oauth2/v2.0/logout"),
        "claims_supported": [
            "sub", "iss", "cloud_instance_name", "cloud_instance_host_name",
            "cloud_graph_host_name", "msgraph_host", "aud", "exp", "iat", "auth_time", "acr",
            "nonce", "preferred_username", "name", "tid", "ver", "at_hash", "c_hash", "email",
        ],
        "kerberos_endpoint": format!("{base}/{segment}/kerberos"),
        "tenant_region_scope": match audience {
            Audience::AnyTenant(_) => serde_json::Value::Null,
            Audience::Tenant(_) => json!("EU"),
        },
        "cloud_instance_name": "microsoftonline.com",
        "cloud_graph_host_name": "graph.windows.net",
        "msgraph_host": host,
        "rbac_url": "https://pas.windows.net",
    }))
}

/// `GET /discovery/v2.0/keys` and `GET /{tenant}/discovery/v2.0/keys`: one key for every tenant,
/// as in Entra.
pub(crate) async fn keys(state: web::Data<FakeState>, request: HttpRequest) -> HttpResponse {
    tokio::time::sleep(state.faults.latency()).await;
    let audience = match request.match_info().get("tenant") {
        None => Audience::AnyTenant("common"),
        Some(tenant) => match Audience::resolve(&state.fixture, tenant) {
            Some(audience) => audience,
            None => return tenant_not_found(tenant),
        },
    };
    HttpResponse::Ok().json(json!({
        "keys": [state.keys.jwk(&audience.issuer(&state.base_url))],
    }))
}
