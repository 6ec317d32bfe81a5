//! Whole numbers as JSON Schema means them.
//!
//! JSON Schema's `integer` is any number with a zero fractional part, so `25.0` is as much an
//! integer as `25`, and some JSON libraries write every number with a fraction. serde's integer
//! parsing refuses `25.0`, which made the server reject requests the OpenAPI document allows.
//! The request fields the document types as `integer` read through these helpers: an integer, or a
//! float with a zero fraction, in the range of the Rust type; anything else is a serde error that
//! names the value and what was expected. What is written back is unchanged (always `25`).
//!
//! ```
//! #[derive(serde::Deserialize)]
//! struct Body {
//!     #[serde(deserialize_with = "msp_proto::whole_number::deserialize")]
//!     seats: u32,
//! }
//! let body: Body = serde_json::from_str(r#"{"seats": 25.0}"#).unwrap();
//! assert_eq!(body.seats, 25);
//! ```

use std::{fmt, marker::PhantomData};

use serde::de::{self, Deserialize, Deserializer, Unexpected, Visitor};

/// The integer types a whole number can be read into.
pub trait WholeNumber: Sized + TryFrom<i128> {
    const MIN: i128;
    const MAX: i128;
}

macro_rules! whole_number {
    ($($int:ty),*) => {
        $(
            impl WholeNumber for $int {
                const MIN: i128 = <$int>::MIN as i128;
                const MAX: i128 = <$int>::MAX as i128;
            }
        )*
    };
}

whole_number!(u8, u16, u32, u64, i8, i16, i32, i64);

/// A `T` read from an integer or from a float with a zero fraction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Whole<T>(pub T);

impl<'de, T: WholeNumber> Deserialize<'de> for Whole<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_any(WholeVisitor(PhantomData))
            .map(Whole)
    }
}

struct WholeVisitor<T>(PhantomData<T>);

impl<T: WholeNumber> WholeVisitor<T> {
    fn checked<E: de::Error>(&self, value: i128, unexpected: Unexpected<'_>) -> Result<T, E> {
        T::try_from(value).map_err(|_| E::invalid_value(unexpected, self))
    }
}

impl<T: WholeNumber> Visitor<'_> for WholeVisitor<T> {
    type Value = T;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "a whole number from {} to {} (such as 25 or 25.0)",
            T::MIN,
            T::MAX
        )
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<T, E> {
        self.checked(i128::from(value), Unexpected::Signed(value))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<T, E> {
        self.checked(i128::from(value), Unexpected::Unsigned(value))
    }

    fn visit_i128<E: de::Error>(self, value: i128) -> Result<T, E> {
        self.checked(value, Unexpected::Other("a 128-bit integer"))
    }

    fn visit_u128<E: de::Error>(self, value: u128) -> Result<T, E> {
        let value = i128::try_from(value)
            .map_err(|_| E::invalid_value(Unexpected::Other("a 128-bit integer"), &self))?;
        self.checked(value, Unexpected::Other("a 128-bit integer"))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<T, E> {
        // Every whole f64 within the target range converts exactly: the bounds of a 64-bit type
        // are far inside i128, and `as` saturates anything beyond them, which the range check
        // then refuses.
        if !value.is_finite() || value.fract() != 0.0 {
            return Err(E::invalid_value(Unexpected::Float(value), &self));
        }
        let whole = value as i128;
        self.checked(whole, Unexpected::Float(value))
    }
}

/// `#[serde(deserialize_with = "whole_number::deserialize")]` on an integer field.
pub fn deserialize<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: WholeNumber,
{
    Whole::<T>::deserialize(deserializer).map(|whole| whole.0)
}

/// `#[serde(default, deserialize_with = "whole_number::option")]` on an `Option` of an integer:
/// `null` (or, with `default`, a missing field) is `None`.
pub fn option<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: WholeNumber,
{
    Option::<Whole<T>>::deserialize(deserializer).map(|value| value.map(|whole| whole.0))
}

/// `#[serde(deserialize_with = "whole_number::vec")]` on a `Vec` of integers.
pub fn vec<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: WholeNumber,
{
    Vec::<Whole<T>>::deserialize(deserializer)
        .map(|values| values.into_iter().map(|whole| whole.0).collect())
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Body {
        #[serde(deserialize_with = "super::deserialize")]
        step: u8,
        #[serde(default, deserialize_with = "super::option")]
        seats: Option<i64>,
        #[serde(default, deserialize_with = "super::vec")]
        history: Vec<u8>,
    }

    fn parse(json: &str) -> Result<Body, String> {
        serde_json::from_str(json).map_err(|error| error.to_string())
    }

    /// The server reads bodies through `serde_json::Value` first (`JsonObject`): the same rules
    /// must hold on that path.
    fn parse_value(json: &str) -> Result<Body, String> {
        let value: serde_json::Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
        serde_json::from_value(value).map_err(|error| error.to_string())
    }

    #[test]
    fn an_integral_float_is_the_integer() {
        for read in [parse, parse_value] {
            assert_eq!(
                read(r#"{"step": 25.0, "seats": 25.0, "history": [1.0, 2, 3e0]}"#),
                Ok(Body {
                    step: 25,
                    seats: Some(25),
                    history: vec![1, 2, 3],
                })
            );
            assert_eq!(
                read(r#"{"step": 25, "seats": -0.0}"#),
                Ok(Body {
                    step: 25,
                    seats: Some(0),
                    history: vec![],
                })
            );
            assert_eq!(
                read(r#"{"step": 1, "seats": null}"#).map(|body| body.seats),
                Ok(None)
            );
        }
    }

    #[test]
    fn a_fraction_is_refused_with_a_clear_message() {
        for read in [parse, parse_value] {
            let error = read(r#"{"step": 25.5}"#).unwrap_err();
            assert!(
                error.starts_with(
                    "invalid value: floating point `25.5`, expected a whole number from 0 to 255 (such as 25 or 25.0)"
                ),
                "{error}"
            );
            let error = read(r#"{"step": 1, "seats": 0.25}"#).unwrap_err();
            assert!(error.contains("floating point `0.25`"), "{error}");
        }
    }

    #[test]
    fn out_of_range_values_are_refused_with_the_range() {
        for read in [parse, parse_value] {
            for json in [
                r#"{"step": 256}"#,
                r#"{"step": 256.0}"#,
                r#"{"step": -1}"#,
                r#"{"step": -1.0}"#,
                r#"{"step": 1, "history": [300]}"#,
            ] {
                let error = read(json).unwrap_err();
                assert!(
                    error.contains("expected a whole number from 0 to 255"),
                    "{json}: {error}"
                );
            }
            let error = read(r#"{"step": 1, "seats": 1e19}"#).unwrap_err();
            assert!(
                error.contains(
                    "expected a whole number from -9223372036854775808 to 9223372036854775807"
                ),
                "{error}"
            );
            let error = read(r#"{"step": 1, "seats": 1e300}"#).unwrap_err();
            assert!(error.contains("floating point"), "{error}");
        }
    }

    #[test]
    fn anything_but_a_number_is_refused() {
        for read in [parse, parse_value] {
            for (json, found) in [
                (r#"{"step": "25"}"#, "invalid type: string \"25\""),
                (r#"{"step": true}"#, "invalid type: boolean `true`"),
                (r#"{"step": null}"#, "invalid type: null"),
                (r#"{"step": [25]}"#, "invalid type: sequence"),
            ] {
                let error = read(json).unwrap_err();
                assert!(
                    error.starts_with(found) && error.contains("expected a whole number"),
                    "{json}: {error}"
                );
            }
        }
    }
}
