//! A consented directory's domains, as every Entra connection offers them (SPEC §16: the user
//! source's onboarding domain, a customer's domain for just-in-time accounts): only a verified
//! domain that Entra manages can be chosen; federated and unverified ones are shown with the
//! reason.

use domain::{DomainFacts, OnboardingDomainRefusal, onboarding_domain_refusal};
use msp_graph::DirectoryDomain;
use proto::{EntraDomain, FieldError};

fn facts(domain: &DirectoryDomain) -> DomainFacts {
    DomainFacts {
        verified: domain.verified,
        federated: domain.federated,
    }
}

/// `listed`, default first then by name, each with whether it can be chosen.
pub fn offered(mut listed: Vec<DirectoryDomain>) -> Vec<EntraDomain> {
    listed.sort_by(|left, right| {
        right
            .default
            .cmp(&left.default)
            .then(left.name.cmp(&right.name))
    });
    listed
        .into_iter()
        .map(|domain| {
            let refusal = onboarding_domain_refusal(Some(facts(&domain)));
            EntraDomain {
                name: domain.name,
                default: domain.default,
                selectable: refusal.is_none(),
                reason: refusal.map(|refusal| refusal.to_string()),
            }
        })
        .collect()
}

/// Why `asked` cannot be chosen among `listed`, as the error of `field`; none when it can.
pub fn refusal(listed: &[DirectoryDomain], asked: &str, field: &str) -> Option<FieldError> {
    let found = listed
        .iter()
        .find(|domain| domain.name.eq_ignore_ascii_case(asked))
        .map(facts);
    let refusal = onboarding_domain_refusal(found)?;
    let code = match refusal {
        OnboardingDomainRefusal::Federated => "federated_domain",
        OnboardingDomainRefusal::Unverified => "unverified_domain",
        OnboardingDomainRefusal::Unknown => "unknown_domain",
    };
    Some(FieldError::new(field, code, refusal.to_string()))
}
