use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{Claim, Role, TenantSummary, WizardStatus};

/// `POST /api/v1/auth/login` body.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// The address signed in with; anything but blank, at most 254 characters (an unknown or
    /// malformed address is a 401 like a wrong password).
    #[cfg_attr(
        feature = "openapi",
        schema(
            example = "admin@demo-reseller.test",
            min_length = 1,
            max_length = 254,
            pattern = r"[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]"
        )
    )]
    pub email: String,
    #[cfg_attr(feature = "openapi", schema(format = Password, min_length = 1))]
    pub password: String,
}

impl std::fmt::Debug for LoginRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginRequest")
            .field("email", &self.email)
            .field("password", &"[redacted]")
            .finish()
    }
}

/// A freshly issued access token (a JWT). The API also sets it as an HttpOnly cookie for the web app.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenResponse {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the token expires.
    pub expires_in: u64,
    /// Use MFA is on and no factor is enrolled yet: until one is (`/api/v1/me/mfa/totp`), this
    /// session may only enrol, read `/me` and sign out.
    #[serde(default)]
    pub mfa_enrolment_required: bool,
}

impl std::fmt::Debug for TokenResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenResponse")
            .field("access_token", &"[redacted]")
            .field("token_type", &self.token_type)
            .field("expires_in", &self.expires_in)
            .field("mfa_enrolment_required", &self.mfa_enrolment_required)
            .finish()
    }
}

/// `GET /api/v1/me`: who is calling, from which tenant, and what they may do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    pub user: UserSummary,
    pub tenant: TenantSummary,
    pub role: Role,
    pub claims: Vec<Claim>,
    /// Whether the MSP Onboarding feature (wizard and tab) is available to this user (SPEC §2).
    pub feature_available: bool,
    pub wizard: WizardProgress,
    pub use_mfa: bool,
    pub allow_ui_access: bool,
    /// A TOTP factor is enrolled and confirmed.
    pub mfa_enrolled: bool,
    /// This session may do nothing but enrol a factor (Use MFA is on, no factor yet).
    pub mfa_enrolment_required: bool,
    /// The user completed a Duo authentication from the profile page ("Link Duo").
    pub duo_linked: bool,
    /// The tenant has an enabled Duo integration, so the user can link Duo.
    pub duo_available: bool,
    /// Set when this session is scoped to a customer tenant (opened from the MSP): `tenant` is
    /// then that customer tenant, and this names it and the MSP to go back to.
    #[serde(default)]
    pub customer_tenant: Option<crate::CustomerTenantVisit>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserSummary {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
}

/// The onboarding wizard's stored progress for one user (`GET|PUT /api/v1/onboarding-wizard`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct WizardProgress {
    pub status: WizardStatus,
    /// The current step, 1..=12.
    #[serde(deserialize_with = "crate::whole_number::deserialize")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 12))]
    pub step: u8,
    /// The steps the user came through to reach `step`, oldest first, so that Back still returns
    /// to the step the user actually came from after a reload.
    #[serde(default, deserialize_with = "crate::whole_number::vec")]
    #[cfg_attr(feature = "openapi", schema(schema_with = wizard_history_schema))]
    pub history: Vec<u8>,
}

/// `history` as the document shows it: what the server checks of each entry alone. That the
/// entries are increasing and below `step`, and which steps a user's claims skip, are rules
/// between fields, answered with 422.
#[cfg(feature = "openapi")]
fn wizard_history_schema() -> utoipa::openapi::Array {
    use utoipa::openapi::schema::{ArrayBuilder, KnownFormat, ObjectBuilder, SchemaFormat, Type};
    ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int32)))
                .minimum(Some(1))
                .maximum(Some(12)),
        )
        .max_items(Some(11))
        .unique_items(true)
        .description(Some(
            "The steps the user came through to reach `step`, oldest first, so that Back still returns\n\
             to the step the user actually came from after a reload. Each is a step number below\n\
             `step`, in increasing order (a 422 otherwise).",
        ))
        .build()
}

/// `POST /api/v1/api-tokens` body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateApiTokenRequest {
    /// What the token is for, e.g. `PSA sync`: 1–100 characters once surrounding whitespace is
    /// trimmed.
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            pattern = r"^([\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000](?:[\s\S]{0,98}[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000])?[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*)$"
        )
    )]
    pub name: String,
    /// Days until the token stops working: 1–365, 90 unless given.
    #[serde(default, deserialize_with = "crate::whole_number::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>, minimum = 1, maximum = 365))]
    pub expires_in_days: Option<u16>,
}

/// An API token as listed: never the secret itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiToken {
    pub id: Uuid,
    /// Whose token it is (an admin's tenant-wide listing shows every user's).
    pub user_id: Uuid,
    pub user_email: String,
    pub name: String,
    /// The first characters of the token, to recognise it.
    pub prefix: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub last_used_at: Option<chrono::DateTime<chrono::Utc>>,
    pub revoked_at: Option<chrono::DateTime<chrono::Utc>>,
    pub expires_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// A newly created API token: `token` is shown this once and cannot be read again.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedApiToken {
    #[serde(flatten)]
    pub token_info: ApiToken,
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
}

impl std::fmt::Debug for CreatedApiToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreatedApiToken")
            .field("token_info", &self.token_info)
            .field("token", &"[redacted]")
            .finish()
    }
}

/// `GET /api/v1/auth/providers`: the ways to sign in besides e-mail and password.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignInProviders {
    /// Sign in with Microsoft is configured: the sign-in page shows its button, which goes to
    /// `GET /api/v1/auth/microsoft`.
    pub microsoft: bool,
}
