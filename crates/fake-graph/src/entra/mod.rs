//! Entra directories as the product's user source reads them (SPEC §16): admin consent for the
//! operator's multi-tenant app, app-only tokens for a consented tenant, `/v1.0/domains`,
//! `/v1.0/users` with `$filter`, and `/v1.0/users/delta` with paging, a `deltaLink`, `@removed`
//! and `accountEnabled` changes. Tests and the demo change a directory while the fake runs,
//! through [`FakeGraph::entra`](crate::FakeGraph::entra) or the `/_fake/users/{id}` endpoint.
//!
//! For just-in-time admin accounts and LAPS in a customer's tenant it also speaks Graph's
//! `POST|GET|PATCH|DELETE /v1.0/users/{id}`, `revokeSignInSessions`, directory role definitions
//! and assignments, and `directory/deviceLocalCredentials` (see [`routes`]).

mod accounts;
mod admin_state;
pub(crate) mod consent;
mod graph_call;
mod laps;
mod roles;
mod user_rules;
pub(crate) mod users;

use std::{collections::HashSet, sync::Mutex};

use actix_web::web;

pub use graph_call::GraphCall;

use crate::fixture::{DirectoryAccount, DirectoryDevice, DirectoryDomain};

/// One user of a directory, as it is now.
#[derive(Debug, Clone)]
pub(crate) struct DirectoryUser {
    pub account: DirectoryAccount,
    pub removed: bool,
}

/// Every tenant's users and domains, the tenants that consented to the operator's app, and the
/// log of changes that `/users/delta` reports.
pub struct EntraDirectories {
    inner: Mutex<Inner>,
}

struct Inner {
    users: Vec<DirectoryUser>,
    domains: Vec<DirectoryDomain>,
    consented: HashSet<String>,
    /// Object IDs in the order they changed; a delta token is a position in it.
    changes: Vec<String>,
    admin: admin_state::AdminState,
}

/// The just-in-time account, role and LAPS endpoints. Registered after `/v1.0/users/delta`, so
/// that `delta` is never taken for a user's ID.
pub(crate) fn routes(config: &mut web::ServiceConfig) {
    config
        .route("/v1.0/users", web::post().to(accounts::create_user))
        .route("/v1.0/users/{id}", web::get().to(accounts::get_user))
        .route("/v1.0/users/{id}", web::patch().to(accounts::update_user))
        .route("/v1.0/users/{id}", web::delete().to(accounts::delete_user))
        .route(
            "/v1.0/users/{id}/revokeSignInSessions",
            web::post().to(accounts::revoke_sign_in_sessions),
        )
        .route(
            "/v1.0/roleManagement/directory/roleDefinitions",
            web::get().to(roles::list_definitions),
        )
        .route(
            "/v1.0/roleManagement/directory/roleDefinitions/{id}",
            web::get().to(roles::get_definition),
        )
        .route(
            "/v1.0/roleManagement/directory/roleAssignments",
            web::get().to(roles::list_assignments),
        )
        .route(
            "/v1.0/roleManagement/directory/roleAssignments",
            web::post().to(roles::create_assignment),
        )
        .route(
            "/v1.0/roleManagement/directory/roleAssignments/{id}",
            web::delete().to(roles::delete_assignment),
        )
        .route(
            "/v1.0/directory/deviceLocalCredentials",
            web::get().to(laps::list_devices),
        )
        .route(
            "/v1.0/directory/deviceLocalCredentials/{device_id}",
            web::get().to(laps::get_device),
        );
}

impl EntraDirectories {
    pub(crate) fn new(
        accounts: &[DirectoryAccount],
        domains: &[DirectoryDomain],
        devices: &[DirectoryDevice],
    ) -> Self {
        Self {
            inner: Mutex::new(Inner {
                users: accounts
                    .iter()
                    .map(|account| DirectoryUser {
                        account: account.clone(),
                        removed: false,
                    })
                    .collect(),
                domains: domains.to_vec(),
                consented: HashSet::new(),
                changes: Vec::new(),
                admin: admin_state::AdminState::new(devices),
            }),
        }
    }

    fn with<T>(&self, read: impl FnOnce(&mut Inner) -> T) -> Option<T> {
        self.inner.lock().ok().map(|mut inner| read(&mut inner))
    }

    /// Whether any account or domain belongs to `tenant_id`.
    pub(crate) fn knows_tenant(&self, tenant_id: &str) -> bool {
        self.with(|inner| {
            inner
                .users
                .iter()
                .any(|user| user.account.tenant_id.eq_ignore_ascii_case(tenant_id))
                || inner
                    .domains
                    .iter()
                    .any(|domain| domain.tenant_id.eq_ignore_ascii_case(tenant_id))
        })
        .unwrap_or(false)
    }

