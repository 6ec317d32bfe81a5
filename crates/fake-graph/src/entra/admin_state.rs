//! What the just-in-time account, role and LAPS endpoints keep beside a directory's users and
//! domains: the mail nicknames of users created through Graph, role assignments, revoked
//! sessions, LAPS devices and the log of calls. It lives under the directories' one lock, so a
//! user deleted takes its role assignments with it at once.

use std::collections::HashMap;

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};

use super::{DirectoryUser, EntraDirectories, Inner, graph_call::GraphCall};
use crate::fixture::{DirectoryAccount, DirectoryDevice, SignInScenario};

#[derive(Default)]
pub(crate) struct AdminState {
    /// Of the users created through Graph, by object ID; fixture accounts have their UPN's.
    nicknames: HashMap<String, String>,
    assignments: Vec<RoleAssignment>,
    /// Object IDs, in the order their sessions were revoked.
    revocations: Vec<String>,
    devices: Vec<DirectoryDevice>,
    calls: Vec<GraphCall>,
}

impl AdminState {
    pub(crate) fn new(devices: &[DirectoryDevice]) -> Self {
        Self {
            devices: devices.to_vec(),
            ..Self::default()
        }
    }
}

/// A directory role assigned to a principal over a scope (`/`: the whole tenant).
#[derive(Debug, Clone)]
pub(crate) struct RoleAssignment {
    pub tenant_id: String,
    pub id: String,
    pub role_definition_id: String,
    pub principal_id: String,
    pub directory_scope_id: String,
}

/// A user as `POST /users` creates it, its properties already checked.
pub(crate) struct NewAccount {
    pub user_principal_name: String,
    pub display_name: String,
    pub mail_nickname: String,
    pub account_enabled: bool,
}

pub(crate) enum Assignment {
    Created(RoleAssignment),
    PrincipalNotFound,
    Conflict,
}

/// A user of `tenant` now (not deleted), by object ID or UPN, as Graph's `/users/{id}` finds it.
fn position(inner: &Inner, tenant: &str, id: &str) -> Option<usize> {
    inner.users.iter().position(|user| {
        !user.removed
            && user.account.tenant_id.eq_ignore_ascii_case(tenant)
            && (user.account.object_id.eq_ignore_ascii_case(id)
                || user.account.user_principal_name.eq_ignore_ascii_case(id))
    })
}

impl EntraDirectories {
    /// The calls the just-in-time account, role and LAPS endpoints answered, oldest first.
    pub fn calls(&self) -> Vec<GraphCall> {
        self.with(|inner| inner.admin.calls.clone())
            .unwrap_or_default()
    }

    /// The object IDs whose sign-in sessions were revoked, oldest first.
    pub fn revoked_sessions(&self) -> Vec<String> {
        self.with(|inner| inner.admin.revocations.clone())
            .unwrap_or_default()
    }

    /// The role definition IDs assigned to `principal_id` now.
    pub fn roles_of(&self, principal_id: &str) -> Vec<String> {
        self.with(|inner| {
            inner
                .admin
                .assignments
                .iter()
                .filter(|assignment| assignment.principal_id.eq_ignore_ascii_case(principal_id))
                .map(|assignment| assignment.role_definition_id.clone())
                .collect()
        })
        .unwrap_or_default()
    }

    /// The account with this object ID or UPN in any tenant, unless deleted.
    pub fn account(&self, id_or_upn: &str) -> Option<DirectoryAccount> {
        self.with(|inner| {
            inner
                .users
                .iter()
                .find(|user| {
                    !user.removed
                        && (user.account.object_id.eq_ignore_ascii_case(id_or_upn)
                            || user
                                .account
                                .user_principal_name
                                .eq_ignore_ascii_case(id_or_upn))
                })
                .map(|user| user.account.clone())
        })
        .flatten()
    }

    /// Adds a LAPS device, or replaces the one with the same tenant and device ID.
    pub fn put_device(&self, device: DirectoryDevice) {
        self.with(|inner| {
            let devices = &mut inner.admin.devices;
            devices.retain(|known| {
                !(known.tenant_id.eq_ignore_ascii_case(&device.tenant_id)
                    && known.device_id.eq_ignore_ascii_case(&device.device_id))
            });
            devices.push(device);
        });
    }

    pub(crate) fn record_call(&self, call: GraphCall) {
        self.with(|inner| inner.admin.calls.push(call));
    }

    /// A user of `tenant`, with its mail nickname when Graph created it (a fixture account's
    /// is its UPN's local part, and its UPN is its mail).
    pub(crate) fn find_user(
        &self,
        tenant: &str,
        id: &str,
    ) -> Option<(DirectoryAccount, Option<String>)> {
        self.with(|inner| {
            let account = inner
                .users
                .get(position(inner, tenant, id)?)?
                .account
                .clone();
            let nickname = inner.admin.nicknames.get(&account.object_id).cloned();
            Some((account, nickname))
        })
        .flatten()
    }

