//! Switches a test flips at run time to make the fake misbehave the way Graph and Entra do.

use std::collections::HashSet;
use std::sync::{
    Mutex,
    atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering},
};
use std::time::Duration;

/// Every switch starts off. Counted faults (`throttle_next`, …) apply to that many upcoming
/// Graph requests (contracts, GDAP customers and every Entra directory endpoint alike), then the
/// fake behaves again.
#[derive(Debug, Default)]
pub struct Faults {
    latency_ms: AtomicU64,
    throttle_next: AtomicU32,
    /// `None`: answer 429 without a `Retry-After` header.
    throttle_retry_after_secs: Mutex<Option<u64>>,
    unavailable_next: AtomicU32,
    drop_next: AtomicU32,
    deny_permission: AtomicBool,
    secret_expired: AtomicBool,
    empty_pages: AtomicBool,
    deny_gdap: AtomicBool,
    refuse_consent: AtomicBool,
    denied_permissions: Mutex<HashSet<GraphPermission>>,
    principal_not_found_next: AtomicU32,
    drop_answer_next: AtomicU32,
    drop_create_answer_next: AtomicBool,
}

/// An application permission of Graph that the operator's app may lack in a customer's tenant
/// (an administrator consented before the app asked for it, or removed it since).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GraphPermission {
    /// `User.ReadWrite.All`: create, change and delete users, revoke their sessions.
    UserReadWriteAll,
    /// `RoleManagement.ReadWrite.Directory`: create and remove role assignments.
    RoleManagementReadWriteDirectory,
    /// `DeviceLocalCredential.ReadBasic.All`: list LAPS devices, without passwords.
    DeviceLocalCredentialReadBasicAll,
    /// `DeviceLocalCredential.Read.All`: LAPS passwords (it also lists devices).
    DeviceLocalCredentialReadAll,
}

/// What the contracts endpoint does with the next request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ContractsFault {
    Throttle { retry_after_secs: Option<u64> },
    Unavailable,
    DropConnection,
    DenyPermission,
}

impl Faults {
    /// Added before every answer of the fake, token and contracts alike.
    pub fn set_latency(&self, latency: Duration) {
        let millis = u64::try_from(latency.as_millis()).unwrap_or(u64::MAX);
        self.latency_ms.store(millis, Ordering::Relaxed);
    }

    pub(crate) fn latency(&self) -> Duration {
        Duration::from_millis(self.latency_ms.load(Ordering::Relaxed))
    }

    /// Answer the next `count` Graph requests with 429 and this `Retry-After`.
    pub fn throttle_next(&self, count: u32, retry_after_secs: Option<u64>) {
        if let Ok(mut retry_after) = self.throttle_retry_after_secs.lock() {
            *retry_after = retry_after_secs;
        }
        self.throttle_next.store(count, Ordering::Relaxed);
    }

    /// Answer GDAP's `delegatedAdminCustomers` with 403, as Graph does for an app without
    /// `DelegatedAdminRelationship.Read.All`; contracts still answer.
    pub fn deny_gdap(&self, denied: bool) {
        self.deny_gdap.store(denied, Ordering::Relaxed);
    }

    /// Admin consent fails (AADSTS90094), as for an account that may not grant it.
    pub fn refuse_consent(&self, refused: bool) {
        self.refuse_consent.store(refused, Ordering::Relaxed);
    }

    pub(crate) fn consent_refused(&self) -> bool {
        self.refuse_consent.load(Ordering::Relaxed)
    }

    pub(crate) fn gdap_denied(&self) -> bool {
        self.deny_gdap.load(Ordering::Relaxed)
    }

    /// Answer the next `count` Graph requests with 503.
    pub fn unavailable_next(&self, count: u32) {
        self.unavailable_next.store(count, Ordering::Relaxed);
    }

    /// Cut the connection in the middle of the next `count` Graph answers.
    pub fn drop_next(&self, count: u32) {
        self.drop_next.store(count, Ordering::Relaxed);
    }

    /// The app registration lacks `Directory.Read.All`: every Graph request answers 403
    /// `Authorization_RequestDenied`.
    pub fn deny_permission(&self, denied: bool) {
        self.deny_permission.store(denied, Ordering::Relaxed);
    }

    /// The right secret is refused as expired (AADSTS7000222).
    pub fn expire_secret(&self, expired: bool) {
        self.secret_expired.store(expired, Ordering::Relaxed);
    }

    pub(crate) fn secret_expired(&self) -> bool {
        self.secret_expired.load(Ordering::Relaxed)
    }

    /// Serve an empty page before every page after the first, as Graph sometimes does.
    pub fn insert_empty_pages(&self, inserted: bool) {
        self.empty_pages.store(inserted, Ordering::Relaxed);
    }

    pub(crate) fn empty_pages(&self) -> bool {
        self.empty_pages.load(Ordering::Relaxed)
    }

    /// The operator's app lacks (or has again) `permission`: the endpoints that need it answer
    /// 403 `Authorization_RequestDenied`, the others still answer.
    pub fn deny_graph_permission(&self, permission: GraphPermission, denied: bool) {
        if let Ok(mut permissions) = self.denied_permissions.lock() {
            if denied {
                permissions.insert(permission);
            } else {
                permissions.remove(&permission);
            }
        }
    }

    pub(crate) fn lacks(&self, permission: GraphPermission) -> bool {
        self.denied_permissions
            .lock()
            .map(|permissions| permissions.contains(&permission))
            .unwrap_or(false)
    }

    /// The next `count` role assignments answer 404 for their principal although it exists, as
    /// Graph does for a user created moments before, until the directory has replicated it.
    pub fn principal_not_found_next(&self, count: u32) {
        self.principal_not_found_next
            .store(count, Ordering::Relaxed);
    }

    pub(crate) fn take_principal_not_found(&self) -> bool {
        take_one(&self.principal_not_found_next)
    }

    /// Carry out the next `count` just-in-time account, role or LAPS requests, then cut the
    /// connection before the answer: a client that retries a create meets its own success as a
    /// conflict.
    pub fn drop_answer_next(&self, count: u32) {
        self.drop_answer_next.store(count, Ordering::Relaxed);
    }

    /// Carry out the next `POST /v1.0/users`, then cut the connection before its answer (the
    /// other requests are answered): the create a client cannot know the outcome of.
    pub fn drop_next_create_answer(&self) {
        self.drop_create_answer_next.store(true, Ordering::Relaxed);
    }

    pub(crate) fn take_dropped_create_answer(&self) -> bool {
        self.drop_create_answer_next.swap(false, Ordering::Relaxed)
    }

    pub(crate) fn take_dropped_answer(&self) -> bool {
        take_one(&self.drop_answer_next)
    }

    pub(crate) fn next_contracts_fault(&self) -> Option<ContractsFault> {
        if self.deny_permission.load(Ordering::Relaxed) {
            return Some(ContractsFault::DenyPermission);
        }
        if take_one(&self.throttle_next) {
            let retry_after_secs = self
                .throttle_retry_after_secs
                .lock()
                .map(|retry_after| *retry_after)
                .unwrap_or(None);
            return Some(ContractsFault::Throttle { retry_after_secs });
        }
        if take_one(&self.unavailable_next) {
            return Some(ContractsFault::Unavailable);
        }
        if take_one(&self.drop_next) {
            return Some(ContractsFault::DropConnection);
        }
        None
    }
}

fn take_one(counter: &AtomicU32) -> bool {
    counter
        .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
            left.checked_sub(1)
        })
        .is_ok()
}
