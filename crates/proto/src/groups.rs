//! Technician groups (SPEC §15, §17): `GET|POST /api/v1/technician-groups`.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A technician group of the caller's tenant, with its members' IDs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TechnicianGroup {
    pub id: Uuid,
    pub name: String,
    /// The members, users of the same tenant, oldest membership first.
    pub member_ids: Vec<Uuid>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// `POST /api/v1/technician-groups` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewTechnicianGroup {
    /// 1–100 characters once surrounding whitespace is trimmed, unique in your tenant (ignoring
    /// case).
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            example = "Level 1 techs",
            pattern = r"^([\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000](?:[\s\S]{0,98}[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000])?[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*)$"
        )
    )]
    pub name: String,
    /// Users of your tenant to put in it at once (at most 1 000).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 1000))]
    pub member_ids: Vec<Uuid>,
}

/// `PATCH /api/v1/technician-groups/{id}` body: a new name, or the whole new set of members.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TechnicianGroupChanges {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            pattern = r"^([\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000](?:[\s\S]{0,98}[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000])?[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*)$"
        )
    )]
    pub name: Option<String>,
    /// Replaces the members (at most 1 000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_items = 1000))]
    pub member_ids: Option<Vec<Uuid>>,
}

/// `GET|PUT /api/v1/customers/{id}/delegation` (SPEC §15, §17, admins): the MSP's technicians and
/// technician groups allowed into a customer tenant besides its admins, who always are. `PUT`
/// replaces both lists.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Delegation {
    /// Users of the customer's MSP (at most 1 000).
    #[cfg_attr(feature = "openapi", schema(max_items = 1000))]
    pub user_ids: Vec<Uuid>,
    /// Technician groups of the customer's MSP (at most 1 000).
    #[cfg_attr(feature = "openapi", schema(max_items = 1000))]
    pub group_ids: Vec<Uuid>,
}
