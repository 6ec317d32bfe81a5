//! Reads an answer, once parsed into a `serde_json::Value`, into the wire type the caller expects.
//!
//! serde_json's own `Value` deserializer would do, but it costs the web app more than it needs:
//! every mismatch builds an error message (with float formatting and the `expecting` text of each
//! type), which the app drops anyway since any unreadable answer is one `ApiFailure::Unreadable`;
//! and it lets a struct be read from an array too, which compiles a second reader per answer type
//! for a form the API never writes. This one reads what serde_json writes (structs as objects,
//! unit enum variants as strings) and fails without a message.

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess,
    Visitor,
};
use serde_json::{Map, Value};

/// An answer that is not the expected type; what exactly was wrong is not kept.
#[derive(Debug)]
pub struct Unreadable;

impl std::fmt::Display for Unreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("unreadable answer")
    }
}

impl std::error::Error for Unreadable {}

impl de::Error for Unreadable {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Unreadable
    }
}

pub fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, Unreadable> {
    T::deserialize(Json(value))
}

struct Json(Value);

impl<'de> Deserializer<'de> for Json {
    type Error = Unreadable;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unreadable> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            Value::Bool(value) => visitor.visit_bool(value),
            // The same order as serde_json: a positive integer, a negative one, else a float.
            Value::Number(number) => match (number.as_u64(), number.as_i64(), number.as_f64()) {
                (Some(value), _, _) => visitor.visit_u64(value),
                (None, Some(value), _) => visitor.visit_i64(value),
                (None, None, Some(value)) => visitor.visit_f64(value),
                (None, None, None) => Err(Unreadable),
            },
            Value::String(value) => visitor.visit_string(value),
            Value::Array(items) => {
                let mut items = Items(items.into_iter());
                let value = visitor.visit_seq(&mut items)?;
                if items.0.len() == 0 {
                    Ok(value)
                } else {
                    Err(Unreadable)
                }
            }
            Value::Object(entries) => visit_object(entries, visitor),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unreadable> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            value => visitor.visit_some(Json(value)),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Unreadable> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unreadable> {
        match self.0 {
            Value::Object(entries) => visit_object(entries, visitor),
            _ => Err(Unreadable),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Unreadable> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Unreadable> {
        match self.0 {
            Value::String(variant) => {
                visitor.visit_enum(IntoDeserializer::<Unreadable>::into_deserializer(variant))
            }
            _ => Err(Unreadable),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit
        unit_struct seq tuple tuple_struct identifier ignored_any
    }
}

fn visit_object<'de, V: Visitor<'de>>(
    entries: Map<String, Value>,
    visitor: V,
) -> Result<V::Value, Unreadable> {
    let mut entries = Entries {
        entries: entries.into_iter(),
        value: None,
    };
    let value = visitor.visit_map(&mut entries)?;
    if entries.entries.len() == 0 {
        Ok(value)
    } else {
        Err(Unreadable)
    }
}

struct Items(std::vec::IntoIter<Value>);

impl<'de> SeqAccess<'de> for Items {
    type Error = Unreadable;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Unreadable> {
        self.0
            .next()
            .map(|item| seed.deserialize(Json(item)))
            .transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct Entries {
    entries: serde_json::map::IntoIter,
    value: Option<Value>,
}

impl<'de> MapAccess<'de> for Entries {
    type Error = Unreadable;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Unreadable> {
        let Some((key, value)) = self.entries.next() else {
            return Ok(None);
        };
        self.value = Some(value);
        seed.deserialize(IntoDeserializer::<Unreadable>::into_deserializer(key))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Unreadable> {
        match self.value.take() {
            Some(value) => seed.deserialize(Json(value)),
            None => Err(Unreadable),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

#[cfg(test)]
mod tests {
    use proto::{CreatedApiToken, LoginAnswer, Page, Role, User};
    use serde_json::json;

    use super::*;

    /// What serde_json reads into a wire type reads the same here, and what it refuses is
    /// refused here too.
    fn same_as_serde_json<T: DeserializeOwned + PartialEq + std::fmt::Debug>(value: Value) -> bool {
        let ours = from_value::<T>(value.clone()).ok();
        let theirs = serde_json::from_value::<T>(value.clone()).ok();
        assert_eq!(ours, theirs, "{value}");
        ours.is_some()
    }

    #[test]
    fn reads_what_serde_json_reads() {
        let user = json!({
            "id": "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
            "email": "a@b.test",
            "display_name": "A",
            "role": "admin",
            "claims": ["view_customers", "create_customer"],
            "use_mfa": false,
            "allow_ui_access": true,
            "active": true,
            "source": "scim",
            "mfa_enrolled": false,
            "invitation_pending": false,
            "last_sign_in_at": null,
            "created_at": "2026-11-30T12:34:56.123456Z",
            "external_id": "x",
            "provisioned_at": "2026-11-30T12:34:56+01:00",
        });
        let token = json!({
            "id": "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
            "user_id": "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
            "user_email": "a@b.test",
            "name": "ci",
            "prefix": "msp_",
            "created_at": "2026-11-30T12:34:56Z",
            "last_used_at": null,
            "revoked_at": null,
            "token": "msp_secret",
        });
        let read = [
            same_as_serde_json::<Page<User>>(json!({"items": [user.clone()], "total": 1})),
            same_as_serde_json::<Page<User>>(json!({"items": [], "total": 3.0})),
            same_as_serde_json::<Page<User>>(json!({"items": [], "total": -1})),
            same_as_serde_json::<Page<User>>(json!({"items": [], "total": 1.5})),
            same_as_serde_json::<Page<User>>(json!({"items": []})),
            same_as_serde_json::<Page<User>>(json!({"items": [{"id": 1}], "total": 1})),
            same_as_serde_json::<CreatedApiToken>(token),
            same_as_serde_json::<Role>(json!("technician")),
            same_as_serde_json::<Role>(json!("owner")),
            same_as_serde_json::<Option<Role>>(json!(null)),
            same_as_serde_json::<LoginAnswer>(json!({
                "mfa_required": true,
                "mfa_token": "t",
                "methods": ["totp", "duo"],
            })),
            same_as_serde_json::<LoginAnswer>(json!({
                "access_token": "a",
                "token_type": "Bearer",
                "expires_in": 5,
            })),
            same_as_serde_json::<LoginAnswer>(json!({"expires_in": 5})),
            same_as_serde_json::<Value>(json!({"a": [1, -2, 3.5, "x", null, true, {"b": {}}]})),
            same_as_serde_json::<(u8, u8)>(json!([1, 2])),
            same_as_serde_json::<(u8, u8)>(json!([1, 2, 3])),
        ];
        assert_eq!(
            read,
            [
                true, false, false, false, false, false, true, true, false, true, true, true,
                false, true, true, false
            ]
        );
    }

    /// serde_json would read a struct from an array of its fields; no API answer is written so.
    #[test]
    fn a_struct_is_only_read_from_an_object() {
        assert!(from_value::<Page<User>>(json!([[], 0])).is_err());
        assert!(serde_json::from_value::<Page<User>>(json!([[], 0])).is_ok());
    }
}
