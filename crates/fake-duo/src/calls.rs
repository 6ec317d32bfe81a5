//! What the fake was asked, in arrival order, so tests can check that the product called Duo
//! the way the protocol wants (health check, then the prompt, then the token) and no more.

use std::sync::Mutex;

use serde::Serialize;

/// One request to a Duo endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DuoCall {
    /// `health_check`, `authorize`, `authorize/decision` (a button on the prompt) or `token`.
    pub endpoint: &'static str,
    /// The client ID the request named (for `authorize/decision`, the one of the prompt it
    /// answered); empty when it named none or was cut before its body was read.
    pub client_id: String,
    pub outcome: CallOutcome,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "error", rename_all = "snake_case")]
pub enum CallOutcome {
    /// Answered as asked: the health check's `OK`, the prompt page, an ID token.
    Answered,
    /// The prompt's **Approve** led to an allowed authentication.
    Approved,
    /// The prompt's **Deny**, or **Approve** with the `deny` switch on.
    Denied,
    /// Refused the way Duo refuses, with its error name: `invalid_client`, `invalid_grant`,
    /// `invalid_request`, `unsupported_grant_type`.
    Refused(String),
    /// Cut without an answer: the `unreachable` switch was on.
    Cut,
}

#[derive(Debug, Default)]
pub(crate) struct CallLog(Mutex<Vec<DuoCall>>);

impl CallLog {
    pub fn record(&self, endpoint: &'static str, client_id: &str, outcome: CallOutcome) {
        if let Ok(mut calls) = self.0.lock() {
            calls.push(DuoCall {
                endpoint,
                client_id: client_id.to_owned(),
                outcome,
            });
        }
    }

    pub fn all(&self) -> Vec<DuoCall> {
        self.0.lock().map(|calls| calls.clone()).unwrap_or_default()
    }
}
