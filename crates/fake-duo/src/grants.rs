//! The prompts awaiting a button, and the codes awaiting their exchange: both single use, both
//! short-lived, as Duo's are.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::params::random_hex;

/// How long a prompt waits for **Approve** or **Deny**.
pub(crate) const PROMPT_LIFETIME: Duration = Duration::from_secs(10 * 60);
/// How long a `duo_code` can be exchanged: a minute, like an OAuth authorization code.
pub(crate) const CODE_LIFETIME: Duration = Duration::from_secs(60);

/// A valid authorization request, shown as a prompt.
#[derive(Debug, Clone)]
pub(crate) struct Prompt {
    pub client_id: String,
    pub username: String,
    pub redirect_uri: url::Url,
    pub state: String,
    pub nonce: Option<String>,
    /// Answer with `duo_code` rather than `code` (the request's `use_duo_code_attribute`).
    pub use_duo_code: bool,
}

/// What a button press decided, kept with its code until the application exchanges it.
#[derive(Debug, Clone)]
pub(crate) struct Grant {
    pub prompt: Prompt,
    pub allowed: bool,
    /// Unix seconds of the decision: the ID token's `auth_time`.
    pub auth_time: u64,
    /// The address of the browser that pressed the button (`auth_context.access_device.ip`).
    pub access_ip: Option<String>,
}

#[derive(Debug, Default)]
pub(crate) struct Pending {
    prompts: Mutex<HashMap<String, (Prompt, Instant)>>,
    codes: Mutex<HashMap<String, (Grant, Instant)>>,
}

impl Pending {
    /// Keeps `prompt` and returns the transaction ID its page's buttons send back.
    pub fn open(&self, prompt: Prompt, now: Instant) -> String {
        let id = random_hex(16);
        if let Ok(mut prompts) = self.prompts.lock() {
            prompts.retain(|_, (_, opened)| now.duration_since(*opened) < PROMPT_LIFETIME);
            prompts.insert(id.clone(), (prompt, now));
        }
        id
    }

    /// The prompt of `id`, once: a second press, or one after [`PROMPT_LIFETIME`], finds none.
    pub fn answer(&self, id: &str, now: Instant) -> Option<Prompt> {
        let (prompt, opened) = self.prompts.lock().ok()?.remove(id)?;
        (now.duration_since(opened) < PROMPT_LIFETIME).then_some(prompt)
    }

    /// Keeps `grant` and returns the code that exchanges it.
    pub fn issue(&self, grant: Grant, now: Instant) -> String {
        let code = random_hex(16);
        if let Ok(mut codes) = self.codes.lock() {
            codes.retain(|_, (_, issued)| now.duration_since(*issued) < CODE_LIFETIME);
            codes.insert(code.clone(), (grant, now));
        }
        code
    }

    /// The grant of `code`, once: a second exchange, or one after [`CODE_LIFETIME`], finds
    /// none.
    pub fn redeem(&self, code: &str, now: Instant) -> Option<Grant> {
        let (grant, issued) = self.codes.lock().ok()?.remove(code)?;
        (now.duration_since(issued) < CODE_LIFETIME).then_some(grant)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prompt() -> Prompt {
        Prompt {
            client_id: crate::DEMO_CLIENT_ID.to_owned(),
            username: "alice".to_owned(),
            redirect_uri: url::Url::parse("https://app.example.test/duo").unwrap(),
            state: "s".repeat(36),
            nonce: None,
            use_duo_code: true,
        }
    }

    fn grant() -> Grant {
        Grant {
            prompt: prompt(),
            allowed: true,
            auth_time: 0,
            access_ip: None,
        }
    }

    #[test]
    fn a_code_is_redeemed_once() {
        let pending = Pending::default();
        let now = Instant::now();
        let code = pending.issue(grant(), now);
        assert!(pending.redeem(&code, now).is_some());
        assert!(pending.redeem(&code, now).is_none());
    }

    #[test]
    fn a_code_expires_after_a_minute() {
        let pending = Pending::default();
        let now = Instant::now();
        let code = pending.issue(grant(), now);
        assert!(pending.redeem(&code, now + CODE_LIFETIME).is_none());
    }

    #[test]
    fn a_prompt_is_answered_once_and_expires() {
        let pending = Pending::default();
        let now = Instant::now();
        let id = pending.open(prompt(), now);
        assert!(pending.answer(&id, now).is_some());
        assert!(pending.answer(&id, now).is_none());
        let late = pending.open(prompt(), now);
        assert!(pending.answer(&late, now + PROMPT_LIFETIME).is_none());
    }
}
