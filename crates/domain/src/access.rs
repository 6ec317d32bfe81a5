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

/// SPEC §2: the MSP Onboarding wizard and tab exist only for Reseller and Distributor tenants
/// with monthly billing on, and only for users holding `manage_customer_settings`.
pub fn feature_available(
    tenant_type: TenantType,
    monthly_billing: bool,
    claims: &ClaimSet,
) -> bool {
    let tenant_qualifies = match tenant_type {
        TenantType::Distributor | TenantType::Reseller => true,
        TenantType::Corporate => false,
    };
    tenant_qualifies && monthly_billing && claims.contains(Claim::ManageCustomerSettings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_feature_needs_a_qualifying_tenant_monthly_billing_and_the_claim() {
        let all = ClaimSet::all();
        let without_claim = ClaimSet::all_but(Claim::ManageCustomerSettings);
        let cases = [
            (TenantType::Reseller, true, &all, true),
            (TenantType::Distributor, true, &all, true),
            (TenantType::Corporate, true, &all, false),
            (TenantType::Reseller, false, &all, false),
            (TenantType::Distributor, false, &all, false),
            (TenantType::Reseller, true, &without_claim, false),
        ];
        for (tenant_type, monthly_billing, claims, expected) in cases {
            assert_eq!(
                feature_available(tenant_type, monthly_billing, claims),
                expected,
                "{tenant_type:?}, monthly billing {monthly_billing}, claims {claims:?}"
            );
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
