//! How a change in a customer's Entra directory fails, one variant per message a technician
//! needs. Kept apart from [`GraphError`] so that the listing's errors keep their meaning; the
//! token, transport and throttling failures arrive inside [`CustomerDirectoryError::Graph`].

use crate::GraphError;

/// An application permission of Microsoft Graph that the operator's app needs in a customer's
/// directory for just-in-time accounts and LAPS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DirectoryPermission {
    /// `User.ReadWrite.All`: create, disable and delete accounts, revoke their sessions.
    UserReadWriteAll,
    /// `RoleManagement.ReadWrite.Directory`: list roles, assign and remove them.
    RoleManagementReadWriteDirectory,
    /// `DeviceLocalCredential.Read.All`: list devices and reveal their LAPS passwords.
    DeviceLocalCredentialReadAll,
}

impl DirectoryPermission {
    /// The permission's name as the Entra admin center shows it under API permissions.
    pub fn name(self) -> &'static str {
        match self {
            Self::UserReadWriteAll => "User.ReadWrite.All",
            Self::RoleManagementReadWriteDirectory => "RoleManagement.ReadWrite.Directory",
            Self::DeviceLocalCredentialReadAll => "DeviceLocalCredential.Read.All",
        }
    }
}

impl std::fmt::Display for DirectoryPermission {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CustomerDirectoryError {
    /// Graph answered 403 (`Authorization_RequestDenied`).
    #[error(
        "the app lacks the Microsoft Graph permission {permission} (application) in the customer's directory; an administrator of that directory must authorise the app again"
    )]
    PermissionDenied { permission: DirectoryPermission },
    /// `POST /users` answered `ObjectConflict`: someone holds the name. After a lost answer the
    /// holder may be this very request's account, but nothing proves it, so it is not adopted.
    #[error(
        "an account with this user name already exists in the customer's directory; it was not created by this request and is left alone"
    )]
    UpnTaken { after_lost_answer: bool },
    /// `POST /users` answered that the user principal name's domain is none of the verified ones.
    #[error(
        "the domain for accounts is not a verified domain of the customer's directory; verify it in the Entra admin center or choose another"
    )]
    DomainNotVerified,
    /// `POST /users` answered that the password fails Entra's complexity rule.
    #[error("Microsoft Entra refused the account's password as too simple")]
    PasswordRefused,
    /// A role assignment's role definition does not exist in the directory.
    #[error("the customer's directory has no such role; choose the roles again")]
    RoleNotFound,
    /// The user, the principal of a role assignment (after the replication wait) or the device
    /// does not exist. The expiry job may take it as already done.
    #[error("the customer's directory has no such object any more")]
    NotFound,
    /// Any other 4xx, with Graph's message (never a password: Graph does not echo one).
    #[error("Microsoft Entra refused the request: {0}")]
    Refused(String),
    /// The token, the connection, throttling beyond its bounds, or an answer out of shape.
    #[error(transparent)]
    Graph(#[from] GraphError),
}

/// What a delete found: idempotent steps treat both as done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Removal {
    Removed,
    /// Graph answered 404: someone (or an earlier try) removed it already.
    AlreadyGone,
}
