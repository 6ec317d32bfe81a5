//! The role mapping as it is sent: one set of Entra built-in roles for **All admins**, or a set
//! per technician group, checked with the domain crate's own rules first so that a mistake shows
//! at once, in words that name the row.

use std::collections::{BTreeMap, BTreeSet};

use domain::{RoleId, RoleMapping};
use proto::{GroupRoles, RoleMappingMode, RoleMappingSettings};
use uuid::Uuid;

use crate::api::sentence;

/// One technician group's row as the admin left it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupRow {
    /// Tells rows apart while others are added and removed.
    pub key: u32,
    pub group: Option<Uuid>,
    pub roles: Vec<Uuid>,
}

fn role_set(roles: &[Uuid]) -> BTreeSet<RoleId> {
    roles
        .iter()
        .filter_map(|role| RoleId::parse(&role.to_string()).ok())
        .collect()
}

/// The mapping to save: `None` while nothing is chosen (accounts cannot be requested until it
/// is), else one the domain's rules accept, or what is wrong with it, in words.
pub fn mapping_to_send(
    per_group: bool,
    all_admins: &[Uuid],
    rows: &[GroupRow],
) -> Result<Option<RoleMappingSettings>, String> {
    let rule = |error: domain::RoleMappingError| sentence(&error.to_string());
    if !per_group {
        if all_admins.is_empty() {
            return Ok(None);
        }
        RoleMapping::all_admins(role_set(all_admins)).map_err(rule)?;
        return Ok(Some(RoleMappingSettings {
            mode: RoleMappingMode::AllAdmins,
            all_admins: all_admins.to_vec(),
            groups: Vec::new(),
        }));
    }
    let mut chosen = BTreeMap::new();
    let mut groups = Vec::new();
    // Rows left entirely empty are ignored, as a form's blank line would be.
    for (number, row) in (1..).zip(rows) {
        let Some(group) = row.group else {
            if row.roles.is_empty() {
                continue;
            }
            return Err(format!(
                "Choose the technician group of group mapping {number}."
            ));
        };
        if row.roles.is_empty() {
            return Err(format!(
                "Choose at least one role for group mapping {number}."
            ));
        }
        if chosen.insert(group, role_set(&row.roles)).is_some() {
            return Err(format!(
                "Group mapping {number} repeats the group of an earlier one: give each group one row."
            ));
        }
        groups.push(GroupRoles {
            group_id: group,
            roles: row.roles.clone(),
        });
    }
    if groups.is_empty() {
        return Ok(None);
    }
    RoleMapping::per_group(chosen).map_err(rule)?;
    Ok(Some(RoleMappingSettings {
        mode: RoleMappingMode::PerGroup,
        all_admins: Vec::new(),
        groups,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    const USER_ADMIN: Uuid = Uuid::from_u128(0xfe93_0be7_5e62_47db_91af_98c3_a49a_38b1);
    const GLOBAL_ADMIN: Uuid = Uuid::from_u128(0x62e9_0394_69f5_4237_9190_0121_7714_5e10);

    fn row(key: u32, group: Option<u128>, roles: &[Uuid]) -> GroupRow {
        GroupRow {
            key,
            group: group.map(Uuid::from_u128),
            roles: roles.to_vec(),
        }
    }

    #[test]
    fn all_admins_sends_its_roles_or_nothing_while_none_is_chosen() {
        assert_eq!(mapping_to_send(false, &[], &[]), Ok(None));
        let sent = mapping_to_send(false, &[USER_ADMIN, GLOBAL_ADMIN], &[row(0, Some(1), &[])]);
        assert_eq!(
            sent,
            Ok(Some(RoleMappingSettings {
                mode: RoleMappingMode::AllAdmins,
                all_admins: vec![USER_ADMIN, GLOBAL_ADMIN],
                groups: Vec::new(),
            }))
        );
    }

    #[test]
    fn per_group_sends_the_filled_rows_in_order_and_skips_blank_ones() {
        let rows = [
            row(3, Some(2), &[GLOBAL_ADMIN]),
            row(4, None, &[]),
            row(7, Some(1), &[USER_ADMIN, GLOBAL_ADMIN]),
        ];
        let sent = mapping_to_send(true, &[USER_ADMIN], &rows);
        assert_eq!(
            sent,
            Ok(Some(RoleMappingSettings {
                mode: RoleMappingMode::PerGroup,
                all_admins: Vec::new(),
                groups: vec![
                    GroupRoles {
                        group_id: Uuid::from_u128(2),
                        roles: vec![GLOBAL_ADMIN],
                    },
                    GroupRoles {
                        group_id: Uuid::from_u128(1),
                        roles: vec![USER_ADMIN, GLOBAL_ADMIN],
                    },
                ],
            }))
        );
        assert_eq!(mapping_to_send(true, &[], &[row(0, None, &[])]), Ok(None));
    }

    #[test]
    fn a_half_filled_or_repeated_row_is_named_by_its_number() {
        assert_eq!(
            mapping_to_send(
                true,
                &[],
                &[
                    row(0, Some(1), &[USER_ADMIN]),
                    row(5, None, &[GLOBAL_ADMIN])
                ]
            ),
            Err("Choose the technician group of group mapping 2.".to_owned())
        );
        assert_eq!(
            mapping_to_send(true, &[], &[row(0, Some(1), &[])]),
            Err("Choose at least one role for group mapping 1.".to_owned())
        );
        assert_eq!(
            mapping_to_send(
                true,
                &[],
                &[
                    row(0, Some(1), &[USER_ADMIN]),
                    row(1, Some(1), &[GLOBAL_ADMIN])
                ]
            ),
            Err(
                "Group mapping 2 repeats the group of an earlier one: give each group one row."
                    .to_owned()
            )
        );
    }

    #[test]
    fn the_domain_rules_bound_the_roles_of_a_set() {
        let many: Vec<Uuid> = (1..=21).map(Uuid::from_u128).collect();
        assert_eq!(
            mapping_to_send(false, &many, &[]),
            Err("A group or All admins has at most 20 roles.".to_owned())
        );
    }
}
