//! The SCIM User resource (RFC 7643 §4.1) as this server stores and returns it: the attributes
//! its `/Schemas` declare, read tolerantly in Entra's dialect (booleans as `"True"`, attribute
//! names in any case) and returned exactly as given.

use domain::{DisplayName, ExternalId, ScimUserName};
use entity::user;
use proto::Role;
use serde_json::{Map, Value, json};

use super::{
    USER_SCHEMA,
    error::{ScimError, ScimType},
};
use crate::services::provisioning::users::ProvisionedUser;

/// The type Entra gives every app-role assignment it sends.
const ENTRA_ROLE_TYPE: &str = "WindowsAzureActiveDirectoryRole";

/// Attributes of RFC 7643's User (and its enterprise extension) that this server does not keep:
/// Entra's default mappings send several of them, so they are accepted and left out, as the
/// `/Schemas` document (which does not list them) says.
const IGNORED: &[&str] = &[
    "nickname",
    "profileurl",
    "title",
    "usertype",
    "preferredlanguage",
    "locale",
    "timezone",
    "password",
    "phonenumbers",
    "ims",
    "photos",
    "addresses",
    "groups",
    "entitlements",
    "x509certificates",
];

/// Whether the attribute `name` (any case) is one this server accepts and ignores.
pub fn is_ignored(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    IGNORED.contains(&lower.as_str()) || lower.starts_with("urn:")
}

/// Longest string kept in `name`, `emails` and `roles`, and most values in a list.
const MAX_TEXT_CHARS: usize = 500;
const MAX_VALUES: usize = 20;

fn invalid(detail: impl Into<String>) -> ScimError {
    ScimError::bad_request(ScimType::InvalidValue, detail)
}

/// A SCIM boolean as Entra sends it: `true`, or the strings `"True"`/`"False"` in any case.
pub fn boolean(attribute: &str, value: &Value) -> Result<bool, ScimError> {
    match value {
        Value::Bool(flag) => Ok(*flag),
        Value::String(text) if text.trim().eq_ignore_ascii_case("true") => Ok(true),
        Value::String(text) if text.trim().eq_ignore_ascii_case("false") => Ok(false),
        _ => Err(invalid(format!(
            "{attribute} must be a boolean (true or false, or the strings \"True\" or \"False\")"
        ))),
    }
}

fn text<'a>(attribute: &str, value: &'a Value) -> Result<&'a str, ScimError> {
    match value {
        Value::String(text) if text.chars().count() <= MAX_TEXT_CHARS => Ok(text),
        Value::String(_) => Err(invalid(format!(
            "{attribute} is longer than {MAX_TEXT_CHARS} characters"
        ))),
        _ => Err(invalid(format!("{attribute} must be a string"))),
    }
}

