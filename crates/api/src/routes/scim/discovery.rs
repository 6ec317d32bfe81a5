//! What the SCIM endpoint supports, described exactly (RFC 7643 §5–§7): Users only, PATCH,
//! filters on `userName`/`externalId`/`id`, no bulk, sort, ETags or password changes; the User
//! schema lists only the attributes this server keeps.

use serde_json::{Value, json};

use super::USER_SCHEMA;

pub const LIST_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
const SERVICE_PROVIDER_CONFIG_SCHEMA: &str =
    "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
const RESOURCE_TYPE_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
const SCHEMA_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:Schema";

/// Most users one listing returns.
pub const MAX_RESULTS: u64 = 200;

pub fn service_provider_config(base: &str) -> Value {
    json!({
        "schemas": [SERVICE_PROVIDER_CONFIG_SCHEMA],
        "patch": {"supported": true},
        "bulk": {"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": true, "maxResults": MAX_RESULTS},
        "changePassword": {"supported": false},
        "sort": {"supported": false},
        "etag": {"supported": false},
        "authenticationSchemes": [{
            "type": "oauthbearertoken",
            "name": "OAuth Bearer Token",
            "description": "The tenant's secret token from Settings → User Management → SSO, as a bearer token"
        }],
        "meta": {
            "resourceType": "ServiceProviderConfig",
            "location": format!("{base}/ServiceProviderConfig")
        }
    })
}

pub fn user_resource_type(base: &str) -> Value {
    json!({
        "schemas": [RESOURCE_TYPE_SCHEMA],
        "id": "User",
        "name": "User",
        "endpoint": "/Users",
        "description": "A technician of the tenant",
        "schema": USER_SCHEMA,
        "meta": {"resourceType": "ResourceType", "location": format!("{base}/ResourceTypes/User")}
    })
}

fn attribute(name: &str, kind: &str, description: &str) -> Value {
    json!({
        "name": name,
        "type": kind,
        "multiValued": false,
        "description": description,
        "required": false,
        "caseExact": false,
        "mutability": "readWrite",
        "returned": "default",
        "uniqueness": "none"
    })
}

fn text(name: &str, description: &str) -> Value {
    attribute(name, "string", description)
}

fn complex(name: &str, multi_valued: bool, description: &str, subs: Vec<Value>) -> Value {
    let mut complex = attribute(name, "complex", description);
    complex["multiValued"] = multi_valued.into();
    complex["subAttributes"] = Value::Array(subs);
    complex
}

pub fn user_schema(base: &str) -> Value {
    let mut user_name = text(
        "userName",
        "The user principal name (alex@contoso.com): the account's sign-in name. Stored lower-case.",
    );
    user_name["required"] = true.into();
    user_name["uniqueness"] = "server".into();
    let mut email_type = text("type", "work, home or other");
    email_type["canonicalValues"] = json!(["work", "home", "other"]);
    let mut role_value = text(
        "value",
        "The app role: Admin or Technician (the primary role sets the user's role; none means Technician)",
    );
    role_value["canonicalValues"] = json!(["Admin", "Technician"]);
    json!({
        "schemas": [SCHEMA_SCHEMA],
        "id": USER_SCHEMA,
        "name": "User",
        "description": "A technician of the tenant",
        "attributes": [
            user_name,
            complex("name", false, "The user's name, kept as given", vec![
                text("formatted", "The full name"),
                text("familyName", "The family name"),
                text("givenName", "The given name"),
            ]),
            text("displayName", "The name shown in the product (at most 200 characters)"),
            attribute("active", "boolean", "False deactivates the user: its sessions end and its API tokens stop"),
            complex("emails", true, "E-mail addresses, kept as given", vec![
                text("value", "The address"),
                email_type,
                attribute("primary", "boolean", "The preferred address"),
            ]),
            complex("roles", true, "App-role assignments from Microsoft Entra", vec![
                role_value,
                text("display", "The role's display name"),
                text("type", "WindowsAzureActiveDirectoryRole from Entra"),
                attribute("primary", "boolean", "The role that applies"),
            ]),
        ],
        "meta": {"resourceType": "Schema", "location": format!("{base}/Schemas/{USER_SCHEMA}")}
    })
}

/// A ListResponse holding `resources`, all of them.
pub fn whole_list(resources: Vec<Value>) -> Value {
    let total = resources.len();
    json!({
        "schemas": [LIST_SCHEMA],
        "totalResults": total,
        "startIndex": 1,
        "itemsPerPage": total,
        "Resources": resources
    })
}
