//! The password of a just-in-time admin account: 20 characters drawn by the operating system's
//! random number generator, at least one of each of Entra's four kinds, shown once to the
//! technician. It lives here rather than in `domain`, which stays free of I/O and builds for
//! wasm32, where the operating system's generator is not at hand.

/// Letters and digits that cannot be mistaken for one another when read off a screen.
const LOWER: &[u8] = b"abcdefghijkmnopqrstuvwxyz";
const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
const DIGITS: &[u8] = b"23456789";
/// Symbols Entra accepts that need no quoting when pasted into a shell or a sign-in form.
const SYMBOLS: &[u8] = b"!#$%&*+-=?@^_";

const LENGTH: usize = 20;

/// A password for a new account. Its `Debug` is redacted; it has no `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct AccountPassword(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the operating system's random number generator failed")]
pub struct RandomnessUnavailable;

impl AccountPassword {
    /// A fresh random password that meets Entra's complexity rule.
    pub fn generate() -> Result<Self, RandomnessUnavailable> {
        Self::generate_with(|bytes| getrandom::fill(bytes).map_err(|_| RandomnessUnavailable))
    }

    /// A password chosen elsewhere; Entra may refuse it
    /// ([`CustomerDirectoryError::PasswordRefused`](crate::CustomerDirectoryError::PasswordRefused)).
    pub fn new(password: String) -> Self {
        Self(password)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    fn generate_with(
        mut fill: impl FnMut(&mut [u8]) -> Result<(), RandomnessUnavailable>,
    ) -> Result<Self, RandomnessUnavailable> {
        let mut below = |bound: usize| uniform_below(bound, &mut fill);
        let everything: Vec<u8> = [LOWER, UPPER, DIGITS, SYMBOLS].concat();
        let mut characters = Vec::with_capacity(LENGTH);
        for kind in [LOWER, UPPER, DIGITS, SYMBOLS] {
            characters.push(kind[below(kind.len())?]);
        }
        while characters.len() < LENGTH {
            characters.push(everything[below(everything.len())?]);
        }
        // Fisher–Yates, so that the guaranteed kinds do not always lead.
        for last in (1..characters.len()).rev() {
            characters.swap(last, below(last + 1)?);
        }
        Ok(Self(characters.into_iter().map(char::from).collect()))
    }
}

/// A number in `0..bound` without modulo bias: draws falling in the incomplete last round of
/// `bound`s are drawn again.
fn uniform_below(
    bound: usize,
    fill: &mut impl FnMut(&mut [u8]) -> Result<(), RandomnessUnavailable>,
) -> Result<usize, RandomnessUnavailable> {
    let bound = u32::try_from(bound.max(1)).unwrap_or(u32::MAX);
    let limit = u32::MAX - u32::MAX % bound;
    loop {
        let mut bytes = [0u8; 4];
        fill(&mut bytes)?;
        let drawn = u32::from_le_bytes(bytes);
        if drawn < limit {
            return usize::try_from(drawn % bound).map_err(|_| RandomnessUnavailable);
        }
    }
}

impl std::fmt::Debug for AccountPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AccountPassword(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Entra's rule for cloud users as the fake Graph checks it: 8 to 256 characters of letters,
    /// digits and Entra's symbols, and at least three of the four kinds.
    fn entra_accepts(password: &str) -> bool {
        const ENTRA_SYMBOLS: &str = "@#$%^&*-_!+=[]{}|\\:',.?/`~\"();<> ";
        let length = password.chars().count();
        let allowed = password
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ENTRA_SYMBOLS.contains(c));
        let kinds = [
            password.chars().any(|c| c.is_ascii_lowercase()),
            password.chars().any(|c| c.is_ascii_uppercase()),
            password.chars().any(|c| c.is_ascii_digit()),
            password.chars().any(|c| ENTRA_SYMBOLS.contains(c)),
        ];
        (8..=256).contains(&length) && allowed && kinds.iter().filter(|k| **k).count() >= 3
    }

    #[test]
    fn a_generated_password_has_twenty_characters_of_all_four_kinds_that_entra_accepts() {
        for _ in 0..500 {
            let password = AccountPassword::generate().unwrap();
            let text = password.expose();
            assert_eq!(text.chars().count(), LENGTH, "{text}");
            for kind in [LOWER, UPPER, DIGITS, SYMBOLS] {
                assert!(text.bytes().any(|b| kind.contains(&b)), "{text}");
            }
            assert!(entra_accepts(text), "{text}");
        }
    }

    #[test]
    fn generated_passwords_differ_and_use_the_whole_alphabet() {
        let passwords: std::collections::HashSet<String> = (0..200)
            .map(|_| AccountPassword::generate().unwrap().expose().to_owned())
            .collect();
        assert_eq!(passwords.len(), 200);
        let seen: std::collections::HashSet<u8> =
            passwords.iter().flat_map(|p| p.bytes()).collect();
        let alphabet = LOWER.len() + UPPER.len() + DIGITS.len() + SYMBOLS.len();
        assert_eq!(seen.len(), alphabet);
    }

    #[test]
    fn the_rule_in_these_tests_refuses_what_entra_refuses() {
        for (password, accepted) in [
            ("Passw0rd", true),
            ("Sh0rt!", false),
            ("alllowercase1", false),
            ("Pässw0rd!", false),
        ] {
            assert_eq!(entra_accepts(password), accepted, "{password}");
        }
    }

    #[test]
    fn a_failing_random_source_is_reported_not_papered_over() {
        let failed = AccountPassword::generate_with(|_| Err(RandomnessUnavailable));
        assert_eq!(failed, Err(RandomnessUnavailable));
    }

    #[test]
    fn draws_in_the_biased_tail_are_drawn_again() {
        // u32::MAX itself lies in the incomplete last round for a bound of 10.
        let mut draws = [u32::MAX, 7].into_iter();
        let mut fill = |bytes: &mut [u8]| {
            bytes.copy_from_slice(&draws.next().unwrap().to_le_bytes());
            Ok(())
        };
        assert_eq!(uniform_below(10, &mut fill), Ok(7));
    }

    #[test]
    fn a_passwords_debug_shows_no_character_of_it() {
        let password = AccountPassword::new("Xq7!rV2m#Lp9Tz4k".to_owned());
        assert_eq!(format!("{password:?}"), "AccountPassword(<redacted>)");
    }
}