/// The sub-attributes of a complex value that the schema declares, under their declared names
/// (SCIM names are case-insensitive); others are dropped.
fn complex(
    attribute: &str,
    value: &Value,
    declared: &[(&'static str, bool)],
) -> Result<Map<String, Value>, ScimError> {
    let Value::Object(given) = value else {
        return Err(invalid(format!("{attribute} must be an object")));
    };
    let mut kept = Map::new();
    for (key, value) in given {
        let Some((name, is_boolean)) = declared
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(key))
        else {
            continue;
        };
        let path = format!("{attribute}.{name}");
        let value = match value {
            Value::Null => continue,
            value if *is_boolean => Value::Bool(boolean(&path, value)?),
            value => Value::String(text(&path, value)?.to_owned()),
        };
        kept.insert((*name).to_owned(), value);
    }
    Ok(kept)
}

fn multi_valued(
    attribute: &str,
    value: &Value,
    declared: &[(&'static str, bool)],
) -> Result<Vec<Value>, ScimError> {
    let Value::Array(items) = value else {
        return Err(invalid(format!("{attribute} must be a list")));
    };
    if items.len() > MAX_VALUES {
        return Err(invalid(format!(
            "{attribute} holds more than {MAX_VALUES} values"
        )));
    }
    items
        .iter()
        .map(|item| complex(attribute, item, declared).map(Value::Object))
        .collect()
}

const NAME: &[(&str, bool)] = &[
    ("formatted", false),
    ("familyName", false),
    ("givenName", false),
];
const EMAILS: &[(&str, bool)] = &[("value", false), ("type", false), ("primary", true)];
const ROLES: &[(&str, bool)] = &[
    ("value", false),
    ("display", false),
    ("type", false),
    ("primary", true),
];

/// The app-role value of one role entry. Entra's complex role mappings send the value as a
/// JSON string holding the role's `value`.
fn role_value(role: &Value) -> Option<String> {
    let value = role.get("value")?.as_str()?;
    if let Ok(Value::Object(inner)) = serde_json::from_str::<Value>(value)
        && let Some(inner) = inner.get("value").and_then(Value::as_str)
    {
        return Some(inner.to_owned());
    }
    Some(value.to_owned())
}

/// The role the entries give: the primary entry's value, else the first entry's; none means a
/// technician (SPEC §13).
fn role_of(roles: &[Value]) -> Result<Role, ScimError> {
    let primary = roles
        .iter()
        .find(|role| role.get("primary") == Some(&Value::Bool(true)))
        .or_else(|| roles.first());
    domain::role_from_app_role(primary.and_then(role_value).as_deref())
        .map_err(|error| invalid(error.to_string()))
}

/// Reads a whole User (a POST or PUT body, or the stored user with a PATCH applied).
pub fn parse_user(body: &Value) -> Result<ProvisionedUser, ScimError> {
    let Value::Object(attributes) = body else {
        return Err(ScimError::bad_request(
            ScimType::InvalidSyntax,
            "the body must be a JSON object: a SCIM User",
        ));
    };
    let mut user_name = None;
    let mut display_name = DisplayName::default();
    let mut external_id = None;
    let mut profile = Map::new();
    let mut active = true;
    let mut role = Role::Technician;
    for (key, value) in attributes {
        let lower = key.to_ascii_lowercase();
        if value.is_null() {
            continue;
        }
        match lower.as_str() {
            "schemas" | "id" | "meta" => {}
            "username" => {
                let raw = text("userName", value)?;
                user_name =
                    Some(ScimUserName::parse(raw).map_err(|error| invalid(error.to_string()))?);
            }
            "displayname" => {
                display_name = DisplayName::parse(text("displayName", value)?)
                    .map_err(|error| invalid(format!("displayName: {error}")))?;
            }
            "externalid" => {
                external_id = Some(
                    ExternalId::parse(text("externalId", value)?)
                        .map_err(|error| invalid(error.to_string()))?,
                );
            }
            "active" => {
                active = boolean("active", value)?;
                profile.insert("active".into(), Value::Bool(active));
            }
            "name" => {
                let name = complex("name", value, NAME)?;
                if !name.is_empty() {
                    profile.insert("name".into(), Value::Object(name));
                }
            }
            "emails" => {
                let emails = multi_valued("emails", value, EMAILS)?;
                if !emails.is_empty() {
                    profile.insert("emails".into(), Value::Array(emails));
                }
            }
            "roles" => {
                let roles = multi_valued("roles", value, ROLES)?;
                role = role_of(&roles)?;
                if !roles.is_empty() {
                    profile.insert("roles".into(), Value::Array(roles));
                }
            }
            _ if is_ignored(key) => {}
            _ => {
                return Err(ScimError::bad_request(
                    ScimType::InvalidSyntax,
                    format!(
                        "\"{key}\" is not an attribute of this server's User schema (see /scim/v2/Schemas)"
                    ),
                ));
            }
        }
    }
    let user_name = user_name.ok_or_else(|| invalid("userName is required"))?;
    Ok(ProvisionedUser {
        user_name,
        display_name,
        external_id,
        active,
        role,
        profile: Value::Object(profile),
    })
}

/// The attributes of `user` that a client may write, as SCIM returns them: what a PATCH applies
/// to.
pub fn writable_attributes(user: &user::Model) -> Map<String, Value> {
    let profile = user
        .scim_profile
        .as_ref()
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let mut attributes = Map::new();
    attributes.insert("userName".into(), user.email.clone().into());
    if let Some(external_id) = &user.external_id {
        attributes.insert("externalId".into(), external_id.clone().into());
    }
    if !user.display_name.is_empty() {
        attributes.insert("displayName".into(), user.display_name.clone().into());
    }
    for key in ["name", "emails"] {
        if let Some(value) = profile.get(key) {
            attributes.insert(key.into(), value.clone());
        }
    }
    // An account provisioned without `active` (or whose `active` was removed) is active and
    // shows no `active`; an inactive one always says so, and so does an account made here.
    if !user.active || user.scim_profile.is_none() || profile.contains_key("active") {
        attributes.insert("active".into(), user.active.into());
    }
    let stored_roles = profile
        .get("roles")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let stored_role = role_of(&stored_roles).ok();
    if stored_role == Some(user.role) && !stored_roles.is_empty() {
        attributes.insert("roles".into(), Value::Array(stored_roles));
    } else if stored_role != Some(user.role) || user.role == Role::Admin {
        // The role was changed here (Users page) since Entra last set it, or never came from
        // Entra: the role as it is now.
        attributes.insert(
            "roles".into(),
            json!([{
                "value": domain::app_role_of(user.role),
                "type": ENTRA_ROLE_TYPE,
                "primary": true,
            }]),
        );
    }
    attributes
}

/// `user` as a SCIM User resource, with `meta` pointing under `base` (the SCIM base URL).
pub fn user_resource(user: &user::Model, base: &str) -> Value {
    let mut resource = Map::new();
    resource.insert("schemas".into(), json!([USER_SCHEMA]));
    resource.insert("id".into(), user.id.to_string().into());
    resource.extend(writable_attributes(user));
    let modified = user.modified_at.unwrap_or(user.created_at);
    resource.insert(
        "meta".into(),
        json!({
            "resourceType": "User",
            "created": user.created_at.to_rfc3339(),
            "lastModified": modified.to_rfc3339(),
            "location": format!("{base}/Users/{}", user.id),
        }),
    );
    Value::Object(resource)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entras_create_body_is_read_with_its_role_and_kept_attributes() {
        let user = parse_user(&json!({
            "schemas": [USER_SCHEMA, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
            "externalId": "0a8c6f3e-1d2b-4c5d-9e8f-7a6b5c4d3e2f",
            "userName": "Alice@Contoso.com",
            "active": true,
            "displayName": "Alice Smith",
            "title": "Engineer",
            "emails": [{"primary": true, "type": "work", "value": "alice@contoso.com"}],
            "meta": {"resourceType": "User"},
            "name": {"formatted": "Alice Smith", "familyName": "Smith", "givenName": "Alice"},
            "roles": [{"primary": "True", "type": "WindowsAzureActiveDirectoryRole", "value": "Admin"}],
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "IT"}
        }))
        .unwrap();
        assert_eq!(user.user_name.as_str(), "alice@contoso.com");
        assert_eq!(user.role, Role::Admin);
        assert!(user.active);
        assert_eq!(user.profile["roles"][0]["primary"], json!(true));
        assert_eq!(user.profile["name"]["givenName"], json!("Alice"));
    }

    #[test]
    fn active_is_read_from_entras_strings_and_anything_else_is_an_invalid_value() {
        let with = |active: Value| parse_user(&json!({"userName": "a@b.test", "active": active}));
        assert!(!with(json!("False")).unwrap().active);
        assert!(with(json!("TRUE")).unwrap().active);
        assert!(!with(json!(false)).unwrap().active);
        let error = with(json!("no")).unwrap_err();
        assert_eq!(error.scim_type, Some(ScimType::InvalidValue));
    }

    #[test]
    fn an_unknown_role_or_attribute_or_a_missing_user_name_is_refused() {
        let role = parse_user(
            &json!({"userName": "a@b.test", "roles": [{"value": "User", "primary": true}]}),
        );
        assert_eq!(role.unwrap_err().scim_type, Some(ScimType::InvalidValue));
        let unknown = parse_user(&json!({"userName": "a@b.test", "favouriteColour": "red"}));
        assert_eq!(
            unknown.unwrap_err().scim_type,
            Some(ScimType::InvalidSyntax)
        );
        let missing = parse_user(&json!({"displayName": "A"}));
        assert_eq!(missing.unwrap_err().scim_type, Some(ScimType::InvalidValue));
    }

    #[test]
    fn a_complex_role_mapping_sends_the_value_as_json_text() {
        let user = parse_user(&json!({"userName": "a@b.test", "roles": [
            {"value": "{\"id\":\"06b07648\",\"value\":\"Admin\",\"displayName\":\"Admin\"}"}
        ]}))
        .unwrap();
        assert_eq!(user.role, Role::Admin);
    }
}
