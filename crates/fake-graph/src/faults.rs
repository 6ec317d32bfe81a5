//! Switches a test flips at run time to make the fake misbehave the way Graph and Entra do.

use std::sync::{
    Mutex,
    atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering},
};
use std::time::Duration;

/// Every switch starts off. Counted faults (`throttle_next`, …) apply to that many upcoming
/// `/v1.0/contracts` requests, then the fake behaves again.
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

    /// Answer the next `count` contract requests with 429 and this `Retry-After`.
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

    /// Answer the next `count` contract requests with 503.
    pub fn unavailable_next(&self, count: u32) {
        self.unavailable_next.store(count, Ordering::Relaxed);
    }

    /// Cut the connection in the middle of the next `count` contract answers.
    pub fn drop_next(&self, count: u32) {
        self.drop_next.store(count, Ordering::Relaxed);
    }

    /// The app registration lacks `Directory.Read.All`: 403 `Authorization_RequestDenied`.
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
