use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::LicensingOption;

/// `POST /api/v1/customers` body. Every rule is checked by the API and reported per field (422).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateCustomer {
    /// Trimmed, 1–100 characters, none of `/`, `\` or `+`; unique under your reseller (ignoring case).
    #[cfg_attr(
        feature = "openapi",
        schema(
            value_type = String,
            required = true,
            min_length = 1,
            pattern = r"^([\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000/\\+](?:[^/\\+]{0,98}[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000/\\+])?[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*)$"
        )
    )]
    pub name: Option<String>,
    /// The customer tenant's name (lower-case letters `a`–`z`, digits and hyphens, 3–63
    /// characters, neither starting nor ending with a hyphen; unique under your reseller, 409).
    /// Derived from `name` when not given (with `-2`, `-3`, … when taken).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(
            example = "contoso",
            pattern = r"^([\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[a-z0-9][a-z0-9-]{1,61}[a-z0-9][\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*)$"
        )
    )]
    pub tenant_name: Option<String>,
    /// How the customer tenant is shown to technicians, 1–200 characters once trimmed; `name`
    /// when not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            pattern = r"^([\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000](?:[\s\S]{0,198}[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000])?[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*)$"
        )
    )]
    pub display_name: Option<String>,
    /// Purchased seats, from 1 to 1 000 000.
    #[serde(default, deserialize_with = "crate::whole_number::option")]
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = i64, required = true, minimum = 1, maximum = 1_000_000)
    )]
    pub total_licenses: Option<i64>,
    /// Where the customer is reached (surrounding whitespace is trimmed; stored lower-case).
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = String, required = true, format = Email)
    )]
    pub email: Option<String>,
    /// Free text, at most 2 000 characters once surrounding whitespace is trimmed; blank means none.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^([\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*(?:[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000](?:[\s\S]{0,1998}[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000])?)?[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*)$"
        )
    )]
    pub details: Option<String>,
    /// On unless given.
    #[serde(default)]
    pub monthly_billing: Option<bool>,
    /// Only options your reseller holds; `email_security_365` and `atp` exclude each other;
    /// `tac` and `tac_ui_m365_user_security` need `mxdr`; `mxdr` always brings `tac`.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = licensing_options_schema))]
    pub licensing_options: Vec<LicensingOption>,
    /// Give the customer your enabled group policies (needs Reseller Master GPs Distribution on).
    #[serde(default)]
    pub opt_in_master_gp: bool,
    /// The customer's Microsoft Entra tenant ID, a GUID (any case, braces allowed; stored
    /// lower-case); unique across all customers. Blank means none.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(
            example = "5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
            pattern = r"^([\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*(?:[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}|\{[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\})?[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*)$"
        )
    )]
    pub azure_tenant_id: Option<String>,
    /// Whether the customer is billed under SPLA (off unless given).
    #[serde(default)]
    pub spla: Option<bool>,
}

/// `PATCH /api/v1/customers/{id}` body: only the fields given change, under the same rules.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateCustomer {
    /// Trimmed, 1–100 characters, none of `/`, `\` or `+`; unique under your reseller (ignoring case).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            pattern = r"^([\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000/\\+](?:[^/\\+]{0,98}[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000/\\+])?[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*)$"
        )
    )]
    pub name: Option<String>,
    /// The customer tenant's name: lower-case letters `a`–`z`, digits and hyphens, 3–63
    /// characters, neither starting nor ending with a hyphen; unique under your reseller (409).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(
            example = "contoso-east",
            pattern = r"^([\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[a-z0-9][a-z0-9-]{1,61}[a-z0-9][\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*)$"
        )
    )]
    pub tenant_name: Option<String>,
    /// 1–200 characters once surrounding whitespace is trimmed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            pattern = r"^([\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000](?:[\s\S]{0,198}[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000])?[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*)$"
        )
    )]
    pub display_name: Option<String>,
    /// Purchased seats, from 1 to 1 000 000.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::whole_number::option"
    )]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 1_000_000))]
    pub total_licenses: Option<i64>,
    /// Surrounding whitespace is trimmed; stored lower-case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(format = Email))]
    pub email: Option<String>,
    /// At most 2 000 characters once surrounding whitespace is trimmed; a blank string clears the
    /// details.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^([\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*(?:[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000](?:[\s\S]{0,1998}[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000])?)?[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*)$"
        )
    )]
    pub details: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monthly_billing: Option<bool>,
    /// The whole new set, under the rules of creation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(schema_with = optional_licensing_options_schema)
    )]
    pub licensing_options: Option<Vec<LicensingOption>>,
    /// true gives the customer your currently enabled group policies; false takes them away.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opt_in_master_gp: Option<bool>,
    /// A GUID (any case, braces allowed; stored lower-case), unique across all customers; a blank
    /// string clears it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(
            example = "5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
            pattern = r"^([\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*(?:[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}|\{[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\})?[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*)$"
        )
    )]
    pub azure_tenant_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spla: Option<bool>,
}

