//! The API's error type and its mapping to RFC 9457 problem documents.

use actix_web::{HttpResponse, ResponseError, http::StatusCode, http::header};
use proto::{FieldError, PROBLEM_CONTENT_TYPE, Problem};

/// Every way a request can fail. The HTTP mapping below is an exhaustive `match`, so a new
/// variant forces a decision about its status code.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("the request has invalid fields")]
    Validation(Vec<FieldError>),
    #[error("sign in first: the request has no valid access token")]
    Unauthenticated,
    #[error("wrong e-mail or password")]
    InvalidCredentials,
    #[error("too many failed sign-ins; try again in {retry_after_secs} seconds")]
    TooManyAttempts { retry_after_secs: u64 },
    #[error("{0}")]
    Forbidden(String),
    #[error("no such resource")]
    NotFound,
    #[error("{detail}")]
    Conflict { code: &'static str, detail: String },
    #[error("{detail}")]
    BadRequest { code: &'static str, detail: String },
    #[error("the request body is larger than {limit_bytes} bytes")]
    PayloadTooLarge { limit_bytes: usize },
    #[error("the request's headers are larger than {limit_bytes} bytes in all")]
    HeadersTooLarge { limit_bytes: usize },
    #[error("send the body as application/json")]
    UnsupportedMediaType,
    #[error("this method is not allowed on this resource")]
    MethodNotAllowed,
    #[error("{0}")]
    Graph(#[from] msp_graph::GraphError),
    #[error("an internal error occurred")]
    Internal(#[source] anyhow::Error),
}

impl ApiError {
    pub fn field(field: &str, code: &str, message: impl Into<String>) -> Self {
        Self::Validation(vec![FieldError {
            field: field.to_owned(),
            code: code.to_owned(),
            message: message.into(),
        }])
    }

    pub fn internal(error: impl Into<anyhow::Error>) -> Self {
        Self::Internal(error.into())
    }

    fn code(&self) -> &'static str {
        match self {
            Self::Validation(_) => "validation_failed",
            Self::Unauthenticated => "unauthenticated",
            Self::InvalidCredentials => "invalid_credentials",
            Self::TooManyAttempts { .. } => "too_many_attempts",
            Self::Forbidden(_) => "forbidden",
            Self::NotFound => "not_found",
            Self::Conflict { code, .. } | Self::BadRequest { code, .. } => code,
            Self::PayloadTooLarge { .. } => "payload_too_large",
            Self::HeadersTooLarge { .. } => "headers_too_large",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::Graph(graph) => graph_code(graph),
            Self::Internal(_) => "internal_error",
        }
    }

    pub fn problem(&self) -> Problem {
        let status = self.status_code();
        let errors = match self {
            Self::Validation(errors) => errors.clone(),
            Self::Graph(graph) => graph_field(graph)
                .map(|field| FieldError {
                    field: field.to_owned(),
                    code: self.code().to_owned(),
                    message: graph.to_string(),
                })
                .into_iter()
                .collect(),
            _ => Vec::new(),
        };
        let detail = match self {
            Self::Validation(errors) if !errors.is_empty() => errors
                .iter()
                .map(|error| format!("{}: {}", error.field, error.message))
                .collect::<Vec<_>>()
                .join("; "),
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

impl From<sea_orm::DbErr> for ApiError {
    fn from(error: sea_orm::DbErr) -> Self {
        Self::Internal(error.into())
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Unauthenticated | Self::InvalidCredentials => StatusCode::UNAUTHORIZED,
            Self::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Conflict { .. } => StatusCode::CONFLICT,
            Self::BadRequest { .. } => StatusCode::BAD_REQUEST,
            Self::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::HeadersTooLarge { .. } => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
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
            Self::TooManyAttempts { retry_after_secs } => {
                response.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
            }
            Self::Graph(msp_graph::GraphError::Throttled { retry_after }) => {
                let seconds = retry_after.as_secs().max(1);
                response.insert_header((header::RETRY_AFTER, seconds.to_string()));
            }
            Self::Unauthenticated | Self::InvalidCredentials => {
                response.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
            }
            _ => {}
        }
        response.json(self.problem())
    }
}

fn graph_code(error: &msp_graph::GraphError) -> &'static str {
    use msp_graph::GraphError;
    match error {
        GraphError::UnknownTenant => "graph_unknown_tenant",
        GraphError::UnknownClient => "graph_unknown_client",
        GraphError::WrongSecret => "graph_wrong_secret",
        GraphError::ExpiredSecret => "graph_expired_secret",
        GraphError::MissingPermission => "graph_permission_missing",
        GraphError::Unreachable => "graph_unreachable",
        GraphError::TimedOut => "graph_timeout",
        GraphError::Throttled { .. } => "graph_throttled",
        GraphError::UnexpectedAnswer(_) => "graph_unexpected_answer",
    }
}

/// The input the reseller has to correct, so that a form can put the message beside it.
fn graph_field(error: &msp_graph::GraphError) -> Option<&'static str> {
    use msp_graph::GraphError;
    match error {
        GraphError::UnknownTenant => Some("tenant_id"),
        GraphError::UnknownClient => Some("client_id"),
        GraphError::WrongSecret | GraphError::ExpiredSecret => Some("client_secret"),
        GraphError::MissingPermission
        | GraphError::Unreachable
        | GraphError::TimedOut
        | GraphError::Throttled { .. }
        | GraphError::UnexpectedAnswer(_) => None,
    }
}

/// Credentials and consent are the reseller's to fix (422); the rest is Microsoft's side.
fn graph_status(error: &msp_graph::GraphError) -> StatusCode {
    use msp_graph::GraphError;
    match error {
        GraphError::UnknownTenant
        | GraphError::UnknownClient
        | GraphError::WrongSecret
        | GraphError::ExpiredSecret
        | GraphError::MissingPermission => StatusCode::UNPROCESSABLE_ENTITY,
        GraphError::Unreachable | GraphError::UnexpectedAnswer(_) => StatusCode::BAD_GATEWAY,
        GraphError::Throttled { .. } => StatusCode::SERVICE_UNAVAILABLE,
        GraphError::TimedOut => StatusCode::GATEWAY_TIMEOUT,
    }
}

/// The error body actix produces for a problem it finds itself (bad JSON, bad path, …).
pub fn json_error_handler(
    error: actix_web::error::JsonPayloadError,
    _request: &actix_web::HttpRequest,
) -> actix_web::Error {
    use actix_web::error::JsonPayloadError;
    let api_error = match &error {
        JsonPayloadError::OverflowKnownLength { limit, .. }
        | JsonPayloadError::Overflow { limit } => ApiError::PayloadTooLarge {
            limit_bytes: *limit,
        },
        JsonPayloadError::ContentType => ApiError::UnsupportedMediaType,
        JsonPayloadError::Deserialize(serde_error) => body_error(serde_error),
        JsonPayloadError::Payload(actix_web::error::PayloadError::Overflow) => {
            ApiError::PayloadTooLarge {
                limit_bytes: crate::startup::BODY_LIMIT_BYTES,
            }
        }
        _ => ApiError::BadRequest {
            code: "unreadable_body",
            detail: format!("the request body could not be read: {error}"),
        },
    };
    api_error.into()
}

pub(crate) fn body_error(error: &serde_json::Error) -> ApiError {
    use serde_json::error::Category;
    match error.classify() {
        Category::Syntax | Category::Eof | Category::Io => ApiError::BadRequest {
            code: "malformed_json",
            detail: format!("the body is not valid JSON: {error}"),
        },
        Category::Data if error.to_string().starts_with("unknown field") => ApiError::BadRequest {
            code: "unknown_field",
            detail: format!("the body has a field this endpoint does not accept: {error}"),
        },
        Category::Data => ApiError::BadRequest {
            code: "invalid_body",
            detail: format!("the body does not match the documented schema: {error}"),
        },
    }
}

pub fn path_error_handler(
    _error: actix_web::error::PathError,
    _request: &actix_web::HttpRequest,
) -> actix_web::Error {
    // A malformed ID names no resource at all.
    ApiError::NotFound.into()
}

pub fn query_error_handler(
    error: actix_web::error::QueryPayloadError,
    _request: &actix_web::HttpRequest,
) -> actix_web::Error {
    ApiError::BadRequest {
        code: "invalid_query",
        detail: format!("the query string is not valid: {error}"),
    }
    .into()
}

/// Whether the database refused a write because of a unique key: the race-proof check behind
/// every "already exists" rule.
pub fn is_unique_violation(error: &sea_orm::DbErr) -> bool {
    matches!(
        error.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    )
}