    /// Creates the user with a new object ID; `None` when its UPN is taken in the tenant.
    pub(crate) fn create_account(
        &self,
        tenant: &str,
        object_id: String,
        new: NewAccount,
    ) -> Option<DirectoryAccount> {
        self.with(|inner| {
            if position(inner, tenant, &new.user_principal_name).is_some() {
                return None;
            }
            let account = DirectoryAccount {
                user_principal_name: new.user_principal_name,
                display_name: new.display_name,
                object_id,
                tenant_id: tenant.to_owned(),
                scenario: SignInScenario::Normal,
                account_enabled: new.account_enabled,
            };
            inner
                .admin
                .nicknames
                .insert(account.object_id.clone(), new.mail_nickname);
            inner.users.push(DirectoryUser {
                account: account.clone(),
                removed: false,
            });
            inner.changes.push(account.object_id.clone());
            Some(account)
        })
        .flatten()
    }

    /// Applies a `PATCH`; false when the tenant has no such user.
    pub(crate) fn update_account(
        &self,
        tenant: &str,
        id: &str,
        account_enabled: Option<bool>,
        display_name: Option<String>,
    ) -> bool {
        self.with(|inner| {
            let Some(index) = position(inner, tenant, id) else {
                return false;
            };
            let Some(user) = inner.users.get_mut(index) else {
                return false;
            };
            if let Some(enabled) = account_enabled {
                user.account.account_enabled = enabled;
            }
            if let Some(name) = display_name {
                user.account.display_name = name;
            }
            let object_id = user.account.object_id.clone();
            inner.changes.push(object_id);
            true
        })
        .unwrap_or(false)
    }

    /// Deletes the user and, as Entra does, its role assignments; false when there is none.
    pub(crate) fn delete_account(&self, tenant: &str, id: &str) -> bool {
        self.with(|inner| {
            let Some(index) = position(inner, tenant, id) else {
                return false;
            };
            let Some(user) = inner.users.get_mut(index) else {
                return false;
            };
            user.removed = true;
            let object_id = user.account.object_id.clone();
            inner
                .admin
                .assignments
                .retain(|assignment| !assignment.principal_id.eq_ignore_ascii_case(&object_id));
            inner.changes.push(object_id);
            true
        })
        .unwrap_or(false)
    }

    /// Records a revocation of the user's sessions; false when the tenant has no such user.
    pub(crate) fn revoke_sessions(&self, tenant: &str, id: &str) -> bool {
        self.with(|inner| {
            let Some(object_id) = position(inner, tenant, id)
                .and_then(|index| inner.users.get(index))
                .map(|user| user.account.object_id.clone())
            else {
                return false;
            };
            inner.admin.revocations.push(object_id);
            true
        })
        .unwrap_or(false)
    }

    pub(crate) fn assign_role(
        &self,
        tenant: &str,
        role_definition_id: &str,
        principal_id: &str,
        directory_scope_id: &str,
    ) -> Assignment {
        self.with(|inner| {
            let Some(principal) = position(inner, tenant, principal_id)
                .and_then(|index| inner.users.get(index))
                .filter(|user| user.account.object_id.eq_ignore_ascii_case(principal_id))
                .map(|user| user.account.object_id.clone())
            else {
                return Assignment::PrincipalNotFound;
            };
            let assignments = &mut inner.admin.assignments;
            if assignments.iter().any(|assignment| {
                assignment.principal_id == principal
                    && assignment
                        .role_definition_id
                        .eq_ignore_ascii_case(role_definition_id)
                    && assignment.directory_scope_id == directory_scope_id
            }) {
                return Assignment::Conflict;
            }
            let mut bytes = [0u8; 33];
            // Without randomness the fake still works; IDs are then merely predictable.
            let _ = getrandom::fill(&mut bytes);
            let assignment = RoleAssignment {
                tenant_id: tenant.to_owned(),
                // Graph's assignment IDs look like this: 43 Base64url characters and `-1`.
                id: format!("{}-1", &URL_SAFE_NO_PAD.encode(bytes)[..43]),
                role_definition_id: role_definition_id.to_lowercase(),
                principal_id: principal,
                directory_scope_id: directory_scope_id.to_owned(),
            };
            assignments.push(assignment.clone());
            Assignment::Created(assignment)
        })
        .unwrap_or(Assignment::PrincipalNotFound)
    }

    pub(crate) fn role_assignments(&self, tenant: &str) -> Vec<RoleAssignment> {
        self.with(|inner| {
            inner
                .admin
                .assignments
                .iter()
                .filter(|assignment| assignment.tenant_id.eq_ignore_ascii_case(tenant))
                .cloned()
                .collect()
        })
        .unwrap_or_default()
    }

    /// Removes the assignment; false when the tenant has none with this ID.
    pub(crate) fn unassign_role(&self, tenant: &str, id: &str) -> bool {
        self.with(|inner| {
            let assignments = &mut inner.admin.assignments;
            let before = assignments.len();
            assignments.retain(|assignment| {
                !(assignment.id == id && assignment.tenant_id.eq_ignore_ascii_case(tenant))
            });
            assignments.len() < before
        })
        .unwrap_or(false)
    }

    pub(crate) fn devices_of(&self, tenant: &str) -> Vec<DirectoryDevice> {
        self.with(|inner| {
            inner
                .admin
                .devices
                .iter()
                .filter(|device| device.tenant_id.eq_ignore_ascii_case(tenant))
                .cloned()
                .collect()
        })
        .unwrap_or_default()
    }
}
