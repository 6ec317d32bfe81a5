//! Each service error's status and code: one exhaustive `match` per area.

use actix_web::http::StatusCode;

use domain::DuoRefusal;
use msp_duo::DuoError;

use super::{ApiError, RequestError};
use crate::{
    infra::InfraFailure,
    services::{
        access::AccessDenied, api_tokens::ApiTokenError, azure_customers::AzureCustomersError,
        customer_entra::CustomerEntraError, customer_tenants::CustomerTenantError,
        customers::CustomerError, group_policies::GroupPolicyError, jit_accounts::JitAccountError,
        jobs::JobsError, licensing::ActivationError, mfa::MfaError,
        provisioning::ProvisioningError, security_integrations::IntegrationError,
        settings::SettingsError, sign_in::SignInError, storage::StorageError,
        technician_groups::GroupError, tenancy::TenancyError, user_source::UserSourceError,
        users::UserError, wizard::WizardError,
    },
};

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
            AccessDenied::SessionRequired => "session_required",
            AccessDenied::MfaEnrolmentRequired => "mfa_enrolment_required",
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

impl From<CustomerTenantError> for ApiError {
    fn from(error: CustomerTenantError) -> Self {
        match error {
            CustomerTenantError::NotFound => refused(NOT_FOUND, "not_found", &error),
            CustomerTenantError::NotInCustomerTenant => {
                refused(CONFLICT, "not_in_customer_tenant", &error)
            }
            CustomerTenantError::MspSessionEnded => {
                refused(StatusCode::UNAUTHORIZED, "unauthenticated", &error)
            }
            CustomerTenantError::Denied(denied) => denied.into(),
            CustomerTenantError::Storage(storage) => storage.into(),
        }
    }
}

