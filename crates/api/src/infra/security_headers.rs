//! Response headers that every answer carries: a Content-Security-Policy that lets the wasm app
//! run and nothing external load, no framing, no MIME sniffing, no referrer, the request ID that
//! the logs carry too, `no-store` on API answers and HSTS behind HTTPS. Oversized request headers are refused here, before any handler.

use actix_web::{
    HttpMessage,
    body::MessageBody,
    dev::{ServiceRequest, ServiceResponse},
    http::header::{self, HeaderName, HeaderValue},
    middleware::Next,
};

use crate::{
    error::{ApiError, RequestError},
    infra::state::AppState,
};

/// Browsers that reached the server over HTTPS (cookies marked `Secure`) keep to HTTPS for a
/// year.
const STRICT_TRANSPORT: &str = "max-age=31536000";

/// The web app: its own scripts (WebAssembly needs `wasm-unsafe-eval`), styles and API.
const APP_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
/// The bundled Swagger UI sets inline styles and an inline start-up script; it still loads
/// nothing from elsewhere.
const DOCS_POLICY: &str = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// All request headers together, names and values: a sign-in cookie or bearer token needs a few
/// kilobytes; more is refused before any handler or database sees it.
pub const HEADER_LIMIT_BYTES: usize = 16 * 1024;

pub async fn headers(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let policy = if request.path().starts_with("/api-docs") {
        DOCS_POLICY
    } else {
        APP_POLICY
    };
    let over_https = request
        .app_data::<actix_web::web::Data<AppState>>()
        .is_some_and(|state| state.cookie_secure);
    // API answers hold tenants' data and tokens: no cache keeps them.
    let is_api = request.path().starts_with("/api/");
    let request_id = request
        .extensions()
        .get::<tracing_actix_web::RequestId>()
        .map(|id| id.to_string());
    let header_bytes: usize = request
        .headers()
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len() + 4)
        .sum();
    let mut response = if header_bytes > HEADER_LIMIT_BYTES {
        request
            .error_response(ApiError::from(RequestError::HeadersTooLarge {
                limit_bytes: HEADER_LIMIT_BYTES,
            }))
            .map_into_right_body()
    } else {
        next.call(request).await?.map_into_left_body()
    };
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(policy),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    if is_api {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if over_https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(STRICT_TRANSPORT),
        );
    }
    if let Some(value) = request_id.and_then(|id| HeaderValue::from_str(&id).ok()) {
        headers.insert(HeaderName::from_static(REQUEST_ID_HEADER), value);
    }
    Ok(response)
}
