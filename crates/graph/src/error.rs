//! Every way a listing fails, each phrased so that a reseller knows what to do next. None of
//! them carries the secret or a response body.

use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GraphError {
    #[error(
        "Microsoft Entra does not know the tenant ID saved under Azure Login; check it in the Entra admin center (Overview → Tenant ID) and save it again"
    )]
    UnknownTenant,
    #[error(
        "no app with this client ID is registered in your tenant; copy the Application (client) ID from the app registration's Overview page"
    )]
    UnknownClient,
    #[error(
        "the client secret is wrong; copy the secret's Value (not its ID) from Certificates & secrets, or create a new one"
    )]
    WrongSecret,
    #[error(
        "the client secret has expired; create a new one under Certificates & secrets and enter its Value"
    )]
    ExpiredSecret,
    #[error(
        "the app registration lacks the Microsoft Graph permission Directory.Read.All (application) with admin consent; grant it under API permissions"
    )]
    MissingPermission,
    #[error("Microsoft Graph cannot be reached; try again in a few minutes")]
    Unreachable,
    #[error("Microsoft Graph did not answer in time; try again in a few minutes")]
    TimedOut,
    #[error("Microsoft Graph is throttling requests; try again in {} seconds", retry_after.as_secs().max(1))]
    Throttled { retry_after: Duration },
    #[error("Microsoft Graph gave an answer we did not expect ({0}); try again later")]
    UnexpectedAnswer(String),
}

/// The HTTP client could not be built from the settings.
#[derive(Debug, thiserror::Error)]
pub enum GraphSetupError {
    #[error("the extra root certificate is not a PEM certificate: {0}")]
    RootCertificate(String),
    #[error("cannot build the HTTP client: {0}")]
    HttpClient(String),
}
