//! Who may do what: the refusals every service shares.

use proto::Claim;

/// The caller may not do this. The API answers 403 with the sentence.
#[derive(Debug, thiserror::Error)]
pub enum AccessDenied {
    #[error("this needs the `{}` permission, which your account does not have", .0.as_str())]
    MissingClaim(Claim),
    #[error("only an admin of your tenant can do this")]
    NotAdmin,
    #[error("this setting belongs to resellers and distributors, not to Corporate customers")]
    NotAPartner,
    #[error("customers are created by resellers; sign in with a reseller account")]
    NotAReseller,
    #[error(transparent)]
    OnboardingUnavailable(#[from] domain::Unavailable),
    #[error("this needs a signed-in session; an API token cannot do it")]
    SessionRequired,
    #[error("your account uses MFA: enrol an authenticator app first (Profile → MFA)")]
    MfaEnrolmentRequired,
}
