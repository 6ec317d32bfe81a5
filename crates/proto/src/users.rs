//! Technicians (SPEC §12, §17): users, invitations, sign-in with a second factor, TOTP enrolment.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[cfg(feature = "sea-orm")]
use sea_orm::entity::prelude::StringLen;

use crate::{Claim, Role, UserSource};

/// A user of the caller's tenant, as listed on the Users page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub claims: Vec<Claim>,
    /// A second factor is due at every web sign-in.
    pub use_mfa: bool,
    /// Off: the user cannot sign in to the web app; its API tokens keep working.
    pub allow_ui_access: bool,
    pub active: bool,
    pub source: UserSource,
    /// A TOTP factor is enrolled and confirmed.
    pub mfa_enrolled: bool,
    /// Invited, and the invitation not yet accepted (no password set).
    pub invitation_pending: bool,
    pub last_sign_in_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// Microsoft Entra's object ID, for a user Entra provisioned (SCIM `externalId`).
    pub external_id: Option<String>,
    /// When Entra's provisioning last changed the user (its provisioning status, with `active`).
    pub provisioned_at: Option<DateTime<Utc>>,
}

/// `POST /api/v1/users` body (admins): invites a technician or an admin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct InviteUserRequest {
    /// Surrounding whitespace is trimmed; stored lower-case; unique across the product.
    #[cfg_attr(feature = "openapi", schema(format = Email, example = "new.tech@demo-reseller.test"))]
    pub email: String,
    /// At most 200 characters once surrounding whitespace is trimmed; blank means none.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^([\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*(?:[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000](?:[\s\S]{0,198}[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000])?)?[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*)$"
        )
    )]
    pub display_name: Option<String>,
    /// `technician` unless given.
    #[serde(default)]
    pub role: Option<Role>,
    /// None unless given.
    #[serde(default)]
    pub claims: Option<Vec<Claim>>,
    /// Off unless given.
    #[serde(default)]
    pub use_mfa: Option<bool>,
    /// On unless given.
    #[serde(default)]
    pub allow_ui_access: Option<bool>,
}

/// The invited user and the single-use link (valid 7 days) that lets them set a password.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitedUser {
    pub user: User,
    /// Give it to the invitee; it is shown this once.
    pub invitation_url: String,
    pub invitation_expires_at: DateTime<Utc>,
}

impl std::fmt::Debug for InvitedUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InvitedUser")
            .field("user", &self.user)
            .field("invitation_url", &"[redacted]")
            .field("invitation_expires_at", &self.invitation_expires_at)
            .finish()
    }
}

/// `PATCH /api/v1/users/{id}` body: only the fields given change. Admins change anything of a
/// user of their tenant (but never raise their own rights); a technician changes only its own
/// `display_name`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateUserRequest {
    /// At most 200 characters once surrounding whitespace is trimmed; blank means none.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^([\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*(?:[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000](?:[\s\S]{0,198}[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000])?)?[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*)$"
        )
    )]
    pub display_name: Option<String>,
    #[serde(default)]
    pub role: Option<Role>,
    #[serde(default)]
    pub claims: Option<Vec<Claim>>,
    #[serde(default)]
    pub use_mfa: Option<bool>,
    #[serde(default)]
    pub allow_ui_access: Option<bool>,
    /// `false` deactivates (every session and API token stops at once); `true` reactivates.
    #[serde(default)]
    pub active: Option<bool>,
}

/// `POST /api/v1/auth/accept-invitation` body.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AcceptInvitationRequest {
    /// The `token` of the invitation link.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub token: String,
    /// The password policy: 12 to 1024 characters.
    #[cfg_attr(feature = "openapi", schema(format = Password, min_length = 12, max_length = 1024))]
    pub password: String,
}

impl std::fmt::Debug for AcceptInvitationRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AcceptInvitationRequest")
            .field("token", &"[redacted]")
            .field("password", &"[redacted]")
            .finish()
    }
}

/// `PUT /api/v1/me/password` body. Every other session of the user ends.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ChangePasswordRequest {
    #[cfg_attr(feature = "openapi", schema(format = Password, min_length = 1, max_length = 1024))]
    pub current_password: String,
    /// The password policy: 12 to 1024 characters.
    #[cfg_attr(feature = "openapi", schema(format = Password, min_length = 12, max_length = 1024))]
    pub new_password: String,
}

impl std::fmt::Debug for ChangePasswordRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ChangePasswordRequest { [redacted] }")
    }
}

crate::tenancy::code_enum! {
    /// A way to pass the second factor.
    pub enum MfaMethod {
        Totp,
        RecoveryCode,
        /// Duo's prompt: `POST /api/v1/auth/login/duo` with the `mfa_token`.
        Duo,
    }
}

/// `POST /api/v1/auth/login` when a second factor is due: no access token yet.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MfaChallenge {
    /// Always `true`.
    pub mfa_required: bool,
    /// Send it with the code to `POST /api/v1/auth/login/totp` within 5 minutes.
    pub mfa_token: String,
    pub methods: Vec<MfaMethod>,
}

impl std::fmt::Debug for MfaChallenge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MfaChallenge")
            .field("mfa_token", &"[redacted]")
            .field("methods", &self.methods)
            .finish()
    }
}

/// `POST /api/v1/auth/login/totp` body.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TotpLoginRequest {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 2000))]
    pub mfa_token: String,
    /// The 6 digits of the authenticator app, or one of the recovery codes.
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 64, example = "123456")
    )]
    pub code: String,
}

impl std::fmt::Debug for TotpLoginRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TotpLoginRequest { [redacted] }")
    }
}

/// `POST /api/v1/me/mfa/totp`: a new, unconfirmed factor to add to an authenticator app. The
/// secret is shown until the factor is confirmed, never after.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TotpEnrolment {
    /// Base32, for typing into the app.
    pub secret: String,
    /// `otpauth://totp/…`, what the QR code holds.
    pub otpauth_url: String,
    /// The QR code as an SVG document, rendered here (nothing is fetched from elsewhere).
    pub qr_svg: String,
}

impl std::fmt::Debug for TotpEnrolment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TotpEnrolment { [redacted] }")
    }
}

/// `POST /api/v1/me/mfa/totp/confirm` body.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ConfirmTotpRequest {
    /// The 6 digits the app shows now.
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 64, example = "123456")
    )]
    pub code: String,
}

impl std::fmt::Debug for ConfirmTotpRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ConfirmTotpRequest { [redacted] }")
    }
}

/// Ten single-use recovery codes, shown this once (stored hashed).
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecoveryCodes {
    pub recovery_codes: Vec<String>,
}

impl std::fmt::Debug for RecoveryCodes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RecoveryCodes { [redacted] }")
    }
}

/// `POST /api/v1/auth/login`'s answer: signed in, or a second factor is due.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum LoginAnswer {
    MfaRequired(MfaChallenge),
    SignedIn(crate::TokenResponse),
}
