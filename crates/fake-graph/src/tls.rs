//! A certificate made at start-up: the fake serves HTTPS because azure_identity accepts only an
//! https authority, and the client trusts this one certificate as an extra root. Public so the
//! other fakes (msp-fake-duo: Duo's clients hard-code `https://` too) serve TLS the same way.

use std::sync::Arc;

use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

use crate::FakeGraphError;

/// A self-signed certificate for `localhost`, `127.0.0.1` and `::1`, and the TLS configuration
/// that serves it.
pub struct ServerIdentity {
    /// The certificate in PEM: the one root a client must trust to reach the server.
    pub certificate_pem: String,
    /// Ready for actix-web's `listen_rustls_0_23`, with an explicit aws-lc-rs provider.
    pub config: rustls::ServerConfig,
}

/// Makes a new key pair and certificate; each call gives a different one.
pub fn self_signed_identity() -> Result<ServerIdentity, FakeGraphError> {
    let names = vec![
        "localhost".to_owned(),
        "127.0.0.1".to_owned(),
        "::1".to_owned(),
    ];
    let certified = rcgen::generate_simple_self_signed(names)?;
    let certificate: CertificateDer<'static> = certified.cert.der().clone();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(
        certified.signing_key.serialize_der(),
    ));
    // An explicit provider: the process may hold two (ring and aws-lc-rs) and no default.
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(vec![certificate], key)?;
    Ok(ServerIdentity {
        certificate_pem: certified.cert.pem(),
        config,
    })
}
