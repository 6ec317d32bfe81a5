//! Entra as the OpenID Connect provider of "Sign in with Microsoft", answering as
//! login.microsoftonline.com does: the v2.0 discovery document per tenant, the signing keys, the
//! authorize endpoint (auto-consent for a `login_hint` it knows, otherwise an account picker),
//! the authorization code grant with PKCE, UserInfo and sign-out.
//!
//! There are no passwords and no sessions: picking an account, or naming it in `login_hint`, is
//! signing in as it. Codes and UserInfo tokens live in memory for the life of the fake.

use std::{collections::HashMap, sync::Mutex};

use crate::fixture::{DirectoryAccount, Fixture};

/// Entra's authorization codes are valid for ten minutes.
const CODE_LIFETIME_SECS: u64 = 600;
/// Entra's ID tokens are valid for an hour.
const ID_TOKEN_LIFETIME_SECS: u64 = 3600;
/// Redeemed and expired codes are kept this long, so a second redemption still meets
/// AADSTS54005 rather than "unknown code"; older ones are dropped so a long demo stays small.
const CODE_MEMORY_SECS: u64 = 3600;
/// The OpenID Connect scopes the fake grants, in the order Entra's discovery lists them.
const OIDC_SCOPES: [&str; 3] = ["openid", "profile", "email"];

/// Codes handed out by the authorize endpoint, and access tokens the token endpoint issued to
/// signed-in users (they open UserInfo, never `/v1.0/contracts`).
#[derive(Default)]
pub(crate) struct SignInGrants {
    codes: Mutex<HashMap<String, IssuedCode>>,
    user_tokens: Mutex<HashMap<String, UserToken>>,
}

/// What an authorization code remembers of the request that got it.
struct IssuedCode {
    client_id: String,
    redirect_uri: String,
    code_challenge: String,
    nonce: Option<String>,
    account: usize,
    scopes: Vec<&'static str>,
    issued_at: u64,
    expires_at: u64,
    redeemed: bool,
}

struct UserToken {
    account: usize,
    client_id: String,
    scopes: Vec<&'static str>,
    expires_at: u64,
}

/// The `{tenant}` of a sign-in URL.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Audience {
    /// `organizations` or `common`: any work account, in any tenant.
    AnyTenant(&'static str),
    /// A tenant GUID the directory knows, lower case.
    Tenant(String),
}

impl Audience {
    fn resolve(fixture: &Fixture, segment: &str) -> Option<Self> {
        if segment.eq_ignore_ascii_case("organizations") {
            return Some(Self::AnyTenant("organizations"));
        }
        if segment.eq_ignore_ascii_case("common") {
            return Some(Self::AnyTenant("common"));
        }
        let known = std::iter::once(fixture.tenant_id.as_str()).chain(
            fixture
                .sign_in
                .accounts
                .iter()
                .map(|account| account.tenant_id.as_str()),
        );
        known
            .into_iter()
            .any(|tenant| tenant.eq_ignore_ascii_case(segment))
            .then(|| Self::Tenant(segment.to_ascii_lowercase()))
    }

    fn segment(&self) -> &str {
        match self {
            Self::AnyTenant(segment) => segment,
            Self::Tenant(tenant) => tenant,
        }
    }

    /// Entra names the issuer of a multi-tenant document with a template no token carries.
    fn issuer(&self, base: &str) -> String {
        match self {
            Self::AnyTenant(_) => format!("{base}/{{tenantid}}/v2.0"),
            Self::Tenant(tenant) => format!("{base}/{tenant}/v2.0"),
        }
    }

    fn admits(&self, account: &DirectoryAccount) -> bool {
        match self {
            Self::AnyTenant(_) => true,
            Self::Tenant(tenant) => account.tenant_id.eq_ignore_ascii_case(tenant),
        }
    }
}

mod authorize;
mod discovery;
pub(crate) mod pages;
mod redeem;
pub(crate) mod rules;
mod userinfo;

pub(crate) use self::{
    authorize::authorize,
    discovery::{discovery, keys},
    redeem::redeem_code,
    userinfo::{logout, userinfo},
};
use self::{authorize::*, pages::*, rules::*};

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::http::header;
    use base64::{Engine, engine::general_purpose::STANDARD};
    use url::Url;

    #[test]
    fn a_registered_loopback_redirect_uri_matches_on_any_port() {
        let registered = vec!["http://localhost/auth/callback".to_owned()];
        let parse = |uri: &str| Url::parse(uri).unwrap();
        assert!(redirect_uri_registered(
            &registered,
            &parse("http://localhost:8443/auth/callback")
        ));
        assert!(!redirect_uri_registered(
            &registered,
            &parse("http://localhost:8443/elsewhere")
        ));
        assert!(!redirect_uri_registered(
            &registered,
            &parse("https://example.test/auth/callback")
        ));
    }

    #[test]
    fn without_registered_uris_only_https_or_loopback_http_is_accepted() {
        let parse = |uri: &str| Url::parse(uri).unwrap();
        assert!(redirect_uri_registered(
            &[],
            &parse("https://app.example.test/cb")
        ));
        assert!(redirect_uri_registered(
            &[],
            &parse("http://127.0.0.1:9/cb")
        ));
        assert!(redirect_uri_registered(&[], &parse("http://[::1]:9/cb")));
        assert!(!redirect_uri_registered(
            &[],
            &parse("http://app.example.test/cb")
        ));
        assert!(!redirect_uri_registered(
            &[],
            &parse("https://app.example.test/cb#x")
        ));
    }

    #[test]
    fn the_s256_challenge_matches_rfc_7636_appendix_b() {
        assert_eq!(
            pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn basic_credentials_are_form_decoded() {
        let request = actix_web::test::TestRequest::default()
            .insert_header((
                header::AUTHORIZATION,
                format!("Basic {}", STANDARD.encode("my%3Aapp:s%2Bcret+x")),
            ))
            .to_http_request();
        assert_eq!(
            basic_credentials(&request),
            Some(("my:app".to_owned(), "s+cret x".to_owned()))
        );
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(
            escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }

    #[test]
    fn session_states_look_like_guids() {
        let guid = random_guid();
        assert_eq!(guid.len(), 36);
        assert_eq!(guid.as_bytes()[14], b'4');
    }
}
