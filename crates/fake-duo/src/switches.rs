//! Switches a test (or the browser tests, over `/_fake/switches`) flips at run time to make the
//! fake behave the way Duo does when things go wrong. Every switch starts off.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use serde::{Deserialize, Serialize};

#[derive(Debug, Default)]
pub struct Switches {
    deny: AtomicBool,
    latency_ms: AtomicU64,
    unreachable: AtomicBool,
    wrong_signature: AtomicBool,
}

/// Every switch at once: what `GET /_fake/switches` answers. In a `POST`, each field is
/// optional and only the fields given change.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SwitchSettings {
    pub deny: bool,
    pub latency_ms: u64,
    pub unreachable: bool,
    pub wrong_signature: bool,
}

/// The body of `POST /_fake/switches`; an unknown field is refused so a typo does not pass
/// silently.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SwitchChanges {
    deny: Option<bool>,
    latency_ms: Option<u64>,
    unreachable: Option<bool>,
    wrong_signature: Option<bool>,
}

impl Switches {
    /// The user's push is denied: **Approve** on the prompt still ends in an ID token whose
    /// `auth_result` is `deny`, as when the phone's owner taps Deny.
    pub fn set_deny(&self, denied: bool) {
        self.deny.store(denied, Ordering::Relaxed);
    }

    pub fn deny(&self) -> bool {
        self.deny.load(Ordering::Relaxed)
    }

    /// Every Duo endpoint (not `/_fake`) waits this long before it answers (or cuts).
    pub fn set_latency(&self, latency: Duration) {
        let millis = u64::try_from(latency.as_millis()).unwrap_or(u64::MAX);
        self.latency_ms.store(millis, Ordering::Relaxed);
    }

    pub fn latency(&self) -> Duration {
        Duration::from_millis(self.latency_ms.load(Ordering::Relaxed))
    }

    /// Duo is down: every Duo endpoint (not `/_fake`) cuts the connection without an HTTP
    /// answer, so a client meets a transport error, not a status code.
    pub fn set_unreachable(&self, unreachable: bool) {
        self.unreachable.store(unreachable, Ordering::Relaxed);
    }

    pub fn unreachable(&self) -> bool {
        self.unreachable.load(Ordering::Relaxed)
    }

    /// ID tokens are signed with another secret than the client's, so their verification
    /// fails, as it must for a forged or tampered token.
    pub fn set_wrong_signature(&self, wrong: bool) {
        self.wrong_signature.store(wrong, Ordering::Relaxed);
    }

    pub fn wrong_signature(&self) -> bool {
        self.wrong_signature.load(Ordering::Relaxed)
    }

    /// Turns every switch off.
    pub fn reset(&self) {
        self.apply(SwitchSettings::default());
    }

    pub fn settings(&self) -> SwitchSettings {
        SwitchSettings {
            deny: self.deny(),
            latency_ms: self.latency_ms.load(Ordering::Relaxed),
            unreachable: self.unreachable(),
            wrong_signature: self.wrong_signature(),
        }
    }

    /// Sets every switch to `settings`.
    pub fn apply(&self, settings: SwitchSettings) {
        self.set_deny(settings.deny);
        self.latency_ms
            .store(settings.latency_ms, Ordering::Relaxed);
        self.set_unreachable(settings.unreachable);
        self.set_wrong_signature(settings.wrong_signature);
    }

    pub(crate) fn change(&self, changes: &SwitchChanges) {
        if let Some(deny) = changes.deny {
            self.set_deny(deny);
        }
        if let Some(millis) = changes.latency_ms {
            self.latency_ms.store(millis, Ordering::Relaxed);
        }
        if let Some(unreachable) = changes.unreachable {
            self.set_unreachable(unreachable);
        }
        if let Some(wrong) = changes.wrong_signature {
            self.set_wrong_signature(wrong);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_sets_only_the_fields_it_names() {
        let switches = Switches::default();
        switches.set_latency(Duration::from_millis(250));
        let changes: SwitchChanges = serde_json::from_str(r#"{"deny":true}"#).unwrap();
        switches.change(&changes);
        assert_eq!(
            switches.settings(),
            SwitchSettings {
                deny: true,
                latency_ms: 250,
                ..SwitchSettings::default()
            }
        );
    }

    #[test]
    fn an_unknown_switch_is_refused() {
        assert!(serde_json::from_str::<SwitchChanges>(r#"{"denied":true}"#).is_err());
    }
}
