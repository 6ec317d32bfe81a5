//! Technicians provisioned by Microsoft Entra over SCIM 2.0 (SPEC §13): the tenant's secret
//! token, the provisioned accounts and their effects (role, sessions, audit), and the log of
//! provisioning calls.

pub mod calls;
pub mod tokens;
pub mod users;

use crate::{
    infra::InfraFailure,
    services::{access::AccessDenied, storage::StorageError},
};

#[derive(Debug, thiserror::Error)]
pub enum ProvisioningError {
    /// Not in the token's tenant, or not at all: never told apart.
    #[error("no user with this id in this tenant")]
    NotFound,
    #[error("{0}")]
    Uniqueness(String),
    #[error("{0}")]
    InvalidValue(String),
    #[error(
        "this is the tenant's last active admin: it cannot be deactivated, made a technician or deleted until another user is an admin"
    )]
    LastActiveAdmin,
    #[error(transparent)]
    Access(#[from] AccessDenied),
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error(transparent)]
    Infra(#[from] InfraFailure),
}
