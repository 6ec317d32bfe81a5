//! The rules of SPEC §13 for technicians that Microsoft Entra provisions: the role its app-role
//! assignment gives, and the claims a provisioned account starts with.

use proto::{Claim, Role};

use crate::ClaimSet;

/// A provisioned user's `userName`: Entra sends the UPN (`alex@contoso.com`), which becomes the
/// account's sign-in name. Trimmed and lower-cased (SCIM compares it without regard to case),
/// 1–254 characters, no spaces or control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScimUserName(String);

/// A provisioned user's `externalId` (Entra's object ID): trimmed, 1–200 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalId(String);

/// Why a `userName` or `externalId` is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProvisionedNameError {
    #[error("userName must be 1 to 254 characters without spaces or control characters")]
    UserName,
    #[error("externalId must be 1 to 200 characters")]
    ExternalId,
}

impl ScimUserName {
    pub const MAX_CHARS: usize = 254;

    pub fn parse(raw: &str) -> Result<Self, ProvisionedNameError> {
        let trimmed = raw.trim();
        let length = trimmed.chars().count();
        let clean = !trimmed.chars().any(|c| c.is_whitespace() || c.is_control());
        if length == 0 || length > Self::MAX_CHARS || !clean {
            return Err(ProvisionedNameError::UserName);
        }
        Ok(Self(trimmed.to_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl ExternalId {
    pub const MAX_CHARS: usize = 200;

    pub fn parse(raw: &str) -> Result<Self, ProvisionedNameError> {
        let trimmed = raw.trim();
        let length = trimmed.chars().count();
        if length == 0 || length > Self::MAX_CHARS {
            return Err(ProvisionedNameError::ExternalId);
        }
        Ok(Self(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An app-role value that is neither `Admin` nor `Technician`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the role \"{0}\" is not one of this product's app roles: give the Entra app the roles Admin and Technician (their values exactly) and assign one of them"
)]
pub struct UnknownAppRole(pub String);

/// The role given by the primary app-role value Entra sends (`roles[primary eq "True"].value`);
/// no role assigned means a technician. The values are the app roles' own (`Admin`,
/// `Technician`), matched without regard to case.
pub fn role_from_app_role(value: Option<&str>) -> Result<Role, UnknownAppRole> {
    match value.map(str::trim) {
        None | Some("") => Ok(Role::Technician),
        Some(value) if value.eq_ignore_ascii_case("admin") => Ok(Role::Admin),
        Some(value) if value.eq_ignore_ascii_case("technician") => Ok(Role::Technician),
        Some(other) => Err(UnknownAppRole(other.to_owned())),
    }
}

/// The app-role value that stands for `role`, as Entra's app registration names it.
pub fn app_role_of(role: Role) -> &'static str {
    match role {
        Role::Admin => "Admin",
        Role::Technician => "Technician",
    }
}

/// The claims a provisioned account starts with: an admin every claim; a technician the two
/// that only read, until an admin grants more on the Users page (Entra sends no claims).
pub fn initial_claims(role: Role) -> ClaimSet {
    match role {
        Role::Admin => ClaimSet::all(),
        Role::Technician => [Claim::ViewCustomers, Claim::ViewEndpointSettings]
            .into_iter()
            .collect(),
    }
}

/// The claims after Entra changes a provisioned account's role: made an admin, it gains every
/// claim; made a technician, it keeps what it had (an admin narrows them on the Users page).
pub fn claims_after_role_change(current: &ClaimSet, from: Role, to: Role) -> ClaimSet {
    match (from, to) {
        (Role::Technician, Role::Admin) => initial_claims(Role::Admin),
        _ => current.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_user_name_is_trimmed_and_lower_cased_and_must_be_one_word() {
        assert_eq!(
            ScimUserName::parse(" Alex@Contoso.com ").map(|name| name.as_str().to_owned()),
            Ok("alex@contoso.com".to_owned())
        );
        for bad in ["", "  ", "alex smith@contoso.com", "a\u{0}b"] {
            assert_eq!(
                ScimUserName::parse(bad),
                Err(ProvisionedNameError::UserName)
            );
        }
        assert!(ScimUserName::parse(&"a".repeat(254)).is_ok());
        assert!(ScimUserName::parse(&"a".repeat(255)).is_err());
        assert_eq!(
            ExternalId::parse(" 6f1c ").map(|id| id.as_str().to_owned()),
            Ok("6f1c".to_owned())
        );
        assert!(ExternalId::parse(" ").is_err());
        assert!(ExternalId::parse(&"x".repeat(201)).is_err());
    }

    #[test]
    fn the_primary_app_role_value_sets_the_role_and_none_means_technician() {
        assert_eq!(role_from_app_role(Some("Admin")), Ok(Role::Admin));
        assert_eq!(role_from_app_role(Some("technician")), Ok(Role::Technician));
        assert_eq!(role_from_app_role(None), Ok(Role::Technician));
        assert_eq!(role_from_app_role(Some(" ")), Ok(Role::Technician));
        assert_eq!(
            role_from_app_role(Some("User")),
            Err(UnknownAppRole("User".to_owned()))
        );
    }

    #[test]
    fn a_provisioned_technician_starts_with_reading_claims_and_an_admin_with_all() {
        let technician = initial_claims(Role::Technician);
        assert!(technician.contains(Claim::ViewCustomers));
        assert!(!technician.contains(Claim::CreateCustomer));
        let admin = initial_claims(Role::Admin);
        assert_eq!(admin, ClaimSet::all());
        assert_eq!(
            claims_after_role_change(&technician, Role::Technician, Role::Admin),
            admin
        );
        assert_eq!(
            claims_after_role_change(&admin, Role::Admin, Role::Technician),
            admin
        );
    }
}
