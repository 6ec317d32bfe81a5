//! A certificate made at start-up: the fake serves HTTPS because azure_identity accepts only an
//! https authority, and the client trusts this one certificate as an extra root.

use std::sync::Arc;

use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

use crate::FakeGraphError;

pub(crate) struct ServerIdentity {
    pub certificate_pem: String,
    pub config: rustls::ServerConfig,
}

pub(crate) fn self_signed_identity() -> Result<ServerIdentity, FakeGraphError> {
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
