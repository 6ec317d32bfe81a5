//! SCIM PATCH (RFC 7644 §3.5.2) in both of Entra's dialects: operations applied to the user's
//! writable attributes as a JSON object, which is then read like a PUT body, so a patch obeys
//! every rule a replace does.
//!
//! Entra's default dialect capitalises `op` (`Replace`), sends `active` as `"False"`, and sets
//! roles through `roles[primary eq "True"].value`; with `?aadOptscim062020` it sends lower-case
//! ops and a path-less `replace` whose value holds several attributes keyed by path
//! (`"name.givenName"`). An `add` or `replace` through a value path that matches nothing adds
//! the value (Entra relies on it for a first role or work e-mail).

use scim_v2::filter::{AttrExp, AttrPath, CompValue, CompareOp, PatchPath, ValFilter};
use serde_json::{Map, Value};

use super::{
    USER_SCHEMA,
    error::{ScimError, ScimType},
    resource::{boolean, is_ignored},
};

/// The writable attributes of the User, as stored and returned.
const WRITABLE: &[&str] = &[
    "userName",
    "externalId",
    "displayName",
    "name",
    "emails",
    "roles",
    "active",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Add,
    Replace,
    Remove,
}

/// Most operations one PATCH may carry.
const MAX_OPERATIONS: usize = 100;

/// Applies the PatchOp `body` to `attributes`.
pub fn apply(attributes: &mut Map<String, Value>, body: &Value) -> Result<(), ScimError> {
    let operations = body
        .as_object()
        .and_then(|body| {
            body.iter()
                .find(|(key, _)| key.eq_ignore_ascii_case("Operations"))
        })
        .and_then(|(_, operations)| operations.as_array())
        .ok_or_else(|| {
            ScimError::bad_request(
                ScimType::InvalidSyntax,
                "a PATCH body is a PatchOp: {\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":[…]}",
            )
        })?;
    if operations.len() > MAX_OPERATIONS {
        return Err(ScimError::bad_request(
            ScimType::InvalidSyntax,
            format!("a PATCH carries at most {MAX_OPERATIONS} operations"),
        ));
    }
    for operation in operations {
        apply_one(attributes, operation)?;
    }
    Ok(())
}

fn field<'a>(object: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    object
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .map(|(_, value)| value)
}

fn apply_one(attributes: &mut Map<String, Value>, operation: &Value) -> Result<(), ScimError> {
    let syntax = |detail: &str| ScimError::bad_request(ScimType::InvalidSyntax, detail);
    let operation = operation
        .as_object()
        .ok_or_else(|| syntax("each operation is an object with op, path and value"))?;
    let op = match field(operation, "op").and_then(Value::as_str) {
        Some(op) if op.eq_ignore_ascii_case("add") => Op::Add,
        Some(op) if op.eq_ignore_ascii_case("replace") => Op::Replace,
        Some(op) if op.eq_ignore_ascii_case("remove") => Op::Remove,
        _ => return Err(syntax("op must be add, replace or remove")),
    };
    let value = field(operation, "value");
    match field(operation, "path") {
        Some(Value::String(path)) => apply_path(attributes, op, path, value),
        Some(_) => Err(ScimError::bad_request(
            ScimType::InvalidPath,
            "path must be a string",
        )),
        None if op == Op::Remove => Err(ScimError::bad_request(
            ScimType::NoTarget,
            "a remove operation needs a path",
        )),
        None => {
            let Some(Value::Object(values)) = value else {
                return Err(ScimError::bad_request(
                    ScimType::InvalidValue,
                    "an add or replace without a path needs an object of attributes as its value",
                ));
            };
            for (path, value) in values {
                apply_path(attributes, op, path, Some(value))?;
            }
            Ok(())
        }
    }
}

/// The attribute's stored name, when `name` is one of the writable attributes (any case).
fn writable(name: &str) -> Option<&'static str> {
    WRITABLE
        .iter()
        .copied()
        .find(|known| known.eq_ignore_ascii_case(name))
}

