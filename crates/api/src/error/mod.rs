//! The one map from every failure to an RFC 9457 problem document.
//!
//! Services fail in business words (`CustomerError::NameTaken`, `AccessDenied::MissingClaim`,
//! …); the HTTP layer fails in its own (`malformed_json`, `payload_too_large`, …). Each of those
//! enums gets its status and its stable `code` in this module (`services.rs` for the services'
//! errors, `graph.rs` for Microsoft Graph's, `extractors.rs` for what actix refuses itself), in an
//! exhaustive `match`: a new variant does not compile until it has both. Codes are part of the
//! API (README, OpenAPI document).

use actix_web::{HttpResponse, ResponseError, http::StatusCode, http::header};
use proto::{FieldError, PROBLEM_CONTENT_TYPE, Problem};

mod extractors;
mod graph;
mod services;

pub(crate) use extractors::body_error;
pub use extractors::{json_error_handler, path_error_handler, query_error_handler};
use graph::{graph_code, graph_field, graph_status};

/// Why a request failed, as the HTTP layer answers it.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The request's own failures, found before any service ran.
    #[error("{0}")]
    Request(#[from] RequestError),
    /// A service refused, in its own words, with the status and code chosen below.
    #[error("{detail}")]
    Refused {
        status: StatusCode,
        code: &'static str,
        detail: String,
        errors: Vec<FieldError>,
    },
    /// Microsoft Graph failed or refused; its errors carry their own status, code and headers.
    #[error("{0}")]
    Graph(#[from] msp_graph::GraphError),
    #[error("an internal error occurred")]
    Internal(#[source] anyhow::Error),
}

/// Failures of the request itself: credentials, body, headers, method, parameters.
#[derive(Debug, thiserror::Error)]
pub enum RequestError {
    #[error("the request has invalid fields")]
    Validation(Vec<FieldError>),
    #[error("sign in first: the request has no valid access token")]
    Unauthenticated,
    #[error("wrong e-mail or password")]
    InvalidCredentials,
    #[error("too many failed sign-ins; try again in {retry_after_secs} seconds")]
    TooManyAttempts { retry_after_secs: u64 },
    #[error("no such resource")]
    NotFound,
    #[error("the body is not valid JSON: {0}")]
    MalformedJson(String),
    #[error("the body has a field this endpoint does not accept: {0}")]
    UnknownField(String),
    #[error("the body does not match the documented schema: {0}")]
    InvalidBody(String),
    #[error("the request body could not be read: {0}")]
    UnreadableBody(String),
    #[error("the query string is not valid: {0}")]
    InvalidQuery(String),
    #[error("the request could not be understood")]
    BadRequest,
    #[error("the request body is larger than {limit_bytes} bytes")]
    PayloadTooLarge { limit_bytes: usize },
    #[error("the request's headers are larger than {limit_bytes} bytes in all")]
    HeadersTooLarge { limit_bytes: usize },
    #[error("send the body as application/json")]
    UnsupportedMediaType,
    #[error("this method is not allowed on this resource")]
    MethodNotAllowed,
    #[error("Idempotency-Key must be 1–200 visible ASCII characters")]
    InvalidIdempotencyKey,
    #[error("this Idempotency-Key was already used with a different request body")]
    IdempotencyKeyReused,
    #[error("a request with this Idempotency-Key is in progress")]
    IdempotencyKeyInUse,
}

impl ApiError {
    pub fn field(field: &str, code: &str, message: impl Into<String>) -> Self {
        RequestError::Validation(vec![FieldError::new(field, code, message)]).into()
    }

    pub fn internal(error: impl Into<anyhow::Error>) -> Self {
        Self::Internal(error.into())
    }

    fn code(&self) -> &'static str {
        match self {
            Self::Request(request) => request_status_code(request).1,
            Self::Refused { code, .. } => code,
            Self::Graph(graph) => graph_code(graph),
            Self::Internal(_) => "internal_error",
        }
    }

    pub fn problem(&self) -> Problem {
        let status = self.status_code();
        let errors = match self {
            Self::Request(RequestError::Validation(errors)) | Self::Refused { errors, .. } => {
                errors.clone()
            }
            Self::Graph(graph) => graph_field(graph)
                .map(|field| FieldError::new(field, self.code(), graph.to_string()))
                .into_iter()
                .collect(),
            Self::Request(_) | Self::Internal(_) => Vec::new(),
        };
        let detail = match self {
            Self::Request(RequestError::Validation(errors)) if !errors.is_empty() => {
                field_sentence(errors)
            }
            _ => self.to_string(),
        };
        Problem {
            problem_type: format!("urn:msp-onboarding:problem:{}", self.code()),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail: Some(detail),
            code: self.code().to_owned(),
            errors,
        }
    }
}

fn field_sentence(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(|error| format!("{}: {}", error.field, error.message))
        .collect::<Vec<_>>()
        .join("; ")
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::Request(request) => request_status_code(request).0,
            Self::Refused { status, .. } => *status,
            Self::Graph(graph) => graph_status(graph),
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let Self::Internal(error) = self {
            tracing::error!(error = %format!("{error:#}"), "request failed");
        }
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header((header::CONTENT_TYPE, PROBLEM_CONTENT_TYPE));
        match self {
            Self::Request(RequestError::TooManyAttempts { retry_after_secs }) => {
                response.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
            }
            Self::Graph(msp_graph::GraphError::Throttled { retry_after }) => {
                let seconds = retry_after.as_secs().max(1);
                response.insert_header((header::RETRY_AFTER, seconds.to_string()));
            }
            Self::Request(RequestError::Unauthenticated | RequestError::InvalidCredentials) => {
                response.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
            }
            _ => {}
        }
        response.json(self.problem())
    }
}

fn request_status_code(error: &RequestError) -> (StatusCode, &'static str) {
    use RequestError as E;
    match error {
        E::Validation(_) => (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
        E::Unauthenticated => (StatusCode::UNAUTHORIZED, "unauthenticated"),
        E::InvalidCredentials => (StatusCode::UNAUTHORIZED, "invalid_credentials"),
        E::TooManyAttempts { .. } => (StatusCode::TOO_MANY_REQUESTS, "too_many_attempts"),
        E::NotFound => (StatusCode::NOT_FOUND, "not_found"),
        E::MalformedJson(_) => (StatusCode::BAD_REQUEST, "malformed_json"),
        E::UnknownField(_) => (StatusCode::BAD_REQUEST, "unknown_field"),
        E::InvalidBody(_) => (StatusCode::BAD_REQUEST, "invalid_body"),
        E::UnreadableBody(_) => (StatusCode::BAD_REQUEST, "unreadable_body"),
        E::InvalidQuery(_) => (StatusCode::BAD_REQUEST, "invalid_query"),
        E::BadRequest => (StatusCode::BAD_REQUEST, "bad_request"),
        E::PayloadTooLarge { .. } => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
        E::HeadersTooLarge { .. } => (
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            "headers_too_large",
        ),
        E::UnsupportedMediaType => (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type"),
        E::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
        E::InvalidIdempotencyKey => (StatusCode::BAD_REQUEST, "invalid_idempotency_key"),
        E::IdempotencyKeyReused => (StatusCode::CONFLICT, "idempotency_key_reused"),
        E::IdempotencyKeyInUse => (StatusCode::CONFLICT, "idempotency_key_in_use"),
    }
}
