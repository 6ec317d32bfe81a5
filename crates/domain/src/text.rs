//! Bounded, trimmed names and the password policy.

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("this field cannot be empty")]
    Empty,
    #[error("at most {max} characters are allowed")]
    TooLong { max: usize },
    #[error("at least {min} characters are required")]
    TooShort { min: usize },
    #[error("the characters / \\ and + are not allowed")]
    ForbiddenCharacter,
}

fn bounded(raw: &str, max: usize) -> Result<String, TextError> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(TextError::Empty);
    }
    if trimmed.chars().count() > max {
        return Err(TextError::TooLong { max });
    }
    Ok(trimmed.to_owned())
}

/// A tenant's display name: trimmed, 1–100 characters, none of `/`, `\` or `+` (SPEC §7).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantName(String);

impl TenantName {
    pub const MAX_CHARS: usize = 100;

    pub fn parse(raw: &str) -> Result<Self, TextError> {
        let name = bounded(raw, Self::MAX_CHARS)?;
        if name.contains(['/', '\\', '+']) {
            return Err(TextError::ForbiddenCharacter);
        }
        Ok(Self(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The form in which names are compared: uniqueness ignores case.
    pub fn key(&self) -> String {
        self.0.to_lowercase()
    }
}

/// A Windows group policy's name: trimmed, 1–100 characters (SPEC §3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupPolicyName(String);

impl GroupPolicyName {
    pub fn parse(raw: &str) -> Result<Self, TextError> {
        bounded(raw, 100).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The form in which names are compared: uniqueness ignores case.
    pub fn key(&self) -> String {
        self.0.to_lowercase()
    }
}

/// A technician group's name (SPEC §15, e.g. "Level 1 techs"): trimmed, 1–100 characters,
/// unique in its tenant ignoring case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TechnicianGroupName(String);

impl TechnicianGroupName {
    pub fn parse(raw: &str) -> Result<Self, TextError> {
        bounded(raw, 100).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The form in which names are compared: uniqueness ignores case.
    pub fn key(&self) -> String {
        self.0.to_lowercase()
    }
}

/// The label of an API token: trimmed, 1–100 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiTokenName(String);

impl ApiTokenName {
    pub fn parse(raw: &str) -> Result<Self, TextError> {
        bounded(raw, 100).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A password chosen for a new account: 12–1 024 characters (long enough to resist guessing,
/// bounded so hashing cannot be made expensive). Its `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl NewPassword {
    pub const MIN_CHARS: usize = 12;
    pub const MAX_CHARS: usize = 1024;

    pub fn parse(raw: &str) -> Result<Self, TextError> {
        if raw.is_empty() {
            return Err(TextError::Empty);
        }
        let chars = raw.chars().count();
        if chars < Self::MIN_CHARS {
            return Err(TextError::TooShort {
                min: Self::MIN_CHARS,
            });
        }
        if chars > Self::MAX_CHARS {
            return Err(TextError::TooLong {
                max: Self::MAX_CHARS,
            });
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tenant_names_are_trimmed_and_bounded() {
        assert_eq!(
            TenantName::parse("  Contoso Ltd ").unwrap().as_str(),
            "Contoso Ltd"
        );
        assert_eq!(
            TenantName::parse(&"a".repeat(100)).unwrap().as_str().len(),
            100
        );
        let cases = [
            ("", TextError::Empty),
            ("   ", TextError::Empty),
            (&*"a".repeat(101), TextError::TooLong { max: 100 }),
            ("A/B", TextError::ForbiddenCharacter),
            ("A\\B", TextError::ForbiddenCharacter),
            ("A+B", TextError::ForbiddenCharacter),
        ];
        for (raw, expected) in cases {
            assert_eq!(TenantName::parse(raw), Err(expected), "input {raw:?}");
        }
    }

    #[test]
    fn names_compare_ignoring_case() {
        assert_eq!(
            TenantName::parse(" Contoso LTD ").unwrap().key(),
            "contoso ltd"
        );
        assert_eq!(
            GroupPolicyName::parse("Baseline Ä").unwrap().key(),
            "baseline ä"
        );
        assert_eq!(
            GroupPolicyName::parse(&"x".repeat(101)),
            Err(TextError::TooLong { max: 100 })
        );
        assert_eq!(GroupPolicyName::parse(" "), Err(TextError::Empty));
    }

    #[test]
    fn a_tenant_name_counts_characters_not_bytes() {
        assert!(TenantName::parse(&"é".repeat(100)).is_ok());
    }

    #[test]
    fn passwords_must_be_long_enough_and_never_show_in_debug() {
        assert_eq!(
            NewPassword::parse("short"),
            Err(TextError::TooShort { min: 12 })
        );
        assert_eq!(NewPassword::parse(""), Err(TextError::Empty));
        let password = NewPassword::parse("demo-password-1").unwrap();
        assert!(!format!("{password:?}").contains("demo-password-1"));
    }
}