    pub(crate) fn grant_consent(&self, tenant_id: &str) {
        self.with(|inner| inner.consented.insert(tenant_id.to_lowercase()));
    }

    /// Whether the operator's app may have app-only tokens for `tenant_id`.
    pub fn consented(&self, tenant_id: &str) -> bool {
        self.with(|inner| inner.consented.contains(&tenant_id.to_lowercase()))
            .unwrap_or(false)
    }

    pub(crate) fn domains_of(&self, tenant_id: &str) -> Vec<DirectoryDomain> {
        self.with(|inner| {
            inner
                .domains
                .iter()
                .filter(|domain| domain.tenant_id.eq_ignore_ascii_case(tenant_id))
                .cloned()
                .collect()
        })
        .unwrap_or_default()
    }

    /// The tenant's users now (removed ones left out).
    /// The tenant's users `offset..offset + limit` now (removed ones left out), and how many it
    /// has: only the page is copied, so a page of a large directory costs the page.
    pub(crate) fn users_page(
        &self,
        tenant_id: &str,
        offset: usize,
        limit: usize,
    ) -> (usize, Vec<DirectoryAccount>) {
        self.with(|inner| {
            let mut total = 0;
            let mut page = Vec::new();
            for user in inner.users.iter().filter(|user| {
                !user.removed && user.account.tenant_id.eq_ignore_ascii_case(tenant_id)
            }) {
                if total >= offset && page.len() < limit {
                    page.push(user.account.clone());
                }
                total += 1;
            }
            (total, page)
        })
        .unwrap_or_default()
    }

    pub(crate) fn users_of(&self, tenant_id: &str) -> Vec<DirectoryAccount> {
        self.with(|inner| {
            inner
                .users
                .iter()
                .filter(|user| {
                    !user.removed && user.account.tenant_id.eq_ignore_ascii_case(tenant_id)
                })
                .map(|user| user.account.clone())
                .collect()
        })
        .unwrap_or_default()
    }

    /// The position the next change will take: a delta token.
    pub(crate) fn change_count(&self) -> usize {
        self.with(|inner| inner.changes.len()).unwrap_or(0)
    }

    /// The tenant's users changed at positions `from..to`, once each, as they are now.
    pub(crate) fn changed(&self, tenant_id: &str, from: usize, to: usize) -> Vec<DirectoryUser> {
        self.with(|inner| {
            let mut seen = HashSet::new();
            let ids: Vec<String> = inner
                .changes
                .get(from.min(to)..to.min(inner.changes.len()))
                .unwrap_or_default()
                .iter()
                .filter(|id| seen.insert((*id).clone()))
                .cloned()
                .collect();
            ids.iter()
                .filter_map(|id| {
                    inner
                        .users
                        .iter()
                        .find(|user| {
                            user.account.object_id == *id
                                && user.account.tenant_id.eq_ignore_ascii_case(tenant_id)
                        })
                        .cloned()
                })
                .collect()
        })
        .unwrap_or_default()
    }

    /// Disables or re-enables the account `object_id`; false when there is none.
    pub fn set_account_enabled(&self, object_id: &str, enabled: bool) -> bool {
        self.change(object_id, |user| user.account.account_enabled = enabled)
    }

    /// Deletes the account `object_id` from its directory; false when there is none.
    pub fn remove_user(&self, object_id: &str) -> bool {
        self.change(object_id, |user| user.removed = true)
    }

    /// Adds an account (or restores a removed one with the same object ID).
    pub fn put_user(&self, account: DirectoryAccount) {
        self.with(|inner| {
            let id = account.object_id.clone();
            match inner
                .users
                .iter_mut()
                .find(|user| user.account.object_id.eq_ignore_ascii_case(&id))
            {
                Some(user) => {
                    user.account = account;
                    user.removed = false;
                }
                None => inner.users.push(DirectoryUser {
                    account,
                    removed: false,
                }),
            }
            inner.changes.push(id);
        });
    }

    fn change(&self, object_id: &str, apply: impl FnOnce(&mut DirectoryUser)) -> bool {
        self.with(|inner| {
            let Some(user) = inner
                .users
                .iter_mut()
                .find(|user| user.account.object_id.eq_ignore_ascii_case(object_id))
            else {
                return false;
            };
            apply(user);
            let id = user.account.object_id.clone();
            inner.changes.push(id);
            true
        })
        .unwrap_or(false)
    }
}