impl From<CustomerError> for ApiError {
    fn from(error: CustomerError) -> Self {
        match error {
            CustomerError::NotFound => refused(NOT_FOUND, "not_found", &error),
            CustomerError::NameTaken { .. } => refused(CONFLICT, "name_exists", &error),
            CustomerError::TenantNameTaken { .. } => {
                refused(CONFLICT, "tenant_name_exists", &error)
            }
            CustomerError::AzureTenantIdTaken { .. } => {
                refused(CONFLICT, "tenant_id_exists", &error)
            }
            CustomerError::LinkedToAnotherAzureTenant { .. } => {
                refused(CONFLICT, "linked_to_another_tenant", &error)
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
            ApiTokenError::Access(denied) => denied.into(),
            ApiTokenError::User(user) => user.into(),
            ApiTokenError::Tenancy(tenancy) => tenancy.into(),
            ApiTokenError::Storage(storage) => storage.into(),
            ApiTokenError::Infra(infra) => infra.into(),
        }
    }
}

impl From<UserSourceError> for ApiError {
    fn from(error: UserSourceError) -> Self {
        match error {
            UserSourceError::AppNotConfigured => {
                refused(CONFLICT, "entra_app_not_configured", &error)
            }
            UserSourceError::NotConnected => refused(CONFLICT, "not_connected", &error),
            UserSourceError::TooManyUsers { .. } => refused(CONFLICT, "too_many_users", &error),
            UserSourceError::NotEntra => refused(CONFLICT, "not_entra_source", &error),
            UserSourceError::Invalid(errors) => RequestError::Validation(errors).into(),
            UserSourceError::Graph(graph) => graph.into(),
            UserSourceError::Denied(denied) => denied.into(),
            UserSourceError::Storage(storage) => storage.into(),
            UserSourceError::Infra(infra) => infra.into(),
        }
    }
}

impl From<CustomerEntraError> for ApiError {
    fn from(error: CustomerEntraError) -> Self {
        match error {
            CustomerEntraError::NotFound => refused(NOT_FOUND, "not_found", &error),
            CustomerEntraError::AppNotConfigured => {
                refused(CONFLICT, "entra_app_not_configured", &error)
            }
            CustomerEntraError::NotConnected => refused(CONFLICT, "not_connected", &error),
            CustomerEntraError::Invalid(errors) => RequestError::Validation(errors).into(),
            CustomerEntraError::Graph(graph) => graph.into(),
            CustomerEntraError::Directory(directory) => directory.into(),
            CustomerEntraError::Denied(denied) => denied.into(),
            CustomerEntraError::Storage(storage) => storage.into(),
            CustomerEntraError::Infra(infra) => infra.into(),
        }
    }
}

impl From<JitAccountError> for ApiError {
    fn from(error: JitAccountError) -> Self {
        match error {
            JitAccountError::NotFound => refused(NOT_FOUND, "not_found", &error),
            JitAccountError::AccountNotFound => refused(NOT_FOUND, "not_found", &error),
            JitAccountError::DeviceNotFound => refused(NOT_FOUND, "device_not_found", &error),
            JitAccountError::AppNotConfigured => {
                refused(CONFLICT, "entra_app_not_configured", &error)
            }
            JitAccountError::NotReady(_) => refused(CONFLICT, "jit_not_ready", &error),
            JitAccountError::NoRoles(_) => refused(
                StatusCode::UNPROCESSABLE_ENTITY,
                "not_in_mapped_group",
                &error,
            ),
            JitAccountError::NameInvalid(_) => refused(
                StatusCode::UNPROCESSABLE_ENTITY,
                "account_name_invalid",
                &error,
            ),
            JitAccountError::Busy => refused(CONFLICT, "account_busy", &error),
            JitAccountError::AnswerLost => {
                refused(StatusCode::BAD_GATEWAY, "entra_answer_lost", &error)
            }
            JitAccountError::Directory(directory) => directory.into(),
            JitAccountError::Graph(graph) => graph.into(),
            JitAccountError::Denied(denied) => denied.into(),
            JitAccountError::Storage(storage) => storage.into(),
            JitAccountError::Infra(infra) => infra.into(),
        }
    }
}

/// What a customer's directory said, each with its own code (SPEC §16).
impl From<msp_graph::CustomerDirectoryError> for ApiError {
    fn from(error: msp_graph::CustomerDirectoryError) -> Self {
        use msp_graph::CustomerDirectoryError as E;
        let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
        match error {
            E::PermissionDenied { .. } => {
                refused(unprocessable, "entra_permission_missing", &error)
            }
            E::UpnTaken { .. } => refused(CONFLICT, "user_name_taken", &error),
            E::DomainNotVerified => refused(unprocessable, "domain_not_verified", &error),
            E::PasswordRefused => refused(StatusCode::BAD_GATEWAY, "password_refused", &error),
            E::RoleNotFound => refused(unprocessable, "role_not_found", &error),
            E::NotFound => refused(CONFLICT, "gone_from_directory", &error),
            E::Refused(_) => refused(unprocessable, "entra_refused", &error),
            E::Graph(graph) => graph.into(),
        }
    }
}

impl From<JobsError> for ApiError {
    fn from(error: JobsError) -> Self {
        match error {
            JobsError::Denied(denied) => denied.into(),
            JobsError::Storage(storage) => storage.into(),
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
            UserError::NotFound => refused(NOT_FOUND, "not_found", &error),
            UserError::Refused(refusal) => {
                use domain::RightsChangeRefused as R;
                match refusal {
                    R::NotAdmin => refused(FORBIDDEN, "forbidden", &error),
                    R::RaisesOwnRights => refused(FORBIDDEN, "raises_own_rights", &error),
                    R::LastActiveAdmin => refused(CONFLICT, "last_active_admin", &error),
                    R::LocksOutSelf => refused(CONFLICT, "locks_out_self", &error),
                }
            }
            UserError::HasUiAccess => refused(CONFLICT, "user_has_ui_access", &error),
            UserError::InvitationInvalid => refused(StatusCode::GONE, "invitation_invalid", &error),
            UserError::WrongCurrentPassword => refused(FORBIDDEN, "wrong_current_password", &error),
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
            SignInError::Deactivated => refused(FORBIDDEN, "account_deactivated", &error),
            SignInError::UiAccessOff => refused(FORBIDDEN, "ui_access_disabled", &error),
            SignInError::ChallengeInvalid => {
                refused(StatusCode::UNAUTHORIZED, "mfa_token_invalid", &error)
            }
            SignInError::WrongCode => refused(StatusCode::UNAUTHORIZED, "wrong_code", &error),
            SignInError::Microsoft(refusal) => refused(FORBIDDEN, refusal.code(), &error),
            SignInError::Duo(refusal) => {
                let status = match refusal {
                    DuoRefusal::Unreachable => StatusCode::SERVICE_UNAVAILABLE,
                    DuoRefusal::NotAvailable => CONFLICT,
                    DuoRefusal::Denied | DuoRefusal::Invalid => FORBIDDEN,
                    DuoRefusal::Expired => StatusCode::UNAUTHORIZED,
                };
                refused(status, refusal.code(), &error)
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

impl From<MfaError> for ApiError {
    fn from(error: MfaError) -> Self {
        match error {
            MfaError::AlreadyEnrolled => refused(CONFLICT, "mfa_already_enrolled", &error),
            MfaError::NoEnrolmentStarted => refused(CONFLICT, "mfa_enrolment_not_started", &error),
            MfaError::NotEnrolled => refused(CONFLICT, "mfa_not_enrolled", &error),
            MfaError::WrongCode => ApiError::field("code", "wrong_code", error.to_string()),
            MfaError::Storage(storage) => storage.into(),
            MfaError::Infra(infra) => infra.into(),
        }
    }
}

impl From<ProvisioningError> for ApiError {
    fn from(error: ProvisioningError) -> Self {
        match error {
            ProvisioningError::NotFound => refused(NOT_FOUND, "not_found", &error),
            ProvisioningError::Uniqueness(_) => refused(CONFLICT, "uniqueness", &error),
            ProvisioningError::InvalidValue(_) => {
                refused(StatusCode::UNPROCESSABLE_ENTITY, "invalid_value", &error)
            }
            ProvisioningError::LastActiveAdmin => refused(CONFLICT, "last_active_admin", &error),
            ProvisioningError::Access(denied) => denied.into(),
            ProvisioningError::Storage(storage) => storage.into(),
            ProvisioningError::Infra(infra) => infra.into(),
        }
    }
}

impl From<IntegrationError> for ApiError {
    fn from(error: IntegrationError) -> Self {
        match error {
            IntegrationError::NotFound => refused(NOT_FOUND, "not_found", &error),
            IntegrationError::AlreadyExists => refused(CONFLICT, "already_exists", &error),
            IntegrationError::Invalid { field, error } => {
                ApiError::field(field, "invalid", error.to_string())
            }
            IntegrationError::HostNotAllowed(_) => {
                ApiError::field("api_hostname", "not_a_duo_host", error.to_string())
            }
            IntegrationError::Duo(duo) => match &duo {
                DuoError::CredentialsRefused(_) => ApiError::field(
                    "client_secret",
                    "duo_credentials_refused",
                    format!("{duo}. Check the Client ID and Client Secret in Duo's Admin Panel"),
                ),
                DuoError::NotDuo { .. } => {
                    ApiError::field("api_hostname", "not_duo", duo.to_string())
                }
                DuoError::Unreachable { .. } => {
                    refused(StatusCode::BAD_GATEWAY, "duo_unreachable", &duo)
                }
                DuoError::CodeRefused(_) | DuoError::TokenInvalid(_) | DuoError::Signing(_) => {
                    refused(StatusCode::BAD_GATEWAY, "duo_failed", &duo)
                }
            },
            IntegrationError::Denied(denied) => denied.into(),
            IntegrationError::Storage(storage) => storage.into(),
            IntegrationError::Infra(infra) => infra.into(),
        }
    }
}

impl From<GroupError> for ApiError {
    fn from(error: GroupError) -> Self {
        match error {
            GroupError::NotFound => refused(NOT_FOUND, "not_found", &error),
            GroupError::NameTaken { .. } => refused(CONFLICT, "name_exists", &error),
            GroupError::Invalid(errors) => RequestError::Validation(errors).into(),
            GroupError::Denied(denied) => denied.into(),
            GroupError::Storage(storage) => storage.into(),
        }
    }
}
