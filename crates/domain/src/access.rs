use std::collections::BTreeSet;

use proto::{Claim, TenantType};

/// The permission claims a user holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClaimSet(BTreeSet<Claim>);

impl ClaimSet {
    pub fn all() -> Self {
        Self(Claim::ALL.into_iter().collect())
    }

    pub fn all_but(missing: Claim) -> Self {
        Self(
            Claim::ALL
                .into_iter()
                .filter(|claim| *claim != missing)
                .collect(),
        )
    }

    pub fn contains(&self, claim: Claim) -> bool {
        self.0.contains(&claim)
    }

    pub fn to_vec(&self) -> Vec<Claim> {
        self.0.iter().copied().collect()
    }
}

impl FromIterator<Claim> for ClaimSet {
    fn from_iter<I: IntoIterator<Item = Claim>>(iter: I) -> Self {
        Self(iter.into_iter().collect())
    }
}

/// Why MSP Onboarding is not available to a user (SPEC §2), in words for that user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Unavailable {
    /// The tenant is a Corporate customer, not a Reseller or Distributor.
    #[error("MSP Onboarding is for resellers and distributors")]
    NotAPartnerTenant,
    /// The tenant has monthly billing off.
    #[error("MSP Onboarding needs monthly billing on your tenant")]
    NoMonthlyBilling,
    /// The user lacks `manage_customer_settings`.
    #[error(
        "MSP Onboarding needs the “Manage customer settings” permission. Ask an admin of your tenant"
    )]
    MissingClaim,
}

/// SPEC §2: the MSP Onboarding wizard and tab exist only for Reseller and Distributor tenants
/// with monthly billing on, and only for users holding `manage_customer_settings`. The first
/// unmet condition, in that order, is the reason given.
pub fn feature_availability(
    tenant_type: TenantType,
    monthly_billing: bool,
    claims: &ClaimSet,
) -> Result<(), Unavailable> {
    match tenant_type {
        TenantType::Distributor | TenantType::Reseller => {}
        TenantType::Corporate => return Err(Unavailable::NotAPartnerTenant),
    }
    if !monthly_billing {
        return Err(Unavailable::NoMonthlyBilling);
    }
    if !claims.contains(Claim::ManageCustomerSettings) {
        return Err(Unavailable::MissingClaim);
    }
    Ok(())
}

/// Whether MSP Onboarding is available; `feature_availability` says why not.
pub fn feature_available(
    tenant_type: TenantType,
    monthly_billing: bool,
    claims: &ClaimSet,
) -> bool {
    feature_availability(tenant_type, monthly_billing, claims).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unavailability_names_the_first_unmet_condition_of_section_2() {
        use Unavailable as U;
        let all = ClaimSet::all();
        let without_claim = ClaimSet::all_but(Claim::ManageCustomerSettings);
        let cases = [
            (TenantType::Reseller, true, &all, Ok(())),
            (TenantType::Distributor, true, &all, Ok(())),
            (TenantType::Corporate, true, &all, Err(U::NotAPartnerTenant)),
            (
                TenantType::Corporate,
                false,
                &without_claim,
                Err(U::NotAPartnerTenant),
            ),
            (TenantType::Reseller, false, &all, Err(U::NoMonthlyBilling)),
            (
                TenantType::Distributor,
                false,
                &without_claim,
                Err(U::NoMonthlyBilling),
            ),
            (
                TenantType::Reseller,
                true,
                &without_claim,
                Err(U::MissingClaim),
            ),
        ];
        for (tenant_type, monthly_billing, claims, expected) in cases {
            let case =
                format!("{tenant_type:?}, monthly billing {monthly_billing}, claims {claims:?}");
            assert_eq!(
                feature_availability(tenant_type, monthly_billing, claims),
                expected,
                "{case}"
            );
            assert_eq!(
                feature_available(tenant_type, monthly_billing, claims),
                expected.is_ok(),
                "{case}"
            );
        }
    }

    #[test]
    fn each_reason_names_what_is_missing() {
        let cases = [
            (Unavailable::NotAPartnerTenant, "resellers and distributors"),
            (Unavailable::NoMonthlyBilling, "monthly billing"),
            (Unavailable::MissingClaim, "Manage customer settings"),
        ];
        for (reason, words) in cases {
            assert!(reason.to_string().contains(words), "{reason:?}");
        }
    }

    #[test]
    fn all_but_leaves_out_exactly_the_named_claim() {
        for missing in Claim::ALL {
            let claims = ClaimSet::all_but(missing);
            assert!(!claims.contains(missing));
            assert_eq!(claims.to_vec().len(), Claim::ALL.len() - 1);
        }
    }
}
