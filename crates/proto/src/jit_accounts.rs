//! Just-in-time admin accounts in customers' Entra directories and their devices' local
//! administrator passwords (LAPS), for technicians with access to the customer (SPEC §16).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// `GET /api/v1/customers/{id}/jit-accounts`: the customer's application and its active
/// accounts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JitAccess {
    /// The application's name, e.g. "Entra ID - retail customer".
    pub app_name: String,
    /// How long a new account lives.
    pub lifetime_hours: u32,
    /// Accounts can be requested: the directory is authorised and the domain and the role
    /// mapping are saved.
    pub ready: bool,
    /// Why accounts cannot be requested yet, when `ready` is false.
    pub not_ready_reason: Option<String>,
    /// The accounts that exist now or are being removed, soonest expiry first.
    pub accounts: Vec<JitAccount>,
}

/// A just-in-time admin account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JitAccount {
    pub id: Uuid,
    /// The customer tenant; none once the customer was deleted (the account is being removed).
    pub customer_id: Option<Uuid>,
    /// The customer's display name; none once the customer was deleted.
    pub customer_name: Option<String>,
    /// The technician it was made for.
    pub technician_id: Uuid,
    pub technician_email: String,
    /// The sign-in name in the customer's directory.
    pub user_principal_name: String,
    pub roles: Vec<JitRole>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub state: JitAccountState,
    /// Why removing it failed the last time (it is tried again with backoff).
    pub last_error: Option<String>,
}

/// An Entra built-in role an account holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JitRole {
    /// The role's template ID.
    pub id: Uuid,
    pub display_name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum JitAccountState {
    /// Being created in the customer's directory.
    Creating,
    /// Usable until `expires_at`.
    Active,
    /// Its time is up or it was ended: it is being disabled and deleted.
    Ending,
}

/// `POST /api/v1/customers/{id}/jit-accounts`: the account made or extended for you.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GrantedJitAccount {
    pub account: JitAccount,
    /// The account's password, shown this once (never stored); none when an active account
    /// was extended.
    pub password: Option<String>,
    /// Where to sign in with the account.
    pub sign_in_url: String,
    /// An active account was extended rather than a new one made.
    pub extended: bool,
}

impl std::fmt::Debug for GrantedJitAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GrantedJitAccount")
            .field("account", &self.account)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("sign_in_url", &self.sign_in_url)
            .field("extended", &self.extended)
            .finish()
    }
}

/// A device of the customer's directory with a backed-up local administrator password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LapsDevice {
    pub device_id: String,
    pub device_name: String,
    pub last_backup: Option<DateTime<Utc>>,
}

/// `POST /api/v1/customers/{id}/laps-devices/{device_id}/reveal` (audited, never stored).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RevealedLapsPassword {
    pub device_id: String,
    /// The local administrator account, e.g. `Administrator`.
    pub account_name: String,
    pub password: String,
    pub backup_time: Option<DateTime<Utc>>,
}

impl std::fmt::Debug for RevealedLapsPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RevealedLapsPassword")
            .field("device_id", &self.device_id)
            .field("account_name", &self.account_name)
            .field("password", &"<redacted>")
            .field("backup_time", &self.backup_time)
            .finish()
    }
}
