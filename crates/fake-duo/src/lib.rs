//! A fake Duo Security for the Universal Prompt (Duo Web SDK v4, Duo's "OIDC Auth API") over
//! real HTTPS on loopback, for the product's tests, the browser tests and `serve --demo`.
//!
//! It speaks what Duo's own client libraries (`duo_universal` for Python, Go, Java, Node and C#)
//! send and check, because the e2e contract run holds it to Duo's Python client:
//! - `POST /oauth/v1/health_check`: a client assertion (HS512 JWT signed with the client
//!   secret) in, `{"stat":"OK","response":{"timestamp":…}}` out, or Duo's `stat: FAIL` answer;
//! - `GET /oauth/v1/authorize`: the signed request JWT in, a prompt page out whose **Approve**
//!   and **Deny** buttons stand in for the user's phone; both redirect to the app's
//!   `redirect_uri` with `duo_code` (or `code`) and `state`;
//! - `POST /oauth/v1/token`: the code and a client assertion in, an ID token (HS512, signed
//!   with the client secret) out whose `auth_result` says allow or deny.
//!
//! [`Switches`] make it misbehave the way Duo can (a denied push, latency, an outage, a token
//! that fails verification), from Rust or over HTTP at `/_fake/switches`; [`FakeDuo::calls`]
//! lists what it was asked, in order.

mod assertion;
mod authorize;
mod calls;
mod control;
mod fixture;
mod grants;
mod health;
mod network;
mod pages;
mod params;
mod server;
mod switches;
mod token;

pub use calls::{CallOutcome, DuoCall};
pub use fixture::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DuoFixture, DuoIntegration};
pub use server::FakeDuo;
pub use switches::{SwitchSettings, Switches};

#[derive(Debug, thiserror::Error)]
pub enum FakeDuoError {
    /// The self-signed certificate or its TLS configuration could not be made.
    #[error("cannot make the fake Duo's certificate: {0}")]
    Identity(#[from] msp_fake_graph::FakeGraphError),
    #[error("the fake Duo cannot listen on {address}: {source}")]
    Bind {
        address: String,
        #[source]
        source: std::io::Error,
    },
}
