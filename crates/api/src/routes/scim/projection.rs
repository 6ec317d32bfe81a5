//! `attributes` and `excludedAttributes` (RFC 7644 §3.9): which attributes of a resource are
//! returned. `id` and `schemas` always are.

use serde_json::{Map, Value};

use super::USER_SCHEMA;

/// The attributes asked for, as given in a query (comma-separated) or a SearchRequest (a list).
#[derive(Debug, Default, Clone)]
pub struct Projection {
    only: Vec<String>,
    excluded: Vec<String>,
}

fn names<'a>(raw: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    raw.into_iter()
        .flat_map(|list| list.split(','))
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(|name| {
            // A name may carry the core schema's URN: `urn:…:core:2.0:User:userName`.
            let prefix = format!("{USER_SCHEMA}:");
            match name.get(..prefix.len()) {
                Some(head) if head.eq_ignore_ascii_case(&prefix) => name[prefix.len()..].to_owned(),
                _ => name.to_owned(),
            }
        })
        .collect()
}

impl Projection {
    pub fn new<'a>(
        only: impl IntoIterator<Item = &'a str>,
        excluded: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        Self {
            only: names(only),
            excluded: names(excluded),
        }
    }

    pub fn apply(&self, resource: Value) -> Value {
        let Value::Object(mut attributes) = resource else {
            return resource;
        };
        if !self.only.is_empty() {
            let mut kept = Map::new();
            for (key, value) in attributes {
                if key == "id" || key == "schemas" {
                    kept.insert(key, value);
                    continue;
                }
                if let Some(value) = self.selected(&key, value) {
                    kept.insert(key, value);
                }
            }
            attributes = kept;
        }
        for name in &self.excluded {
            let (head, sub) = match name.split_once('.') {
                Some((head, sub)) => (head, Some(sub)),
                None => (name.as_str(), None),
            };
            if head.eq_ignore_ascii_case("id") || head.eq_ignore_ascii_case("schemas") {
                continue;
            }
            let key = attributes
                .keys()
                .find(|key| key.eq_ignore_ascii_case(head))
                .cloned();
            let Some(key) = key else { continue };
            match (sub, attributes.get_mut(&key)) {
                (None, _) => {
                    attributes.remove(&key);
                }
                (Some(sub), Some(Value::Object(inner))) => {
                    inner.retain(|name, _| !name.eq_ignore_ascii_case(sub));
                }
                (Some(sub), Some(Value::Array(items))) => {
                    for item in items.iter_mut().filter_map(Value::as_object_mut) {
                        item.retain(|name, _| !name.eq_ignore_ascii_case(sub));
                    }
                }
                (Some(_), _) => {}
            }
        }
        Value::Object(attributes)
    }

    /// `value` of attribute `key` as the `attributes` list selects it: whole, only some of its
    /// sub-attributes, or not at all.
    fn selected(&self, key: &str, value: Value) -> Option<Value> {
        let mut subs = Vec::new();
        for name in &self.only {
            match name.split_once('.') {
                None if name.eq_ignore_ascii_case(key) => return Some(value),
                Some((head, sub)) if head.eq_ignore_ascii_case(key) => subs.push(sub),
                _ => {}
            }
        }
        if subs.is_empty() {
            return None;
        }
        let keep = |object: &mut Map<String, Value>| {
            object.retain(|name, _| subs.iter().any(|sub| sub.eq_ignore_ascii_case(name)));
        };
        Some(match value {
            Value::Object(mut object) => {
                keep(&mut object);
                Value::Object(object)
            }
            Value::Array(mut items) => {
                for item in items.iter_mut().filter_map(Value::as_object_mut) {
                    keep(item);
                }
                Value::Array(items)
            }
            other => other,
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn attributes_keep_the_named_ones_with_id_and_excluded_attributes_drop_theirs() {
        let user = json!({"schemas": [USER_SCHEMA], "id": "1", "userName": "a@b.test",
            "externalId": "x", "name": {"givenName": "A", "familyName": "B"}});
        assert_eq!(
            Projection::new(["externalId,name.givenName"], []).apply(user.clone()),
            json!({"schemas": [USER_SCHEMA], "id": "1", "externalId": "x", "name": {"givenName": "A"}})
        );
        assert_eq!(
            Projection::new(
                [],
                [
                    "name",
                    "urn:ietf:params:scim:schemas:core:2.0:User:userName",
                    "id"
                ]
            )
            .apply(user),
            json!({"schemas": [USER_SCHEMA], "id": "1", "externalId": "x"})
        );
    }
}
