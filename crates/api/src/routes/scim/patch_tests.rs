//! PATCH in both of Entra's dialects, and the SCIM errors it answers.

use serde_json::json;

use super::*;

fn patched(start: Value, operations: Value) -> Result<Value, ScimError> {
    let Value::Object(mut attributes) = start else {
        unreachable!()
    };
    apply(&mut attributes, &json!({"Operations": operations}))?;
    Ok(Value::Object(attributes))
}

#[test]
fn entras_default_dialect_replaces_with_capitalised_ops_and_string_booleans() {
    let after = patched(
        json!({"userName": "a@b.test", "displayName": "A", "active": true}),
        json!([
            {"op": "Replace", "path": "displayName", "value": "Alice Jones"},
            {"op": "Replace", "path": "active", "value": "False"}
        ]),
    )
    .unwrap();
    assert_eq!(after["displayName"], json!("Alice Jones"));
    assert_eq!(after["active"], json!("False"));
}

#[test]
fn a_path_less_replace_sets_each_attribute_by_its_path() {
    let after = patched(
        json!({"userName": "a@b.test", "name": {"givenName": "Al"}}),
        json!([{"op": "replace", "value": {
            "displayName": "Alice Jones",
            "name.familyName": "Jones",
            "active": false,
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber": "42"
        }}]),
    )
    .unwrap();
    assert_eq!(
        after,
        json!({"userName": "a@b.test", "displayName": "Alice Jones", "active": false,
               "name": {"givenName": "Al", "familyName": "Jones"}})
    );
}

#[test]
fn the_primary_role_is_changed_through_its_value_path_or_added_when_there_is_none() {
    let admin =
        json!([{"primary": true, "type": "WindowsAzureActiveDirectoryRole", "value": "Admin"}]);
    let op =
        json!([{"op": "Add", "path": "roles[primary eq \"True\"].value", "value": "Technician"}]);
    let changed = patched(json!({"userName": "a@b.test", "roles": admin}), op.clone()).unwrap();
    assert_eq!(
        changed["roles"],
        json!([{"primary": true, "type": "WindowsAzureActiveDirectoryRole", "value": "Technician"}])
    );
    let added = patched(json!({"userName": "a@b.test"}), op).unwrap();
    assert_eq!(
        added["roles"],
        json!([{"primary": true, "value": "Technician"}])
    );
}

#[test]
fn add_appends_to_a_list_and_remove_takes_an_attribute_or_the_values_a_filter_picks() {
    let start = json!({"userName": "a@b.test", "emails": [{"type": "work", "value": "a@b.test"}]});
    let added = patched(
        start.clone(),
        json!([{"op": "add", "path": "emails", "value": [{"type": "home", "value": "a@home.test"}]}]),
    )
    .unwrap();
    assert_eq!(added["emails"].as_array().map(Vec::len), Some(2));
    let removed = patched(
        added,
        json!([{"op": "Remove", "path": "emails[type eq \"work\"]"}]),
    )
    .unwrap();
    assert_eq!(
        removed["emails"],
        json!([{"type": "home", "value": "a@home.test"}])
    );
    let gone = patched(start, json!([{"op": "remove", "path": "emails"}])).unwrap();
    assert_eq!(gone, json!({"userName": "a@b.test"}));
}

#[test]
fn unknown_paths_ops_and_read_only_attributes_are_refused_with_their_scim_type() {
    let start = json!({"userName": "a@b.test"});
    let scim_type = |operations: Value| patched(start.clone(), operations).unwrap_err().scim_type;
    assert_eq!(
        scim_type(json!([{"op": "replace", "path": "favouriteColour", "value": "red"}])),
        Some(ScimType::InvalidPath)
    );
    assert_eq!(
        scim_type(json!([{"op": "replace", "path": "id", "value": "x"}])),
        Some(ScimType::Mutability)
    );
    assert_eq!(
        scim_type(json!([{"op": "move", "path": "displayName", "value": "x"}])),
        Some(ScimType::InvalidSyntax)
    );
    assert_eq!(
        scim_type(json!([{"op": "remove"}])),
        Some(ScimType::NoTarget)
    );
    assert_eq!(
        scim_type(json!([{"op": "replace", "path": "emails[type eq", "value": "x"}])),
        Some(ScimType::InvalidPath)
    );
    // Entra's default mappings send attributes this server does not keep: accepted, ignored.
    assert_eq!(
        patched(
            start.clone(),
            json!([{"op": "Add", "path": "title", "value": "Engineer"}])
        )
        .unwrap(),
        start
    );
}
