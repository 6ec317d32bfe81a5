//! A connection's role mapping: as the API shows and takes it, as it is kept (JSON in one
//! column), and checked against the customer's directory and the MSP's technician groups.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use domain::{AzureTenantId, RoleId, RoleMapping};
use entity::technician_group;
use msp_graph::{GraphClient, SignInApp};
use proto::{FieldError, GroupRoles, RoleMappingMode, RoleMappingSettings};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::{CustomerEntraError, invalid};
use crate::services::storage::StorageError;

/// The stored mapping, as the API shows it.
pub(super) fn mapping_settings(stored: Option<&str>) -> Option<RoleMappingSettings> {
    let mapping: StoredMapping = serde_json::from_str(stored?).ok()?;
    Some(match mapping {
        StoredMapping::AllAdmins(roles) => RoleMappingSettings {
            mode: RoleMappingMode::AllAdmins,
            all_admins: roles,
            groups: Vec::new(),
        },
        StoredMapping::Groups(groups) => RoleMappingSettings {
            mode: RoleMappingMode::PerGroup,
            all_admins: Vec::new(),
            groups: groups
                .into_iter()
                .map(|(group_id, roles)| GroupRoles { group_id, roles })
                .collect(),
        },
    })
}

/// How a mapping is kept: `{"all_admins": [...]}` or `{"groups": {id: [...]}}`.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum StoredMapping {
    AllAdmins(Vec<Uuid>),
    Groups(BTreeMap<Uuid, Vec<Uuid>>),
}

impl StoredMapping {
    pub(super) fn of(mapping: &RoleMapping) -> Self {
        let ids = |roles: &BTreeSet<RoleId>| roles.iter().map(|role| role.uuid()).collect();
        match mapping {
            RoleMapping::AllAdmins(roles) => Self::AllAdmins(ids(roles)),
            RoleMapping::PerGroup(groups) => Self::Groups(
                groups
                    .iter()
                    .map(|(group, roles)| (*group, ids(roles)))
                    .collect(),
            ),
        }
    }
}

/// The mapping the admin asked for, by the domain's rules.
pub(super) fn parse_mapping(
    wanted: &RoleMappingSettings,
) -> Result<RoleMapping, CustomerEntraError> {
    let role_ids = |ids: &[Uuid]| -> BTreeSet<RoleId> {
        ids.iter()
            .filter_map(|id| RoleId::parse(&id.to_string()).ok())
            .collect()
    };
    let parsed = match wanted.mode {
        RoleMappingMode::AllAdmins => RoleMapping::all_admins(role_ids(&wanted.all_admins)),
        RoleMappingMode::PerGroup => {
            let mut groups = BTreeMap::new();
            for group in &wanted.groups {
                if groups
                    .insert(group.group_id, role_ids(&group.roles))
                    .is_some()
                {
                    return Err(invalid(
                        "role_mapping",
                        "duplicate_group",
                        format!("the group {} is mapped twice", group.group_id),
                    ));
                }
            }
            RoleMapping::per_group(groups)
        }
    };
    parsed.map_err(|error| invalid("role_mapping", "invalid", error.to_string()))
}

pub(super) async fn check_mapping(
    db: &impl ConnectionTrait,
    graph: &GraphClient,
    app: &SignInApp,
    entra: &AzureTenantId,
    msp: Uuid,
    mapping: &RoleMapping,
) -> Result<(), CustomerEntraError> {
    let known: HashSet<String> = graph
        .built_in_roles(app, entra)
        .await?
        .into_iter()
        .map(|role| role.id.to_ascii_lowercase())
        .collect();
    let mut errors: Vec<FieldError> = mapping
        .every_role()
        .into_iter()
        .filter(|role| !known.contains(&role.to_string()))
        .map(|role| {
            FieldError::new(
                "role_mapping",
                "unknown_role",
                format!("the customer's directory has no built-in role {role}"),
            )
        })
        .collect();
    if let RoleMapping::PerGroup(groups) = mapping {
        let ids: Vec<Uuid> = groups.keys().copied().collect();
        let found: HashSet<Uuid> = technician_group::Entity::find()
            .filter(technician_group::Column::TenantId.eq(msp))
            .filter(technician_group::Column::Id.is_in(ids.clone()))
            .all(db)
            .await
            .map_err(StorageError::from)?
            .into_iter()
            .map(|group| group.id)
            .collect();
        errors.extend(ids.into_iter().filter(|id| !found.contains(id)).map(|id| {
            FieldError::new(
                "role_mapping",
                "unknown_group",
                format!("your MSP has no technician group {id}"),
            )
        }));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(CustomerEntraError::Invalid(errors))
    }
}

/// The stored mapping by the domain's rules; `None` when none is saved.
pub(super) fn stored_mapping(stored: Option<&str>) -> Option<RoleMapping> {
    parse_mapping(&mapping_settings(stored)?).ok()
}
