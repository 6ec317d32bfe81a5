//! Reading requests the way Duo's clients send them, and small shared helpers.

use std::collections::HashMap;
use std::time::{SystemTime, UNIX_EPOCH};

use actix_web::{HttpRequest, http::header};

use crate::server::FakeState;

/// The request's parameters, from its query string and its form body together (the body wins).
/// Duo's Python client posts the token request's parameters in the *query string* with an empty
/// body, the other clients in an `application/x-www-form-urlencoded` body; Duo takes both, so
/// the fake reads the raw body rather than through a form extractor that would refuse the first.
pub(crate) struct Params(HashMap<String, String>);

impl Params {
    pub fn of(request: &HttpRequest, body: &[u8]) -> Self {
        let mut params = HashMap::new();
        let query = url::form_urlencoded::parse(request.query_string().as_bytes());
        let form = url::form_urlencoded::parse(body);
        for (name, value) in query.chain(form) {
            if !value.is_empty() {
                params.insert(name.into_owned(), value.into_owned());
            }
        }
        Self(params)
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }
}

/// The host and port the client addressed (`Host`, or HTTP/2's `:authority`): Duo's clients
/// build every audience and the issuer they expect from the API hostname they were given, so
/// the fake answers to whichever name of loopback (`127.0.0.1` or `localhost`) they used.
pub(crate) fn addressed_host(request: &HttpRequest, state: &FakeState) -> String {
    request
        .uri()
        .authority()
        .map(|authority| authority.as_str().to_owned())
        .or_else(|| {
            request
                .headers()
                .get(header::HOST)
                .and_then(|host| host.to_str().ok())
                .map(str::to_owned)
        })
        .unwrap_or_else(|| state.api_hostname.clone())
}

pub(crate) fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| elapsed.as_secs())
        .unwrap_or_default()
}

/// `bytes` random bytes as lowercase hex: transaction IDs, codes, access tokens.
pub(crate) fn random_hex(bytes: usize) -> String {
    let mut buffer = vec![0u8; bytes];
    // Without randomness the fake still works; its codes are then merely guessable.
    let _ = getrandom::fill(&mut buffer);
    buffer.iter().map(|byte| format!("{byte:02x}")).collect()
}
