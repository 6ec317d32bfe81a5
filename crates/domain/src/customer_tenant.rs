//! A customer tenant's name (SPEC §15): the part of its address `<name>-<msp name>` that names
//! the customer. Lower-case letters, digits and hyphens, 3–63 characters, neither starting nor
//! ending with a hyphen (a DNS label's rules, as it becomes part of a host name); derived from the
//! customer's name at creation and unique within the MSP.

/// A customer tenant's name, as parsed or derived.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CustomerTenantName(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CustomerTenantNameError {
    #[error("a tenant name has {min} to {max} characters")]
    Length { min: usize, max: usize },
    #[error("a tenant name has only lower-case letters a–z, digits and hyphens")]
    Characters,
    #[error("a tenant name neither starts nor ends with a hyphen")]
    EdgeHyphen,
}

/// Letters that lose their accent (or are spelled out) in a tenant name.
const SPELLED: &[(char, &str)] = &[
    ('ä', "a"),
    ('à', "a"),
    ('á', "a"),
    ('â', "a"),
    ('ã', "a"),
    ('å', "a"),
    ('æ', "ae"),
    ('ç', "c"),
    ('è', "e"),
    ('é', "e"),
    ('ê', "e"),
    ('ë', "e"),
    ('ì', "i"),
    ('í', "i"),
    ('î', "i"),
    ('ï', "i"),
    ('ñ', "n"),
    ('ò', "o"),
    ('ó', "o"),
    ('ô', "o"),
    ('õ', "o"),
    ('ö', "o"),
    ('ø', "o"),
    ('œ', "oe"),
    ('ß', "ss"),
    ('ù', "u"),
    ('ú', "u"),
    ('û', "u"),
    ('ü', "u"),
    ('ý', "y"),
    ('ÿ', "y"),
    ('&', "and"),
];

impl CustomerTenantName {
    pub const MIN_CHARS: usize = 3;
    pub const MAX_CHARS: usize = 63;

    pub fn parse(raw: &str) -> Result<Self, CustomerTenantNameError> {
        let value = raw.trim();
        let length = value.chars().count();
        if !(Self::MIN_CHARS..=Self::MAX_CHARS).contains(&length) {
            return Err(CustomerTenantNameError::Length {
                min: Self::MIN_CHARS,
                max: Self::MAX_CHARS,
            });
        }
        if !value
            .bytes()
            .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-')
        {
            return Err(CustomerTenantNameError::Characters);
        }
        if value.starts_with('-') || value.ends_with('-') {
            return Err(CustomerTenantNameError::EdgeHyphen);
        }
        Ok(Self(value.to_owned()))
    }

    /// The name a customer called `customer_name` gets at creation: lower case, accents off,
    /// every other run of characters a hyphen, cut at 63 characters on a word boundary where
    /// one is near, padded with `-tenant` when shorter than 3.
    pub fn derive(customer_name: &str) -> Self {
        let mut slug = String::with_capacity(customer_name.len());
        for character in customer_name.chars().flat_map(char::to_lowercase) {
            let spelled = SPELLED
                .iter()
                .find(|(letter, _)| *letter == character)
                .map(|(_, spelled)| *spelled);
            match spelled {
                Some(spelled) => slug.push_str(spelled),
                None if character.is_ascii_alphanumeric() => slug.push(character),
                None if !slug.ends_with('-') => slug.push('-'),
                None => {}
            }
        }
        let mut slug = slug.trim_matches('-').to_owned();
        if slug.len() > Self::MAX_CHARS {
            let cut = &slug[..Self::MAX_CHARS];
            // A word boundary in the last third keeps whole words; else a hard cut.
            let keep = match cut.rfind('-') {
                Some(boundary) if boundary >= Self::MAX_CHARS * 2 / 3 => boundary,
                _ => Self::MAX_CHARS,
            };
            slug = cut[..keep].trim_end_matches('-').to_owned();
        }
        if slug.len() < Self::MIN_CHARS {
            slug = if slug.is_empty() {
                "tenant".to_owned()
            } else {
                format!("{slug}-tenant")
            };
        }
        Self(slug)
    }