fn core_attribute(path: &AttrPath) -> Result<Option<&'static str>, ScimError> {
    if let Some(uri) = &path.uri
        && !uri.eq_ignore_ascii_case(USER_SCHEMA)
    {
        // An extension's attribute (Entra's enterprise mappings): not kept.
        return Ok(None);
    }
    if let Some(name) = writable(&path.name) {
        return Ok(Some(name));
    }
    if is_ignored(&path.name) {
        return Ok(None);
    }
    let readonly = ["id", "meta", "schemas"]
        .iter()
        .any(|name| name.eq_ignore_ascii_case(&path.name));
    Err(if readonly {
        ScimError::bad_request(
            ScimType::Mutability,
            format!("\"{}\" cannot be changed", path.name),
        )
    } else {
        ScimError::bad_request(
            ScimType::InvalidPath,
            format!(
                "\"{path}\" is not an attribute of this server's User schema (see /scim/v2/Schemas)"
            ),
        )
    })
}

fn apply_path(
    attributes: &mut Map<String, Value>,
    op: Op,
    raw_path: &str,
    value: Option<&Value>,
) -> Result<(), ScimError> {
    let path: PatchPath = raw_path.parse().map_err(|error| {
        ScimError::bad_request(
            ScimType::InvalidPath,
            format!("the path \"{raw_path}\" is not valid: {error}"),
        )
    })?;
    let value = match (op, value) {
        (Op::Remove, _) => None,
        (_, Some(value)) => Some(value.clone()),
        (_, None) => {
            return Err(ScimError::bad_request(
                ScimType::InvalidValue,
                format!("{raw_path}: an add or replace needs a value"),
            ));
        }
    };
    match path {
        PatchPath::Attr(attr) => {
            let Some(name) = core_attribute(&attr)? else {
                return Ok(());
            };
            match (&attr.sub_attr, value) {
                (None, None) => {
                    attributes.remove(name);
                }
                (None, Some(value)) => set_attribute(attributes, op, name, value),
                (Some(sub), value) => {
                    let parent = attributes
                        .entry(name)
                        .or_insert_with(|| Value::Object(Map::new()));
                    let Value::Object(parent) = parent else {
                        return Err(ScimError::bad_request(
                            ScimType::InvalidPath,
                            format!("{name} has no sub-attributes"),
                        ));
                    };
                    set_member(parent, sub, value);
                    if parent.is_empty() {
                        attributes.remove(name);
                    }
                }
            }
        }
        PatchPath::Value(value_path) => {
            let Some(name) = core_attribute(&value_path.attr)? else {
                return Ok(());
            };
            let items = match attributes.remove(name) {
                Some(Value::Array(items)) => items,
                None => Vec::new(),
                Some(_) => {
                    return Err(ScimError::bad_request(
                        ScimType::InvalidPath,
                        format!("{name} is not multi-valued"),
                    ));
                }
            };
            let items = apply_to_values(
                items,
                &value_path.filter,
                value_path.sub_attr.as_deref(),
                value,
            )?;
            if !items.is_empty() {
                attributes.insert(name.to_owned(), Value::Array(items));
            }
        }
    }
    Ok(())
}

/// `add` appends to a list and merges into `name`; `replace` sets a list whole and merges
/// `name`'s sub-attributes (RFC 7644 §3.5.2.1 and .3).
fn set_attribute(attributes: &mut Map<String, Value>, op: Op, name: &str, value: Value) {
    match (attributes.get_mut(name), value) {
        (Some(Value::Array(current)), Value::Array(more)) if op == Op::Add => {
            current.extend(more);
        }
        (Some(Value::Object(current)), Value::Object(more)) => {
            for (key, value) in more {
                set_member(current, &key, Some(value));
            }
        }
        (_, Value::Null) => {
            attributes.remove(name);
        }
        (_, value) => {
            attributes.insert(name.to_owned(), value);
        }
    }
}

/// Sets (or, with `None` or null, removes) the member `key` of `object`, whatever the case of
/// the name it is stored under.
fn set_member(object: &mut Map<String, Value>, key: &str, value: Option<Value>) {
    let stored = object
        .keys()
        .find(|existing| existing.eq_ignore_ascii_case(key))
        .cloned();
    if let Some(stored) = stored {
        object.remove(&stored);
    }
    if let Some(value) = value.filter(|value| !value.is_null()) {
        object.insert(key.to_owned(), value);
    }
}

