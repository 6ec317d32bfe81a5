/// An e-mail address, trimmed and lower-cased so that look-ups ignore case.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("an e-mail address is required")]
    Empty,
    #[error("this is not a valid e-mail address")]
    Invalid,
}

impl Email {
    pub fn parse(raw: &str) -> Result<Self, EmailError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(EmailError::Empty);
        }
        if !is_valid_address(trimmed) {
            return Err(EmailError::Invalid);
        }
        Ok(Self(trimmed.to_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part after the last `@`, lower-case.
    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map_or("", |(_, domain)| domain)
    }
}

/// RFC 5321/5322 syntax, everywhere the rules run.
fn is_valid_address(address: &str) -> bool {
    email_address::EmailAddress::is_valid(address) && server_side_check(address)
}

/// The server is stricter in rare cases (validator also checks internationalised domains); the
/// form then shows the server's 422 on the field, so nothing invalid is ever stored.
#[cfg(not(target_arch = "wasm32"))]
fn server_side_check(address: &str) -> bool {
    use validator::ValidateEmail;
    address.validate_email()
}

#[cfg(target_arch = "wasm32")]
fn server_side_check(_address: &str) -> bool {
    true
}

impl std::fmt::Display for Email {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_trimmed_and_lower_cased() {
        let email = Email::parse("  Admin@Demo-Reseller.TEST ").unwrap();
        assert_eq!(email.as_str(), "admin@demo-reseller.test");
    }

    #[test]
    fn the_domain_is_what_follows_the_last_at_sign() {
        let email = Email::parse("Sam.Rivera@Mail.Acme.Example").unwrap();
        assert_eq!(email.domain(), "mail.acme.example");
    }

    #[test]
    fn malformed_addresses_are_rejected_with_the_reason() {
        let cases = [
            ("", EmailError::Empty),
            ("   ", EmailError::Empty),
            ("no-at-sign", EmailError::Invalid),
            ("two@@signs.test", EmailError::Invalid),
            ("@no-local.test", EmailError::Invalid),
            ("spaces in@x.test", EmailError::Invalid),
        ];
        for (raw, expected) in cases {
            assert_eq!(Email::parse(raw), Err(expected), "input {raw:?}");
        }
    }
}