    /// The `n`th alternative when this name is taken in the MSP (`contoso-2`, `contoso-3`, …),
    /// shortened to keep within 63 characters.
    pub fn with_suffix(&self, n: u32) -> Self {
        let suffix = format!("-{n}");
        let room = Self::MAX_CHARS - suffix.len();
        let stem = if self.0.len() > room {
            self.0[..room].trim_end_matches('-')
        } else {
            self.0.as_str()
        };
        Self(format!("{stem}{suffix}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// How a customer tenant is shown to technicians: 1–200 characters once trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerDisplayName(String);

impl CustomerDisplayName {
    pub const MAX_CHARS: usize = 200;

    pub fn parse(raw: &str) -> Result<Self, crate::TextError> {
        let value = raw.trim();
        if value.is_empty() {
            return Err(crate::TextError::Empty);
        }
        if value.chars().count() > Self::MAX_CHARS {
            return Err(crate::TextError::TooLong {
                max: Self::MAX_CHARS,
            });
        }
        Ok(Self(value.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_derived_from_the_customers_name() {
        for (customer, derived) in [
            ("Contoso Ltd", "contoso-ltd"),
            ("  Northern Dental Ltd.  ", "northern-dental-ltd"),
            ("Ashworth & Kingsley LLP", "ashworth-and-kingsley-llp"),
            ("Müller Bäckerei GmbH", "muller-backerei-gmbh"),
            ("Straße 42 — Café", "strasse-42-cafe"),
            ("AB", "ab-tenant"),
            ("日本", "tenant"),
            ("--X--", "x-tenant"),
        ] {
            assert_eq!(
                CustomerTenantName::derive(customer).as_str(),
                derived,
                "{customer}"
            );
        }
    }

    #[test]
    fn every_derived_name_parses() {
        let long = "Extraordinarily Long Company Name Holdings International Limited Partnership";
        for customer in ["Contoso Ltd", "x", "", long, "Ωmega", &"a".repeat(200)] {
            let derived = CustomerTenantName::derive(customer);
            assert_eq!(
                CustomerTenantName::parse(derived.as_str()).as_ref(),
                Ok(&derived),
                "{customer}"
            );
        }
    }

    #[test]
    fn a_long_name_is_cut_on_a_word_boundary_near_the_end() {
        let long = "Extraordinarily Long Company Name Holdings International Limited Partnership";
        let derived = CustomerTenantName::derive(long);
        assert_eq!(
            derived.as_str(),
            "extraordinarily-long-company-name-holdings-international"
        );
        assert_eq!(
            CustomerTenantName::derive(&"a".repeat(80)).as_str().len(),
            63
        );
    }

    #[test]
    fn a_taken_name_gets_a_numbered_alternative_within_the_limit() {
        let name = CustomerTenantName::derive("Contoso Ltd");
        assert_eq!(name.with_suffix(2).as_str(), "contoso-ltd-2");
        let long = CustomerTenantName::derive(&"b".repeat(63));
        let alternative = long.with_suffix(12);
        assert_eq!(alternative.as_str().len(), 63);
        assert!(alternative.as_str().ends_with("b-12"));
        assert!(CustomerTenantName::parse(alternative.as_str()).is_ok());
    }

    #[test]
    fn a_display_name_is_one_to_two_hundred_characters() {
        assert_eq!(
            CustomerDisplayName::parse(" Contoso (East) ")
                .unwrap()
                .as_str(),
            "Contoso (East)"
        );
        assert!(CustomerDisplayName::parse("  ").is_err());
        assert!(CustomerDisplayName::parse(&"é".repeat(201)).is_err());
        assert!(CustomerDisplayName::parse(&"é".repeat(200)).is_ok());
    }

    #[test]
    fn a_typed_name_must_follow_the_rules() {
        assert_eq!(
            CustomerTenantName::parse(" contoso-east ")
                .unwrap()
                .as_str(),
            "contoso-east"
        );
        for (raw, error) in [
            ("ab", CustomerTenantNameError::Length { min: 3, max: 63 }),
            (
                &"a".repeat(64),
                CustomerTenantNameError::Length { min: 3, max: 63 },
            ),
            ("Contoso", CustomerTenantNameError::Characters),
            ("con toso", CustomerTenantNameError::Characters),
            ("contoso_1", CustomerTenantNameError::Characters),
            ("-contoso", CustomerTenantNameError::EdgeHyphen),
            ("contoso-", CustomerTenantNameError::EdgeHyphen),
        ] {
            assert_eq!(CustomerTenantName::parse(raw), Err(error), "{raw}");
        }
    }
}
