//! A fake Microsoft Graph and Entra ID token endpoint over real HTTPS, for tests, the
//! end-to-end suite and `serve --demo`. It answers the way the real services do, including
//! their error bodies (AADSTS codes, `Authorization_RequestDenied`), throttling and paging.
//! It is also Entra's OpenID Connect provider for "Sign in with Microsoft": discovery, signing
//! keys, an account picker and the authorization code grant with PKCE.

mod contracts;
mod directory;
mod entra;
mod faults;
mod fixture;
mod keys;
mod server;
mod sign_in;
mod tls;
mod token;

pub use directory::Directory;
pub use entra::{EntraDirectories, GraphCall};
pub use faults::{Faults, GraphPermission};
pub use fixture::{
    DirectoryAccount, DirectoryDevice, DirectoryDomain, Fixture, FixtureError, SignIn,
    SignInScenario, SubTenant,
};
pub use server::{FakeGraph, Stats};
pub use tls::{ServerIdentity, self_signed_identity};

#[derive(Debug, thiserror::Error)]
pub enum FakeGraphError {
    #[error("cannot make the fake Graph's certificate: {0}")]
    Certificate(#[from] rcgen::Error),
    #[error("cannot make the fake Entra's ID token signing key: {0}")]
    SigningKey(String),
    #[error("cannot configure TLS for the fake Graph: {0}")]
    Tls(#[from] rustls::Error),
    #[error("the fake Graph cannot listen on {address}: {source}")]
    Bind {
        address: String,
        #[source]
        source: std::io::Error,
    },
}

impl From<jsonwebtoken::errors::Error> for FakeGraphError {
    fn from(error: jsonwebtoken::errors::Error) -> Self {
        Self::SigningKey(error.to_string())
    }
}
