//! The problem documents for what actix's extractors refuse before any handler runs.

use super::{ApiError, RequestError};

/// The error body actix produces for a problem it finds itself (bad JSON, bad path, …).
pub fn json_error_handler(
    error: actix_web::error::JsonPayloadError,
    _request: &actix_web::HttpRequest,
) -> actix_web::Error {
    use actix_web::error::JsonPayloadError;
    let request_error = match &error {
        JsonPayloadError::OverflowKnownLength { limit, .. }
        | JsonPayloadError::Overflow { limit } => RequestError::PayloadTooLarge {
            limit_bytes: *limit,
        },
        JsonPayloadError::ContentType => RequestError::UnsupportedMediaType,
        JsonPayloadError::Deserialize(serde_error) => body_error(serde_error),
        JsonPayloadError::Payload(actix_web::error::PayloadError::Overflow) => {
            RequestError::PayloadTooLarge {
                limit_bytes: crate::infra::BODY_LIMIT_BYTES,
            }
        }
        _ => RequestError::UnreadableBody(error.to_string()),
    };
    ApiError::from(request_error).into()
}

pub(crate) fn body_error(error: &serde_json::Error) -> RequestError {
    use serde_json::error::Category;
    match error.classify() {
        Category::Syntax | Category::Eof | Category::Io => {
            RequestError::MalformedJson(error.to_string())
        }
        Category::Data if error.to_string().starts_with("unknown field") => {
            RequestError::UnknownField(error.to_string())
        }
        Category::Data => RequestError::InvalidBody(error.to_string()),
    }
}

pub fn path_error_handler(
    _error: actix_web::error::PathError,
    _request: &actix_web::HttpRequest,
) -> actix_web::Error {
    // A malformed ID names no resource at all.
    ApiError::from(RequestError::NotFound).into()
}

pub fn query_error_handler(
    error: actix_web::error::QueryPayloadError,
    _request: &actix_web::HttpRequest,
) -> actix_web::Error {
    ApiError::from(RequestError::InvalidQuery(error.to_string())).into()
}
