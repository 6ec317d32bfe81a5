//! How every service reports a storage failure, and the few conversions between stored columns
//! and domain values that the column types cannot do themselves.
//!
//! A stored value that does not decode means the database was changed behind the application's
//! back: an internal error (`StorageError`), never a 4xx and never a silent default.

use entity::tenant;
use proto::TenantSummary;

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("the database failed: {0}")]
    Database(#[from] sea_orm::DbErr),
    #[error("stored {what} {value} is not valid")]
    Corrupt { what: &'static str, value: String },
}

/// Lets `?` turn a database failure inside a service into that service's `Storage` variant.
macro_rules! database_failures_are_storage_errors {
    ($($error:ty),+ $(,)?) => {
        $(
            impl From<sea_orm::DbErr> for $error {
                fn from(error: sea_orm::DbErr) -> Self {
                    Self::Storage(error.into())
                }
            }
        )+
    };
}

database_failures_are_storage_errors!(
    super::api_tokens::ApiTokenError,
    super::azure_customers::AzureCustomersError,
    super::customers::CustomerError,
    super::group_policies::GroupPolicyError,
    super::jobs::JobsError,
    super::licensing::ActivationError,
    super::mfa::MfaError,
    super::provisioning::ProvisioningError,
    super::security_integrations::IntegrationError,
    super::technician_groups::GroupError,
    super::settings::SettingsError,
    super::sign_in::SignInError,
    super::tenancy::TenancyError,
    super::user_source::UserSourceError,
    super::users::UserError,
    super::wizard::WizardError,
);

/// A stored count (licences, seats) as the non-negative number it must be.
pub fn count(what: &'static str, stored: i32) -> Result<u32, StorageError> {
    u32::try_from(stored).map_err(|_| StorageError::Corrupt {
        what,
        value: stored.to_string(),
    })
}

/// A stored or counted total (customers in a scope, matches of a search).
pub fn total(what: &'static str, stored: i64) -> Result<u64, StorageError> {
    u64::try_from(stored).map_err(|_| StorageError::Corrupt {
        what,
        value: stored.to_string(),
    })
}

/// A count as its column stores it.
pub fn count_column(what: &'static str, count: u32) -> Result<i32, StorageError> {
    i32::try_from(count).map_err(|_| StorageError::Corrupt {
        what,
        value: count.to_string(),
    })
}

/// A stored churn score, 0–100.
pub fn churn_score(stored: i16) -> Result<u8, StorageError> {
    u8::try_from(stored)
        .ok()
        .filter(|score| *score <= 100)
        .ok_or(StorageError::Corrupt {
            what: "churn score",
            value: stored.to_string(),
        })
}

/// Whether the database refused a write because of a unique key: the race-proof check behind
/// every "already exists" rule.
pub fn is_unique_violation(error: &sea_orm::DbErr) -> bool {
    matches!(
        error.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    )
}

pub fn tenant_summary(tenant: &tenant::Model) -> TenantSummary {
    TenantSummary {
        id: tenant.id,
        name: tenant.name.clone(),
        tenant_type: tenant.tenant_type,
        parent_id: tenant.parent_id,
        monthly_billing: tenant.monthly_billing,
        licensing_options: tenant.licensing_options.0.clone(),
        azure_tenant_id: tenant.azure_tenant_id.clone(),
        master_gp_distribution: tenant.master_gp_distribution,
    }
}

/// `text` with LIKE's wildcards escaped by `\\`, to match literally.
pub fn escape_like(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        if matches!(character, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(character);
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_negative_stored_count_is_corrupt_data_not_zero() {
        assert_eq!(count("total licences", 7).unwrap(), 7);
        assert!(matches!(
            count("total licences", -1),
            Err(StorageError::Corrupt { .. })
        ));
        assert!(matches!(
            churn_score(101),
            Err(StorageError::Corrupt { .. })
        ));
        assert_eq!(churn_score(100).unwrap(), 100);
    }
}
