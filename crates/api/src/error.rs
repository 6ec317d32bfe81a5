//! The one map from every failure to an RFC 9457 problem document.
//!
//! Services fail in business words (`CustomerError::NameTaken`, `AccessDenied::MissingClaim`,
//! …); the HTTP layer fails in its own (`malformed_json`, `payload_too_large`, …). Each of those
//! enums gets its status and its stable `code` here, in an exhaustive `match`: a new variant does
//! not compile until it has both. Codes are part of the API (README, OpenAPI document).

use actix_web::{HttpResponse, ResponseError, http::StatusCode, http::header};
use proto::{FieldError, PROBLEM_CONTENT_TYPE, Problem};

use crate::{
    infra::InfraFailure,
    services::{
        access::AccessDenied, api_tokens::ApiTokenError, azure_customers::AzureCustomersError,
        customers::CustomerError, group_policies::GroupPolicyError, licensing::ActivationError,
        settings::SettingsError, sign_in::SignInError, storage::StorageError,
        tenancy::TenancyError, users::UserError, wizard::WizardError,
    },
};

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

/// A service's refusal with its status and code; the detail is the error's own sentence.
fn refused(status: StatusCode, code: &'static str, error: &impl std::fmt::Display) -> ApiError {
    ApiError::Refused {
        status,
        code,
        detail: error.to_string(),
        errors: Vec::new(),
    }
}

const FORBIDDEN: StatusCode = StatusCode::FORBIDDEN;
const NOT_FOUND: StatusCode = StatusCode::NOT_FOUND;
const CONFLICT: StatusCode = StatusCode::CONFLICT;

impl From<AccessDenied> for ApiError {
    fn from(error: AccessDenied) -> Self {
        let code = match &error {
            AccessDenied::MissingClaim(_)
            | AccessDenied::NotAdmin
            | AccessDenied::NotAPartner
            | AccessDenied::NotAReseller
            | AccessDenied::OnboardingUnavailable(_) => "forbidden",
        };
        refused(FORBIDDEN, code, &error)
    }
}

impl From<StorageError> for ApiError {
    fn from(error: StorageError) -> Self {
        match error {
            StorageError::Database(database) => Self::Internal(database.into()),
            corrupt @ StorageError::Corrupt { .. } => Self::Internal(corrupt.into()),
        }
    }
}

impl From<InfraFailure> for ApiError {
    fn from(error: InfraFailure) -> Self {
        Self::Internal(error.into())
    }
}

impl From<sea_orm::DbErr> for ApiError {
    fn from(error: sea_orm::DbErr) -> Self {
        StorageError::from(error).into()
    }
}

impl From<TenancyError> for ApiError {
    fn from(error: TenancyError) -> Self {
        match error {
            TenancyError::TenantNotFound => refused(NOT_FOUND, "not_found", &error),
            TenancyError::UnknownParent => refused(NOT_FOUND, "unknown_parent", &error),
            TenancyError::WrongParent { .. } => refused(CONFLICT, "wrong_parent", &error),
            TenancyError::Denied(denied) => denied.into(),
            TenancyError::Storage(storage) => storage.into(),
        }
    }
}

impl From<CustomerError> for ApiError {
    fn from(error: CustomerError) -> Self {
        match error {
            CustomerError::NotFound => refused(NOT_FOUND, "not_found", &error),
            CustomerError::NameTaken { .. } => refused(CONFLICT, "name_exists", &error),
            CustomerError::AzureTenantIdTaken { .. } => {
                refused(CONFLICT, "tenant_id_exists", &error)
            }
            CustomerError::Invalid(errors) => RequestError::Validation(errors).into(),
            CustomerError::Denied(denied) => denied.into(),
            CustomerError::Tenancy(tenancy) => tenancy.into(),
            CustomerError::Storage(storage) => storage.into(),
            CustomerError::Infra(infra) => infra.into(),
        }
    }
}