fn apply_to_values(
    mut items: Vec<Value>,
    filter: &ValFilter,
    sub_attr: Option<&str>,
    value: Option<Value>,
) -> Result<Vec<Value>, ScimError> {
    let mut matched = false;
    let mut kept = Vec::with_capacity(items.len());
    for mut item in items.drain(..) {
        if !matches(&item, filter)? {
            kept.push(item);
            continue;
        }
        matched = true;
        match (&value, sub_attr, item.as_object_mut()) {
            (None, None, _) => continue,
            (value, Some(sub), Some(object)) => set_member(object, sub, value.clone()),
            (Some(Value::Object(more)), None, Some(object)) => {
                for (key, value) in more {
                    set_member(object, key, Some(value.clone()));
                }
            }
            (Some(other), None, _) => item = other.clone(),
            (_, Some(_), None) => {}
        }
        kept.push(item);
    }
    if !matched && let Some(value) = value {
        // Entra's first role or work e-mail: the element the filter describes, with the value.
        let mut element = equalities(filter).ok_or_else(|| {
            ScimError::bad_request(
                ScimType::NoTarget,
                format!("no value matches the filter \"{filter}\""),
            )
        })?;
        match (sub_attr, value) {
            (Some(sub), value) => set_member(&mut element, sub, Some(value)),
            (None, Value::Object(more)) => {
                for (key, value) in more {
                    set_member(&mut element, &key, Some(value));
                }
            }
            (None, _) => {
                return Err(ScimError::bad_request(
                    ScimType::InvalidValue,
                    "the value for a filtered path without a sub-attribute must be an object",
                ));
            }
        }
        kept.push(Value::Object(element));
    }
    Ok(kept)
}

/// The sub-attributes a filter of `eq` terms joined by `and` fixes, as a new element holds them
/// (`primary eq "True"` gives `primary: true`).
fn equalities(filter: &ValFilter) -> Option<Map<String, Value>> {
    let mut element = Map::new();
    let mut add = |filter: &ValFilter| match filter {
        ValFilter::Attr(AttrExp::Comparison(path, CompareOp::Eq, value)) => {
            let value = match value {
                CompValue::True => Value::Bool(true),
                CompValue::False => Value::Bool(false),
                CompValue::Str(text) if path.name.eq_ignore_ascii_case("primary") => {
                    Value::Bool(text.eq_ignore_ascii_case("true"))
                }
                CompValue::Str(text) => Value::String(text.clone()),
                CompValue::Number(number) => Value::Number(number.clone()),
                CompValue::Null => return false,
            };
            element.insert(path.name.clone(), value);
            true
        }
        _ => false,
    };
    let complete = match filter {
        ValFilter::And(terms) => terms.iter().all(&mut add),
        single => add(single),
    };
    complete.then_some(element)
}

fn matches(item: &Value, filter: &ValFilter) -> Result<bool, ScimError> {
    Ok(match filter {
        ValFilter::Attr(AttrExp::Present(path)) => {
            member(item, &path.name).is_some_and(|value| !value.is_null())
        }
        ValFilter::Attr(AttrExp::Comparison(path, operator, expected)) => {
            if *operator != CompareOp::Eq {
                return Err(ScimError::bad_request(
                    ScimType::InvalidFilter,
                    "a value path filters its values with eq (and pr), joined by and or or",
                ));
            }
            member(item, &path.name).is_some_and(|actual| equal(actual, expected))
        }
        ValFilter::Not(inner) => !matches(item, inner)?,
        ValFilter::And(terms) => {
            for term in terms.iter() {
                if !matches(item, term)? {
                    return Ok(false);
                }
            }
            true
        }
        ValFilter::Or(terms) => {
            for term in terms.iter() {
                if matches(item, term)? {
                    return Ok(true);
                }
            }
            false
        }
    })
}

fn member<'a>(item: &'a Value, name: &str) -> Option<&'a Value> {
    item.as_object().and_then(|object| field(object, name))
}

/// SCIM equality as Entra uses it: strings without regard to case, and a boolean equal to the
/// string `"True"` or `"False"`.
fn equal(actual: &Value, expected: &CompValue) -> bool {
    match (actual, expected) {
        (Value::String(actual), CompValue::Str(expected)) => actual.eq_ignore_ascii_case(expected),
        (actual @ (Value::Bool(_) | Value::String(_)), CompValue::True | CompValue::False) => {
            boolean("", actual).ok() == Some(*expected == CompValue::True)
        }
        (Value::Bool(actual), CompValue::Str(expected)) => {
            boolean("", &Value::String(expected.clone())).ok() == Some(*actual)
        }
        (Value::Number(actual), CompValue::Number(expected)) => actual == expected,
        _ => false,
    }
}

#[cfg(test)]
#[path = "patch_tests.rs"]
mod tests;
