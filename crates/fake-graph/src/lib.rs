//! A fake Microsoft Graph and Entra ID token endpoint over real HTTPS, for tests, the
//! end-to-end suite and `serve --demo`. It answers the way the real services do, including
//! their error bodies (AADSTS codes, `Authorization_RequestDenied`), throttling and paging.

mod contracts;
mod faults;
mod fixture;
mod server;
mod tls;
mod token;

pub use faults::Faults;
pub use fixture::{Fixture, FixtureError, SubTenant};
pub use server::{FakeGraph, Stats};

#[derive(Debug, thiserror::Error)]
pub enum FakeGraphError {
    #[error("cannot make the fake Graph's certificate: {0}")]
    Certificate(#[from] rcgen::Error),
    #[error("cannot configure TLS for the fake Graph: {0}")]
    Tls(#[from] rustls::Error),
    #[error("the fake Graph cannot listen on {address}: {source}")]
    Bind {
        address: String,
        #[source]
        source: std::io::Error,
    },
}
