//! Microsoft Entra as an MSP's user source (SPEC §16): the just-in-time username prefix and the
//! usernames it makes, the onboarding domain's rule, and the rule for switching the source.

use crate::Email;

/// The prefix of just-in-time usernames: 1–20 of lower-case letters, digits, `-`, `_` and `.`,
/// starting with a letter. `msp-` unless the admin chooses another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JitPrefix(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JitPrefixError {
    #[error("the prefix is 1 to 20 characters")]
    Length,
    #[error("the prefix starts with a letter (a–z)")]
    FirstCharacter,
    #[error("the prefix holds only lower-case letters, digits, '-', '_' and '.'")]
    Character,
}

impl JitPrefix {
    pub const MAX_CHARS: usize = 20;
    pub const DEFAULT: &'static str = "msp-";

    pub fn parse(raw: &str) -> Result<Self, JitPrefixError> {
        let prefix = raw.trim();
        if prefix.is_empty() || prefix.chars().count() > Self::MAX_CHARS {
            return Err(JitPrefixError::Length);
        }
        if !prefix.starts_with(|first: char| first.is_ascii_lowercase()) {
            return Err(JitPrefixError::FirstCharacter);
        }
        if !prefix
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.'))
        {
            return Err(JitPrefixError::Character);
        }
        Ok(Self(prefix.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The just-in-time username for `email`: the prefix and the address's local part
    /// (`alex@acme.com` → `msp-alex`).
    pub fn username_for(&self, email: &Email) -> String {
        let local = email
            .as_str()
            .split_once('@')
            .map_or(email.as_str(), |(local, _)| local);
        format!("{}{local}", self.0)
    }
}

impl Default for JitPrefix {
    fn default() -> Self {
        Self(Self::DEFAULT.to_owned())
    }
}

/// What the directory says of a domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DomainFacts {
    pub verified: bool,
    pub federated: bool,
}

/// Why a domain cannot be the onboarding domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum OnboardingDomainRefusal {
    #[error("the domain is not verified in your Entra directory")]
    Unverified,
    #[error(
        "the domain is federated: its users sign in through another identity provider, so Entra cannot say whether they exist and are enabled"
    )]
    Federated,
    #[error("your Entra directory has no such domain")]
    Unknown,
}

/// Only a verified domain that Entra manages itself can be the onboarding domain.
pub fn onboarding_domain_refusal(facts: Option<DomainFacts>) -> Option<OnboardingDomainRefusal> {
    match facts {
        None => Some(OnboardingDomainRefusal::Unknown),
        Some(DomainFacts {
            federated: true, ..
        }) => Some(OnboardingDomainRefusal::Federated),
        Some(DomainFacts {
            verified: false, ..
        }) => Some(OnboardingDomainRefusal::Unverified),
        Some(_) => None,
    }
}

/// The most users a tenant may have when it switches its user source to Entra: the admin doing
/// it. Everyone else is onboarded from the directory afterwards.
pub const MAX_USERS_TO_SWITCH_SOURCE: u64 = 1;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_username_is_the_prefix_and_the_local_part() {
        let email = Email::parse("Alex@Acme.com").unwrap();
        assert_eq!(JitPrefix::default().username_for(&email), "msp-alex");
        assert_eq!(
            JitPrefix::parse("jit.").unwrap().username_for(&email),
            "jit.alex"
        );
    }

    #[test]
    fn a_prefix_is_short_lower_case_and_starts_with_a_letter() {
        assert_eq!(JitPrefix::parse(" msp- ").unwrap().as_str(), "msp-");
        assert_eq!(JitPrefix::parse(""), Err(JitPrefixError::Length));
        assert_eq!(
            JitPrefix::parse(&"a".repeat(21)),
            Err(JitPrefixError::Length)
        );
        assert_eq!(
            JitPrefix::parse("1msp"),
            Err(JitPrefixError::FirstCharacter)
        );
        assert_eq!(
            JitPrefix::parse("-msp"),
            Err(JitPrefixError::FirstCharacter)
        );
        assert_eq!(
            JitPrefix::parse("MSP-"),
            Err(JitPrefixError::FirstCharacter)
        );
        assert_eq!(JitPrefix::parse("msp@"), Err(JitPrefixError::Character));
        assert_eq!(JitPrefix::parse("ms p"), Err(JitPrefixError::Character));
    }

    #[test]
    fn only_a_verified_managed_domain_onboards() {
        let facts = |verified, federated| {
            Some(DomainFacts {
                verified,
                federated,
            })
        };
        assert_eq!(onboarding_domain_refusal(facts(true, false)), None);
        assert_eq!(
            onboarding_domain_refusal(facts(true, true)),
            Some(OnboardingDomainRefusal::Federated)
        );
        assert_eq!(
            onboarding_domain_refusal(facts(false, false)),
            Some(OnboardingDomainRefusal::Unverified)
        );
        assert_eq!(
            onboarding_domain_refusal(None),
            Some(OnboardingDomainRefusal::Unknown)
        );
    }
}
