//! SCIM's error answers (RFC 7644 §3.12): `schemas`, `status` as a string, `scimType` where the
//! RFC names one, and `detail`, as `application/scim+json`; never HTML, never a problem document.

use actix_web::{HttpResponse, ResponseError, http::StatusCode};
use serde_json::json;

use super::SCIM_CONTENT_TYPE;
use crate::services::provisioning::ProvisioningError;

pub const ERROR_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:Error";

/// The `scimType` values of RFC 7644 Table 9 that this server answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScimType {
    InvalidFilter,
    InvalidSyntax,
    InvalidPath,
    InvalidValue,
    NoTarget,
    Mutability,
    Uniqueness,
}

impl ScimType {
    fn as_str(self) -> &'static str {
        match self {
            Self::InvalidFilter => "invalidFilter",
            Self::InvalidSyntax => "invalidSyntax",
            Self::InvalidPath => "invalidPath",
            Self::InvalidValue => "invalidValue",
            Self::NoTarget => "noTarget",
            Self::Mutability => "mutability",
            Self::Uniqueness => "uniqueness",
        }
    }
}

/// A SCIM request refused, or the server failing.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{detail}")]
pub struct ScimError {
    pub status: StatusCode,
    pub scim_type: Option<ScimType>,
    pub detail: String,
}

impl ScimError {
    pub fn bad_request(scim_type: ScimType, detail: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            scim_type: Some(scim_type),
            detail: detail.into(),
        }
    }

    pub fn status(status: StatusCode, detail: impl Into<String>) -> Self {
        Self {
            status,
            scim_type: None,
            detail: detail.into(),
        }
    }

    pub fn unauthorized() -> Self {
        Self::status(
            StatusCode::UNAUTHORIZED,
            "present the tenant's SCIM secret token as a bearer token (Settings → User Management → SSO)",
        )
    }

    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::status(StatusCode::NOT_FOUND, detail)
    }

    fn internal(error: impl std::fmt::Display) -> Self {
        tracing::error!(%error, "SCIM request failed");
        Self::status(
            StatusCode::INTERNAL_SERVER_ERROR,
            "an internal error occurred",
        )
    }
}

impl From<ProvisioningError> for ScimError {
    fn from(error: ProvisioningError) -> Self {
        match error {
            ProvisioningError::NotFound => Self::not_found(error.to_string()),
            ProvisioningError::Uniqueness(detail) => Self {
                status: StatusCode::CONFLICT,
                scim_type: Some(ScimType::Uniqueness),
                detail,
            },
            ProvisioningError::InvalidValue(detail) => {
                Self::bad_request(ScimType::InvalidValue, detail)
            }
            ProvisioningError::LastActiveAdmin => {
                Self::bad_request(ScimType::Mutability, error.to_string())
            }
            ProvisioningError::Access(denied) => {
                Self::status(StatusCode::FORBIDDEN, denied.to_string())
            }
            ProvisioningError::Storage(storage) => Self::internal(storage),
            ProvisioningError::Infra(infra) => Self::internal(infra),
        }
    }
}

impl From<sea_orm::DbErr> for ScimError {
    fn from(error: sea_orm::DbErr) -> Self {
        Self::internal(error)
    }
}

impl ResponseError for ScimError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut body = json!({
            "schemas": [ERROR_SCHEMA],
            "status": self.status.as_u16().to_string(),
            "detail": self.detail,
        });
        if let Some(scim_type) = self.scim_type {
            body["scimType"] = scim_type.as_str().into();
        }
        HttpResponse::build(self.status)
            .content_type(SCIM_CONTENT_TYPE)
            .body(body.to_string())
    }
}