/// `licensing_options` of a create or update, with the rules between options that hold for every
/// reseller: `email_security_365` and `atp` exclude each other, and `tac` and
/// `tac_ui_m365_user_security` need `mxdr`. Which options a reseller holds differs per reseller,
/// so that rule stays a 422.
///
/// utoipa 6 has no `not` or `contains`; the keyword is added through the schema's extensions map,
/// which is written out flattened into the schema object (only its builder prefixes `x-`).
#[cfg(feature = "openapi")]
fn licensing_options_array(nullable: bool) -> utoipa::openapi::schema::Array {
    use utoipa::openapi::{
        Ref,
        extensions::Extensions,
        schema::{ArrayBuilder, SchemaType, Type},
    };
    let schema_type = if nullable {
        SchemaType::from_iter([Type::Array, Type::Null])
    } else {
        SchemaType::new(Type::Array)
    };
    let contains =
        |option: LicensingOption| serde_json::json!({ "contains": { "const": option.as_str() } });
    let broken_rules = serde_json::json!({
        "anyOf": [
            {
                "type": "array",
                "allOf": [
                    contains(LicensingOption::EmailSecurity365),
                    contains(LicensingOption::Atp),
                ],
            },
            {
                "type": "array",
                "anyOf": [
                    contains(LicensingOption::Tac),
                    contains(LicensingOption::TacUiM365UserSecurity),
                ],
                "not": contains(LicensingOption::Mxdr),
            },
        ]
    });
    ArrayBuilder::new()
        .schema_type(schema_type)
        .items(Ref::from_schema_name("LicensingOption"))
        .description(Some(
            "Only options your reseller holds (a 422 otherwise); `email_security_365` and `atp`\n\
             exclude each other; `tac` and `tac_ui_m365_user_security` need `mxdr`; `mxdr` always\n\
             brings `tac`.",
        ))
        .extensions(Some(Extensions::from_iter([("not", broken_rules)])))
        .build()
}

#[cfg(feature = "openapi")]
fn licensing_options_schema() -> utoipa::openapi::schema::Array {
    licensing_options_array(false)
}

#[cfg(feature = "openapi")]
fn optional_licensing_options_schema() -> utoipa::openapi::schema::Array {
    licensing_options_array(true)
}

/// A customer's licence key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LicenceKeyInfo {
    /// Five groups of five characters, e.g. `7K3QX-M9D2P-4VW8R-B6T1N-Z0HJC`.
    pub key: String,
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

/// A Corporate customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Customer {
    pub id: Uuid,
    pub name: String,
    /// The customer tenant's name (SPEC §15): lower-case letters, digits and hyphens, 3–63
    /// characters, unique under your reseller; derived from the name at creation.
    pub tenant_name: String,
    /// How the customer tenant is shown to technicians; the name at creation.
    pub display_name: String,
    /// `<tenant name>-<MSP name>`: the customer tenant's address.
    pub address: String,
    /// Where the web app opens the customer tenant: `https://<address>.<public domain>` when the
    /// server has a public domain, `/t/<address>` otherwise.
    pub url: String,
    /// The customer tenant's own users who signed in during the last 30 days.
    pub active_users: u32,
    /// The MSP's active technicians who may go into the customer tenant: its admins and those
    /// delegated to it, directly or through a group, each counted once.
    pub technicians: u32,
    /// Always `Corporate`.
    pub customer_type: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub spla: bool,
    pub total_licenses: u32,
    pub active_licenses: u32,
    /// 0–100: how likely the customer is to leave (SPEC §8).
    pub churn_score: u8,
    pub email: String,
    pub details: Option<String>,
    pub monthly_billing: bool,
    pub licensing_options: Vec<LicensingOption>,
    pub opt_in_master_gp: bool,
    /// Group policies the customer received from the reseller's master GPs.
    pub group_policy_ids: Vec<Uuid>,
    pub azure_tenant_id: Option<String>,
    pub reseller_id: Uuid,
    pub licence_key: LicenceKeyInfo,
}

/// `POST /api/v1/licensing/activations` and `…/deactivations` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DeviceActivation {
    /// The customer's licence key, as typed: 25 letters and digits (any case; O is read as 0, I and
    /// L as 1; there is no U), with any hyphens and spaces between them.
    #[cfg_attr(
        feature = "openapi",
        schema(
            example = "7K3QX-M9D2P-4VW8R-B6T1N-Z0HJC",
            min_length = 25,
            pattern = r"^([- ]*(?:[0-9A-TV-Za-tv-z][- ]*){25})$"
        )
    )]
    pub licence_key: String,
    /// The device's own stable identifier, 1–200 characters once surrounding whitespace is trimmed.
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            pattern = r"^([\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000](?:[\s\S]{0,198}[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000])?[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*)$"
        )
    )]
    pub device_id: String,
}

/// A customer's licence use after an activation or deactivation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LicenceUsage {
    pub customer_id: Uuid,
    pub active_licenses: u32,
    pub total_licenses: u32,
    pub churn_score: u8,
    /// Whether this device holds one of the active licences now.
    pub device_active: bool,
}