impl From<GroupPolicyError> for ApiError {
    fn from(error: GroupPolicyError) -> Self {
        match error {
            GroupPolicyError::NotFound => refused(NOT_FOUND, "not_found", &error),
            GroupPolicyError::NameTaken { .. } => refused(CONFLICT, "name_exists", &error),
            GroupPolicyError::Tenancy(tenancy) => tenancy.into(),
            GroupPolicyError::Storage(storage) => storage.into(),
        }
    }
}

impl From<ActivationError> for ApiError {
    fn from(error: ActivationError) -> Self {
        match error {
            ActivationError::KeyNotFound => refused(NOT_FOUND, "not_found", &error),
            ActivationError::Expired { .. } => refused(CONFLICT, "licence_expired", &error),
            ActivationError::NoFreeLicences { .. } => refused(CONFLICT, "no_free_licences", &error),
            ActivationError::InProgress => refused(CONFLICT, "activation_in_progress", &error),
            ActivationError::Customer(customer) => customer.into(),
            ActivationError::Storage(storage) => storage.into(),
        }
    }
}

impl From<ApiTokenError> for ApiError {
    fn from(error: ApiTokenError) -> Self {
        match error {
            ApiTokenError::NotFound => refused(NOT_FOUND, "not_found", &error),
            ApiTokenError::Tenancy(tenancy) => tenancy.into(),
            ApiTokenError::Storage(storage) => storage.into(),
            ApiTokenError::Infra(infra) => infra.into(),
        }
    }
}

impl From<SettingsError> for ApiError {
    fn from(error: SettingsError) -> Self {
        match error {
            SettingsError::Tenancy(tenancy) => tenancy.into(),
            SettingsError::Storage(storage) => storage.into(),
        }
    }
}

impl From<UserError> for ApiError {
    fn from(error: UserError) -> Self {
        match error {
            UserError::EmailTaken { .. } => refused(CONFLICT, "email_taken", &error),
            UserError::Storage(storage) => storage.into(),
            UserError::Infra(infra) => infra.into(),
        }
    }
}

impl From<SignInError> for ApiError {
    fn from(error: SignInError) -> Self {
        match error {
            SignInError::WrongCredentials => RequestError::InvalidCredentials.into(),
            SignInError::TooManyAttempts { retry_after_secs } => {
                RequestError::TooManyAttempts { retry_after_secs }.into()
            }
            SignInError::Storage(storage) => storage.into(),
            SignInError::Infra(infra) => infra.into(),
        }
    }
}

impl From<WizardError> for ApiError {
    fn from(error: WizardError) -> Self {
        use domain::WizardProgressError as P;
        match error {
            WizardError::InvalidProgress(progress) => {
                let (field, code) = match &progress {
                    P::StepOutOfRange => ("step", "out_of_range"),
                    P::CannotResetToNotStarted => ("status", "not_settable"),
                    P::CompletedOnWrongStep => ("status", "completed_on_wrong_step"),
                    P::ImpossibleHistory => ("history", "impossible_history"),
                    P::EndpointStepsHidden | P::EndpointStepsReadOnly => {
                        ("step", "step_not_allowed")
                    }
                };
                Self::field(field, code, progress.to_string())
            }
            WizardError::Denied(denied) => denied.into(),
            WizardError::Tenancy(tenancy) => tenancy.into(),
            WizardError::Storage(storage) => storage.into(),
        }
    }
}

impl From<AzureCustomersError> for ApiError {
    fn from(error: AzureCustomersError) -> Self {
        match error {
            AzureCustomersError::AzureTenantIdMissing => {
                refused(CONFLICT, "azure_tenant_id_missing", &error)
            }
            AzureCustomersError::Graph(graph) => graph.into(),
            AzureCustomersError::Denied(denied) => denied.into(),
            AzureCustomersError::Tenancy(tenancy) => tenancy.into(),
            AzureCustomersError::Storage(storage) => storage.into(),
        }
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
