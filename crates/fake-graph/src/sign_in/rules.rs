//! What the endpoints share: redirect-URI rules, client credentials, PKCE, subjects,
//! randomness and Entra's error sentences.

use std::time::{SystemTime, UNIX_EPOCH};

use actix_web::{HttpRequest, http::header};
use base64::{
    Engine,
    engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD},
};
use url::{Host, Url};

use crate::fixture::DirectoryAccount;

/// Entra's rule for a web app's redirect URIs: `https`, or `http` on a loopback host, with no
/// fragment; a loopback URI matches a registered one on any port.
pub(crate) fn redirect_uri_registered(registered: &[String], uri: &Url) -> bool {
    let loopback = match uri.host() {
        Some(Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(address)) => address.is_loopback(),
        Some(Host::Ipv6(address)) => address.is_loopback(),
        None => false,
    };
    let scheme_allowed = uri.scheme() == "https" || (uri.scheme() == "http" && loopback);
    if !scheme_allowed || uri.fragment().is_some() {
        return false;
    }
    if registered.is_empty() {
        return true;
    }
    registered.iter().any(|registered| {
        let Ok(registered) = Url::parse(registered) else {
            return false;
        };
        registered == *uri
            || (loopback
                && registered.scheme() == uri.scheme()
                && same_host(registered.host(), uri.host())
                && registered.path() == uri.path()
                && registered.query() == uri.query())
    })
}

pub(crate) fn same_host(left: Option<Host<&str>>, right: Option<Host<&str>>) -> bool {
    match (left, right) {
        (Some(Host::Domain(left)), Some(Host::Domain(right))) => left.eq_ignore_ascii_case(right),
        (Some(Host::Ipv4(left)), Some(Host::Ipv4(right))) => left == right,
        (Some(Host::Ipv6(left)), Some(Host::Ipv6(right))) => left == right,
        _ => false,
    }
}

/// RFC 6749 §2.3.1: the client ID and secret are form-encoded before they are joined and
/// base64-encoded, so they are decoded the same way.
pub(super) fn basic_credentials(request: &HttpRequest) -> Option<(String, String)> {
    let value = request
        .headers()
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    let form_decode = |text: &str| {
        percent_encoding::percent_decode_str(&text.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned()
    };
    Some((form_decode(id), form_decode(secret)))
}

/// RFC 7636's S256: base64url(SHA-256(verifier)).
pub(super) fn pkce_challenge(verifier: &str) -> String {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, verifier.as_bytes());
    URL_SAFE_NO_PAD.encode(digest.as_ref())
}

/// Entra's `sub` is pairwise: stable for one user and one app, different for another app, and
/// opaque.
pub(super) fn pairwise_subject(account: &DirectoryAccount, client_id: &str) -> String {
    let input = format!(
        "{}|{}|{}",
        account.tenant_id.to_ascii_lowercase(),
        account.object_id.to_ascii_lowercase(),
        client_id.to_ascii_lowercase()
    );
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, input.as_bytes());
    URL_SAFE_NO_PAD.encode(digest.as_ref())
}

pub(super) fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|since| since.as_secs())
        .unwrap_or_default()
}

pub(super) fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    // Without randomness the fake still works; codes are then merely guessable.
    let _ = getrandom::fill(&mut bytes);
    bytes
}

pub(super) fn random_token<const N: usize>() -> String {
    URL_SAFE_NO_PAD.encode(random_bytes::<N>())
}

/// A version-4 GUID, the shape of Entra's `session_state` and of its objects' IDs.
pub(crate) fn random_guid() -> String {
    let mut bytes = random_bytes::<16>();
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

pub(super) fn missing_parameter(name: &str) -> String {
    format!("AADSTS900144: The request body must contain the following parameter: '{name}'.")
}

pub(crate) fn app_not_found(client_id: &str, tenant: &str) -> String {
    format!(
        "AADSTS700016: Application with identifier '{client_id}' was not found in the directory \
         '{tenant}'. This can happen if the application has not been installed by the \
         administrator of the tenant or consented to by any user in the tenant. You may have \
         sent your authentication request to the wrong tenant."
    )
}

pub(super) fn redirect_uri_mismatch(redirect_uri: &str, client_id: &str) -> String {
    format!(
        "AADSTS50011: The redirect URI '{redirect_uri}' specified in the request does not match \
         the redirect URIs configured for the application '{client_id}'. Make sure the redirect \
         URI sent in the request matches one added to your application in the Azure portal."
    )
}

pub(super) fn response_type_refused(response_type: &str) -> String {
    let parts: Vec<&str> = response_type.split_whitespace().collect();
    if parts.contains(&"token") {
        "AADSTS700051: response_type 'token' is not enabled for the application.".to_owned()
    } else if parts.contains(&"id_token") {
        "AADSTS700054: response_type 'id_token' is not enabled for the application.".to_owned()
    } else {
        format!(
            "AADSTS70005: The provided value for the input parameter 'response_type' \
             ('{response_type}') is not allowed for this request. Expected value is 'code', \
             'id_token', 'token' or a combination of them."
        )
    }
}
