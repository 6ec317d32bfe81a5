//! Microsoft Graph's failures: the reseller's to fix (422, on the field to correct) or
//! Microsoft's side (502, 503 with `Retry-After`, 504).

use actix_web::http::StatusCode;

pub(super) fn graph_code(error: &msp_graph::GraphError) -> &'static str {
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
pub(super) fn graph_field(error: &msp_graph::GraphError) -> Option<&'static str> {
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
pub(super) fn graph_status(error: &msp_graph::GraphError) -> StatusCode {
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
