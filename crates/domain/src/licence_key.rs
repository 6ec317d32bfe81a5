//! Licence keys: 125 random bits written as five groups of five Crockford base-32 characters
//! (no I, L, O or U), so they can be read aloud and typed without confusion.

use chrono::{DateTime, Months, Utc};

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const GROUPS: usize = 5;
const GROUP_LEN: usize = 5;
const CHARS: usize = GROUPS * GROUP_LEN;

#[derive(Clone, PartialEq, Eq, Hash)]
pub struct LicenceKey(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LicenceKeyError {
    #[error("a licence key has 25 letters and digits, such as 7K3QX-M9D2P-…")]
    Malformed,
}

impl LicenceKey {
    /// Builds a key from 16 random bytes (the caller supplies the randomness; 125 bits are used).
    pub fn from_random_bytes(bytes: [u8; 16]) -> Self {
        let value = u128::from_be_bytes(bytes);
        let mut key = String::with_capacity(CHARS + GROUPS - 1);
        for index in 0..CHARS {
            if index > 0 && index % GROUP_LEN == 0 {
                key.push('-');
            }
            let digit = (value >> (5 * index)) & 0x1f;
            key.push(char::from(ALPHABET[digit as usize]));
        }
        Self(key)
    }

    /// Accepts what a person types: any case, with or without hyphens and spaces, and the
    /// look-alikes O (zero), I and L (one).
    pub fn parse(raw: &str) -> Result<Self, LicenceKeyError> {
        let mut canonical = String::with_capacity(CHARS);
        for character in raw
            .chars()
            .filter(|character| !matches!(character, '-' | ' '))
        {
            let upper = match character.to_ascii_uppercase() {
                'O' => '0',
                'I' | 'L' => '1',
                other => other,
            };
            if !upper.is_ascii() || !ALPHABET.contains(&(upper as u8)) {
                return Err(LicenceKeyError::Malformed);
            }
            canonical.push(upper);
        }
        if canonical.len() != CHARS {
            return Err(LicenceKeyError::Malformed);
        }
        let grouped = canonical
            .as_bytes()
            .chunks(GROUP_LEN)
            .map(|group| String::from_utf8_lossy(group).into_owned())
            .collect::<Vec<_>>()
            .join("-");
        Ok(Self(grouped))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A key expires one year after it was created; from 29 February that is 28 February.
    pub fn expiry_for(created_at: DateTime<Utc>) -> DateTime<Utc> {
        created_at
            .checked_add_months(Months::new(12))
            .unwrap_or(DateTime::<Utc>::MAX_UTC)
    }
}

impl std::fmt::Debug for LicenceKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // A key activates devices: show only its first group.
        write!(
            f,
            "LicenceKey({}-…)",
            &self.0[..GROUP_LEN.min(self.0.len())]
        )
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn a_key_is_five_typable_groups_of_five() {
        let key = LicenceKey::from_random_bytes([0xA5; 16]);
        let groups: Vec<&str> = key.as_str().split('-').collect();
        assert_eq!(groups.len(), 5);
        assert!(groups.iter().all(|group| group.len() == 5));
        assert!(
            key.as_str()
                .chars()
                .all(|character| character == '-' || ALPHABET.contains(&(character as u8)))
        );
        assert!(!key.as_str().contains(['I', 'L', 'O', 'U']));
    }

    #[test]
    fn different_randomness_gives_different_keys() {
        let first = LicenceKey::from_random_bytes([1; 16]);
        let second = LicenceKey::from_random_bytes([2; 16]);
        assert_ne!(first, second);
        // The lowest 125 bits all count: flipping the lowest bit changes the key.
        let mut bytes = [0u8; 16];
        bytes[15] = 1;
        assert_ne!(
            LicenceKey::from_random_bytes(bytes),
            LicenceKey::from_random_bytes([0; 16])
        );
    }

    #[test]
    fn a_typed_key_parses_to_its_canonical_form() {
        let key = LicenceKey::from_random_bytes([0x3C; 16]);
        let typed = key.as_str().to_lowercase().replace('-', " ");
        assert_eq!(LicenceKey::parse(&typed).unwrap(), key);
        assert_eq!(
            LicenceKey::parse("o1l0i-00000-00000-00000-00000")
                .unwrap()
                .as_str(),
            "01101-00000-00000-00000-00000"
        );
        for malformed in [
            "",
            "ABCDE",
            "UUUUU-00000-00000-00000-00000",
            "00000-00000-00000-00000-000000",
            "ÄBCDE-00000-00000-00000-00000",
        ] {
            assert_eq!(
                LicenceKey::parse(malformed),
                Err(LicenceKeyError::Malformed),
                "{malformed:?}"
            );
        }
    }

    #[test]
    fn a_key_expires_one_year_later_and_a_leap_day_maps_to_28_february() {
        let ordinary = Utc.with_ymd_and_hms(2026, 11, 23, 10, 30, 0).unwrap();
        assert_eq!(
            LicenceKey::expiry_for(ordinary),
            Utc.with_ymd_and_hms(2027, 11, 23, 10, 30, 0).unwrap()
        );
        let leap_day = Utc.with_ymd_and_hms(2028, 2, 29, 8, 0, 0).unwrap();
        assert_eq!(
            LicenceKey::expiry_for(leap_day),
            Utc.with_ymd_and_hms(2029, 2, 28, 8, 0, 0).unwrap()
        );
    }

    #[test]
    fn debug_output_does_not_reveal_the_key() {
        let key = LicenceKey::from_random_bytes([7; 16]);
        assert!(!format!("{key:?}").contains(&key.as_str()[6..]));
    }
}
