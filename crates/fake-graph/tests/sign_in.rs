//! "Sign in with Microsoft" against the fake, as a relying party meets it: plain HTTPS requests
//! for every step and error answer, then the `openidconnect` crate end to end.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashMap;

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use jsonwebtoken::{Algorithm, DecodingKey, Validation, jwk::JwkSet};
use msp_fake_graph::{FakeGraph, Fixture, SignInScenario};
use reqwest::{StatusCode, header};
use serde_json::Value;
use url::Url;

#[path = "sign_in/customer_tenant.rs"]
mod customer_tenant;
#[path = "sign_in/entra_directory.rs"]
mod entra_directory;
#[path = "sign_in/jit_accounts.rs"]
mod jit_accounts;
#[path = "sign_in/jit_roles.rs"]
mod jit_roles;
#[path = "sign_in/laps.rs"]
mod laps;

const HOME_TENANT: &str = "5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
const FABRIKAM_TENANT: &str = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a";
const CLIENT_ID: &str = "7c3f1e2a-9b4d-4f6e-8a1c-2d3e4f5a6b7c";
const CLIENT_SECRET: &str = "demo-sign-in-secret";
const SAM: &str = "scim.tech@demo-reseller.test";
const SAM_OID: &str = "5c1d0e2f-8a7b-4c3d-9e6f-1a2b3c4d5e6f";
/// Never contacted: the client does not follow redirects, it reads them.
const REDIRECT_URI: &str = "https://app.example.test/auth/microsoft/callback";

struct RelyingParty {
    fake: FakeGraph,
    http: reqwest::Client,
}

struct Pkce {
    verifier: String,
    challenge: String,
}

impl Pkce {
    fn new() -> Self {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).unwrap();
        let verifier = URL_SAFE_NO_PAD.encode(bytes);
        let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, verifier.as_bytes());
        Self {
            challenge: URL_SAFE_NO_PAD.encode(digest.as_ref()),
            verifier,
        }
    }
}

/// What the app got back at its redirect URI.
struct Callback(HashMap<String, String>);

impl Callback {
    fn get(&self, name: &str) -> &str {
        self.0
            .get(name)
            .unwrap_or_else(|| panic!("no {name} in {:?}", self.0))
    }
}

/// reqwest 0.13 builds queries and forms only with features the workspace leaves off.
fn encoded<V: AsRef<str>>(pairs: &[(&str, V)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs.iter().map(|(name, value)| (name, value.as_ref())))
        .finish()
}

fn callback(response: &reqwest::Response) -> Callback {
    assert_eq!(response.status(), StatusCode::FOUND, "{response:?}");
    let location = response.headers()[header::LOCATION].to_str().unwrap();
    let location = Url::parse(location).unwrap();
    assert!(location.as_str().starts_with(REDIRECT_URI), "{location}");
    Callback(location.query_pairs().into_owned().collect())
}

impl RelyingParty {
    fn start() -> Self {
        let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
        Self::with_fake(FakeGraph::start(Fixture::demo().unwrap(), "127.0.0.1:0").unwrap())
    }

    fn with_fake(fake: FakeGraph) -> Self {
        let certificate =
            reqwest::Certificate::from_pem(fake.certificate_pem().as_bytes()).unwrap();
        let http = reqwest::Client::builder()
            .tls_certs_merge([certificate])
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Self { fake, http }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.fake.authority_url())
    }

    async fn get_json(&self, path: &str) -> (StatusCode, Value) {
        let response = self.http.get(self.url(path)).send().await.unwrap();
        (response.status(), response.json().await.unwrap())
    }

    /// The parameters the product sends, for `tenant`'s authorize endpoint.
    fn authorize_parameters(pkce: &Pkce, nonce: &str) -> Vec<(&'static str, String)> {
        vec![
            ("client_id", CLIENT_ID.to_owned()),
            ("response_type", "code".to_owned()),
            ("redirect_uri", REDIRECT_URI.to_owned()),
            ("scope", "openid profile email".to_owned()),
            ("state", "state-123".to_owned()),
            ("nonce", nonce.to_owned()),
            ("code_challenge", pkce.challenge.clone()),
            ("code_challenge_method", "S256".to_owned()),
        ]
    }

    async fn authorize(&self, tenant: &str, parameters: &[(&str, String)]) -> reqwest::Response {
        self.http
            .get(self.url(&format!(
                "/{tenant}/oauth2/v2.0/authorize?{}",
                encoded(parameters)
            )))
            .send()
            .await
            .unwrap()
    }

    /// A code for the account `upn` names, through `organizations` with `login_hint`.
    async fn code_for(&self, upn: &str, pkce: &Pkce, nonce: &str) -> String {
        let mut parameters = Self::authorize_parameters(pkce, nonce);
        parameters.push(("login_hint", upn.to_owned()));
        let answer = callback(&self.authorize("organizations", &parameters).await);
        assert_eq!(answer.get("state"), "state-123");
        answer.get("code").to_owned()
    }

    async fn redeem(&self, tenant: &str, form: &[(&str, &str)]) -> (StatusCode, Value) {
        let response = self
            .http
            .post(self.url(&format!("/{tenant}/oauth2/v2.0/token")))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(encoded(form))
            .send()
            .await
            .unwrap();
        (response.status(), response.json().await.unwrap())
    }

    async fn redeem_as_product(&self, code: &str, verifier: &str) -> (StatusCode, Value) {
        self.redeem_changed("organizations", code, verifier, &[])
            .await
    }

    /// Redeems at `tenant` with the product's form, each of `changes` replacing a field's value
    /// (or, with `None`, leaving the field out).
    async fn redeem_changed(
        &self,
        tenant: &str,
        code: &str,
        verifier: &str,
        changes: &[(&str, Option<&str>)],
    ) -> (StatusCode, Value) {
        let form: Vec<(&str, &str)> = [
            ("grant_type", "authorization_code"),
            ("client_id", CLIENT_ID),
            ("client_secret", CLIENT_SECRET),
            ("code", code),
            ("redirect_uri", REDIRECT_URI),
            ("code_verifier", verifier),
            ("scope", "openid profile email"),
        ]
        .into_iter()
        .filter_map(
            |(key, value)| match changes.iter().find(|(changed, _)| *changed == key) {
                Some((_, replaced)) => replaced.map(|replaced| (key, replaced)),
                None => Some((key, value)),
            },
        )
        .collect();
        self.redeem(tenant, &form).await
    }

    async fn id_token_for(&self, upn: &str, nonce: &str) -> String {
        let pkce = Pkce::new();
        let code = self.code_for(upn, &pkce, nonce).await;
        let (status, body) = self.redeem_as_product(&code, &pkce.verifier).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["id_token"].as_str().unwrap().to_owned()
    }

    /// Verifies `id_token` as a relying party does: the JWKS key its `kid` names, RS256, this
    /// app as audience and `tenant`'s issuer.
    async fn verify(&self, id_token: &str, tenant: &str) -> jsonwebtoken::errors::Result<Value> {
        let (_, keys) = self
            .get_json(&format!("/{tenant}/discovery/v2.0/keys"))
            .await;
        let keys: JwkSet = serde_json::from_value(keys).unwrap();
        let header = jsonwebtoken::decode_header(id_token).unwrap();
        let key = keys.find(header.kid.as_deref().unwrap()).unwrap();
        let mut validation = Validation::new(Algorithm::RS256);
        validation.set_audience(&[CLIENT_ID]);
        validation.set_issuer(&[self.fake.issuer_url(tenant)]);
        jsonwebtoken::decode::<Value>(id_token, &DecodingKey::from_jwk(key).unwrap(), &validation)
            .map(|data| data.claims)
    }
}

fn assert_entra_error(answer: &(StatusCode, Value), status: StatusCode, error: &str, code: u64) {
    assert_eq!(answer.0, status, "{}", answer.1);
    assert_eq!(answer.1["error"], error, "{}", answer.1);
    assert_eq!(answer.1["error_codes"][0], code, "{}", answer.1);
    let description = answer.1["error_description"].as_str().unwrap();
    assert!(
        description.starts_with(&format!("AADSTS{code}:")),
        "{description}"
    );
}

#[tokio::test]
async fn discovery_for_a_tenant_names_that_tenant_as_issuer_and_its_endpoints() {
    let rp = RelyingParty::start();
    let (status, document) = rp
        .get_json(&format!(
            "/{HOME_TENANT}/v2.0/.well-known/openid-configuration"
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    let base = rp.fake.authority_url();
    assert_eq!(document["issuer"], format!("{base}/{HOME_TENANT}/v2.0"));
    assert_eq!(
        document["authorization_endpoint"],
        format!("{base}/{HOME_TENANT}/oauth2/v2.0/authorize")
    );
    assert_eq!(
        document["token_endpoint"],
        format!("{base}/{HOME_TENANT}/oauth2/v2.0/token")
    );
    assert_eq!(
        document["jwks_uri"],
        format!("{base}/{HOME_TENANT}/discovery/v2.0/keys")
    );
    assert_eq!(
        document["end_session_endpoint"],
        format!("{base}/{HOME_TENANT}/oauth2/v2.0/logout")
    );
    assert_eq!(
        document["userinfo_endpoint"],
        format!("{base}/oidc/userinfo")
    );
    assert_eq!(
        document["response_types_supported"],
        serde_json::json!(["code", "id_token", "code id_token", "id_token token"])
    );
    assert_eq!(
        document["subject_types_supported"],
        serde_json::json!(["pairwise"])
    );
    assert_eq!(
        document["id_token_signing_alg_values_supported"],
        serde_json::json!(["RS256"])
    );
    assert_eq!(
        document["token_endpoint_auth_methods_supported"],
        serde_json::json!([
            "client_secret_post",
            "private_key_jwt",
            "client_secret_basic"
        ])
    );
    assert_eq!(document["request_uri_parameter_supported"], false);
    assert!(
        document["claims_supported"]
            .as_array()
            .unwrap()
            .contains(&"tid".into())
    );
}

#[tokio::test]
async fn discovery_for_organizations_and_common_names_the_issuer_template() {
    let rp = RelyingParty::start();
    for tenant in ["organizations", "common"] {
        let (status, document) = rp
            .get_json(&format!("/{tenant}/v2.0/.well-known/openid-configuration"))
            .await;
        assert_eq!(status, StatusCode::OK);
        let base = rp.fake.authority_url();
        assert_eq!(document["issuer"], format!("{base}/{{tenantid}}/v2.0"));
        assert_eq!(
            document["authorization_endpoint"],
            format!("{base}/{tenant}/oauth2/v2.0/authorize")
        );
    }
}

#[tokio::test]
async fn discovery_for_an_unknown_tenant_answers_aadsts90002() {
    let rp = RelyingParty::start();
    let answer = rp
        .get_json("/00000000-1111-4222-8333-444444444444/v2.0/.well-known/openid-configuration")
        .await;
    assert_entra_error(&answer, StatusCode::BAD_REQUEST, "invalid_tenant", 90002);
}

#[tokio::test]
async fn the_jwks_publishes_one_rsa_signing_key_for_every_tenant() {
    let rp = RelyingParty::start();
    let (status, common) = rp.get_json("/discovery/v2.0/keys").await;
    assert_eq!(status, StatusCode::OK);
    let key = &common["keys"][0];
    assert_eq!(common["keys"].as_array().unwrap().len(), 1);
    assert_eq!(key["kty"], "RSA");
    assert_eq!(key["use"], "sig");
    assert_eq!(key["e"], "AQAB");
    assert_eq!(key["kid"], key["x5t"]);
    let modulus = URL_SAFE_NO_PAD.decode(key["n"].as_str().unwrap()).unwrap();
    assert_eq!(modulus.len(), 256, "a 2048-bit modulus");
    let (_, tenant) = rp
        .get_json(&format!("/{HOME_TENANT}/discovery/v2.0/keys"))
        .await;
    assert_eq!(tenant["keys"][0]["kid"], key["kid"]);
    assert_eq!(tenant["keys"][0]["issuer"], rp.fake.issuer_url(HOME_TENANT));
}

#[tokio::test]
async fn a_known_login_hint_signs_in_at_once_and_the_id_token_verifies_against_the_jwks() {
    let rp = RelyingParty::start();
    let pkce = Pkce::new();
    let mut parameters = RelyingParty::authorize_parameters(&pkce, "nonce-abc");
    parameters.push(("login_hint", "SCIM.Tech@Demo-Reseller.test".to_owned()));
    parameters.push(("prompt", "login".to_owned()));
    let answer = callback(&rp.authorize(HOME_TENANT, &parameters).await);
    assert_eq!(answer.get("state"), "state-123");
    assert_eq!(answer.get("session_state").len(), 36);
    let (status, tokens) = rp
        .redeem_as_product(answer.get("code"), &pkce.verifier)
        .await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["scope"], "openid profile email");
    assert_eq!(tokens["expires_in"], 3599);
    assert_eq!(tokens["ext_expires_in"], 3599);
    assert!(tokens["access_token"].is_string());
    let id_token = tokens["id_token"].as_str().unwrap();
    let header = jsonwebtoken::decode_header(id_token).unwrap();
    assert_eq!(header.typ.as_deref(), Some("JWT"));
    assert!(header.kid.is_some());
    let claims = rp.verify(id_token, HOME_TENANT).await.unwrap();
    assert_eq!(claims["aud"], CLIENT_ID);
    assert_eq!(claims["iss"], rp.fake.issuer_url(HOME_TENANT));
    assert_eq!(claims["tid"], HOME_TENANT);
    assert_eq!(claims["oid"], SAM_OID);
    assert_eq!(claims["nonce"], "nonce-abc");
    assert_eq!(claims["name"], "Sam Rivera");
    assert_eq!(claims["preferred_username"], SAM);
    assert_eq!(claims["email"], SAM);
    assert_eq!(claims["ver"], "2.0");
    assert!(claims["uti"].is_string() && claims["rh"].is_string());
    let issued_at = claims["iat"].as_u64().unwrap();
    assert_eq!(claims["nbf"].as_u64().unwrap(), issued_at);
    assert_eq!(claims["exp"].as_u64().unwrap(), issued_at + 3600);
    let subject = claims["sub"].as_str().unwrap();
    assert!(!subject.contains(SAM_OID), "sub is opaque");
    let again = rp.id_token_for(SAM, "nonce-def").await;
    let again = rp.verify(&again, HOME_TENANT).await.unwrap();
    assert_eq!(again["sub"], subject, "sub is stable for one user and app");
}

#[tokio::test]
async fn without_a_login_hint_the_account_picker_lists_every_account_and_its_link_signs_in() {
    let rp = RelyingParty::start();
    let pkce = Pkce::new();
    let parameters = RelyingParty::authorize_parameters(&pkce, "nonce-picker");
    let page = rp.authorize("organizations", &parameters).await;
    assert_eq!(page.status(), StatusCode::OK);
    let policy = page.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(policy.starts_with("default-src 'none'"), "{policy}");
    let html = page.text().await.unwrap();
    assert!(html.contains("Pick an account"));
    assert!(!html.contains("<script"), "the picker needs no script");
    for account in &Fixture::demo().unwrap().sign_in.accounts {
        assert!(
            html.contains(&format!(
                "<span class=\"name\">{}</span> <span class=\"upn\">{}</span>",
                account.display_name, account.user_principal_name
            )),
            "{} is listed",
            account.display_name
        );
    }
    // Follow the link named "Sam Rivera scim.tech@…", as a browser test clicks it.
    let marker = "<span class=\"name\">Sam Rivera</span>";
    let before = &html[..html.find(marker).unwrap()];
    let href = before.rsplit("href=\"").next().unwrap();
    let href = href[..href.find('"').unwrap()].replace("&amp;", "&");
    let response = rp.http.get(rp.url(&href)).send().await.unwrap();
    let answer = callback(&response);
    assert_eq!(answer.get("state"), "state-123");
    let (status, tokens) = rp
        .redeem_as_product(answer.get("code"), &pkce.verifier)
        .await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    let claims = rp
        .verify(tokens["id_token"].as_str().unwrap(), HOME_TENANT)
        .await
        .unwrap();
    assert_eq!(claims["oid"], SAM_OID);
    assert_eq!(claims["nonce"], "nonce-picker");
}

#[tokio::test]
async fn a_tenant_authorize_endpoint_offers_only_that_tenants_accounts() {
    let rp = RelyingParty::start();
    let pkce = Pkce::new();
    let parameters = RelyingParty::authorize_parameters(&pkce, "n");
    let html = rp
        .authorize(FABRIKAM_TENANT, &parameters)
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Sam Rivera (Fabrikam tenant)"));
    assert!(!html.contains("Demo Admin"));
}

#[tokio::test]
async fn cancel_on_the_account_picker_sends_access_denied_back_to_the_app() {
    let rp = RelyingParty::start();
    let pkce = Pkce::new();
    let html = rp
        .authorize(
            "organizations",
            &RelyingParty::authorize_parameters(&pkce, "n"),
        )
        .await
        .text()
        .await
        .unwrap();
    let before = &html[..html.find(">Cancel</a>").unwrap()];
    let href = before.rsplit("href=\"").next().unwrap();
    let href = href[..href.find('"').unwrap()].replace("&amp;", "&");
    let answer = callback(&rp.http.get(rp.url(&href)).send().await.unwrap());
    assert_eq!(answer.get("error"), "access_denied");
    assert_eq!(
        answer.get("error_description"),
        "AADSTS65004: User declined to consent to access the app."
    );
    assert_eq!(answer.get("state"), "state-123");
}

#[tokio::test]
async fn an_unknown_client_id_gets_an_error_page_and_no_redirect() {
    let rp = RelyingParty::start();
    let pkce = Pkce::new();
    let mut parameters = RelyingParty::authorize_parameters(&pkce, "n");
    parameters[0].1 = "11111111-2222-4333-8444-555555555555".to_owned();
    let response = rp.authorize("organizations", &parameters).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(response.headers().get(header::LOCATION).is_none());
    assert!(response.text().await.unwrap().contains("AADSTS700016"));
}

#[tokio::test]
async fn an_unregistered_redirect_uri_gets_an_error_page_and_no_redirect() {
    let rp = RelyingParty::start();
    let pkce = Pkce::new();
    let mut parameters = RelyingParty::authorize_parameters(&pkce, "n");
    parameters[2].1 = "http://app.example.test/plain-http".to_owned();
    let response = rp.authorize("organizations", &parameters).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(response.text().await.unwrap().contains("AADSTS50011"));
}

#[tokio::test]
async fn a_request_without_pkce_or_with_plain_pkce_is_sent_back_as_invalid_request() {
    let rp = RelyingParty::start();
    let pkce = Pkce::new();
    let without: Vec<_> = RelyingParty::authorize_parameters(&pkce, "n")
        .into_iter()
        .filter(|(name, _)| !name.starts_with("code_challenge"))
        .collect();
    let answer = callback(&rp.authorize("organizations", &without).await);
    assert_eq!(answer.get("error"), "invalid_request");
    assert!(answer.get("error_description").starts_with("AADSTS"));
    assert_eq!(answer.get("state"), "state-123");
    let mut plain = RelyingParty::authorize_parameters(&pkce, "n");
    plain[7].1 = "plain".to_owned();
    let answer = callback(&rp.authorize("organizations", &plain).await);
    assert_eq!(answer.get("error"), "invalid_request");
    assert!(answer.get("error_description").starts_with("AADSTS"));
}

#[tokio::test]
async fn a_missing_or_implicit_response_type_is_an_unsupported_response_type() {
    let rp = RelyingParty::start();
    let pkce = Pkce::new();
    let without: Vec<_> = RelyingParty::authorize_parameters(&pkce, "n")
        .into_iter()
        .filter(|(name, _)| *name != "response_type")
        .collect();
    let answer = callback(&rp.authorize("organizations", &without).await);
    assert_eq!(answer.get("error"), "unsupported_response_type");
    let mut implicit = RelyingParty::authorize_parameters(&pkce, "n");
    implicit[1].1 = "id_token".to_owned();
    let answer = callback(&rp.authorize("organizations", &implicit).await);
    assert_eq!(answer.get("error"), "unsupported_response_type");
    assert!(answer.get("error_description").starts_with("AADSTS700054:"));
}

#[tokio::test]
async fn a_scope_without_openid_is_refused() {
    let rp = RelyingParty::start();
    let pkce = Pkce::new();
    let mut parameters = RelyingParty::authorize_parameters(&pkce, "n");
    parameters[3].1 = "profile email".to_owned();
    let answer = callback(&rp.authorize("organizations", &parameters).await);
    assert_eq!(answer.get("error"), "invalid_scope");
}

#[tokio::test]
async fn prompt_none_without_a_known_login_hint_answers_login_required() {
    let rp = RelyingParty::start();
    let pkce = Pkce::new();
    let mut parameters = RelyingParty::authorize_parameters(&pkce, "n");
    parameters.push(("prompt", "none".to_owned()));
    let answer = callback(&rp.authorize("organizations", &parameters).await);
    assert_eq!(answer.get("error"), "login_required");
    assert!(answer.get("error_description").starts_with("AADSTS50058:"));
}

#[tokio::test]
async fn response_mode_fragment_puts_the_code_in_the_fragment() {
    let rp = RelyingParty::start();
    let pkce = Pkce::new();
    let mut parameters = RelyingParty::authorize_parameters(&pkce, "n");
    parameters.push(("login_hint", SAM.to_owned()));
    parameters.push(("response_mode", "fragment".to_owned()));
    let response = rp.authorize("organizations", &parameters).await;
    assert_eq!(response.status(), StatusCode::FOUND);
    let location = Url::parse(response.headers()[header::LOCATION].to_str().unwrap()).unwrap();
    assert_eq!(location.query(), None);
    let fragment: HashMap<String, String> =
        url::form_urlencoded::parse(location.fragment().unwrap().as_bytes())
            .into_owned()
            .collect();
    assert!(fragment.contains_key("code"));
    assert_eq!(fragment["state"], "state-123");
}

#[tokio::test]
async fn response_mode_form_post_answers_a_form_its_policy_lets_submit() {
    let rp = RelyingParty::start();
    let pkce = Pkce::new();
    let mut parameters = RelyingParty::authorize_parameters(&pkce, "n");
    parameters.push(("login_hint", SAM.to_owned()));
    parameters.push(("response_mode", "form_post".to_owned()));
    let response = rp.authorize("organizations", &parameters).await;
    assert_eq!(response.status(), StatusCode::OK);
    let policy = response.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(policy.contains("script-src 'sha256-"), "{policy}");
    let html = response.text().await.unwrap();
    assert!(html.contains(&format!("<form method=\"post\" action=\"{REDIRECT_URI}\">")));
    assert!(html.contains("<input type=\"hidden\" name=\"code\" value=\""));
    assert!(html.contains("<input type=\"hidden\" name=\"state\" value=\"state-123\">"));
}

#[tokio::test]
async fn a_code_redeemed_twice_answers_aadsts54005() {
    let rp = RelyingParty::start();
    let pkce = Pkce::new();
    let code = rp.code_for(SAM, &pkce, "n").await;
    assert_eq!(
        rp.redeem_as_product(&code, &pkce.verifier).await.0,
        StatusCode::OK
    );
    let again = rp.redeem_as_product(&code, &pkce.verifier).await;
    assert_entra_error(&again, StatusCode::BAD_REQUEST, "invalid_grant", 54005);
}

#[tokio::test]
async fn an_unknown_code_answers_aadsts70000() {
    let rp = RelyingParty::start();
    let answer = rp.redeem_as_product("1.Anot-a-code", "verifier").await;
    assert_entra_error(&answer, StatusCode::BAD_REQUEST, "invalid_grant", 70000);
}

#[tokio::test]
async fn the_expired_code_account_gets_a_code_that_answers_aadsts70008() {
    let rp = RelyingParty::start();
    let pkce = Pkce::new();
    let code = rp
        .code_for("expired.code@demo-reseller.test", &pkce, "n")
        .await;
    let answer = rp.redeem_as_product(&code, &pkce.verifier).await;
    assert_entra_error(&answer, StatusCode::BAD_REQUEST, "invalid_grant", 70008);
    assert!(
        answer.1["error_description"]
            .as_str()
            .unwrap()
            .contains("has expired due to inactivity")
    );
}

#[tokio::test]
async fn a_wrong_code_verifier_answers_aadsts501481() {
    let rp = RelyingParty::start();
    let pkce = Pkce::new();
    let code = rp.code_for(SAM, &pkce, "n").await;
    let answer = rp.redeem_as_product(&code, &Pkce::new().verifier).await;
    assert_entra_error(&answer, StatusCode::BAD_REQUEST, "invalid_grant", 501481);
    let missing = rp
        .redeem_changed("organizations", &code, "", &[("code_verifier", None)])
        .await;
    assert_entra_error(&missing, StatusCode::BAD_REQUEST, "invalid_grant", 501481);
}

#[tokio::test]
async fn a_wrong_client_secret_answers_401_invalid_client() {
    let rp = RelyingParty::start();
    let pkce = Pkce::new();
    let code = rp.code_for(SAM, &pkce, "n").await;
    let answer = rp
        .redeem_changed(
            "organizations",
            &code,
            &pkce.verifier,
            &[("client_secret", Some("not-the-secret"))],
        )
        .await;
    assert_entra_error(&answer, StatusCode::UNAUTHORIZED, "invalid_client", 7000215);
}

#[tokio::test]
async fn another_client_id_answers_invalid_grant_aadsts700016() {
    let rp = RelyingParty::start();
    let pkce = Pkce::new();
    let code = rp.code_for(SAM, &pkce, "n").await;
    let answer = rp
        .redeem_changed(
            "organizations",
            &code,
            &pkce.verifier,
            &[
                ("client_id", Some("0b6e3c1a-2f4d-4e8a-9c7b-1d2e3f4a5b6c")),
                ("client_secret", Some("demo-secret")),
            ],
        )
        .await;
    assert_entra_error(&answer, StatusCode::BAD_REQUEST, "invalid_grant", 700016);
}

#[tokio::test]
async fn a_different_redirect_uri_at_the_token_endpoint_answers_aadsts50011() {
    let rp = RelyingParty::start();
    let pkce = Pkce::new();
    let code = rp.code_for(SAM, &pkce, "n").await;
    let answer = rp
        .redeem_changed(
            "organizations",
            &code,
            &pkce.verifier,
            &[("redirect_uri", Some("https://app.example.test/elsewhere"))],
        )
        .await;
    assert_entra_error(&answer, StatusCode::BAD_REQUEST, "invalid_grant", 50011);
}

#[tokio::test]
async fn client_secret_basic_a_tenant_token_endpoint_and_client_info_are_accepted() {
    let rp = RelyingParty::start();
    let pkce = Pkce::new();
    let code = rp.code_for(SAM, &pkce, "n").await;
    let response = rp
        .http
        .post(rp.url(&format!("/{HOME_TENANT}/oauth2/v2.0/token")))
        .basic_auth(CLIENT_ID, Some(CLIENT_SECRET))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(encoded(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT_URI),
            ("code_verifier", &pkce.verifier),
            ("client_info", "1"),
        ]))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let tokens: Value = response.json().await.unwrap();
    // MSAL's `client_info=1`: Entra then names the user's object and tenant for its cache.
    let client_info = URL_SAFE_NO_PAD
        .decode(tokens["client_info"].as_str().unwrap())
        .unwrap();
    let client_info: Value = serde_json::from_slice(&client_info).unwrap();
    assert_eq!(client_info["uid"], SAM_OID);
    assert_eq!(client_info["utid"], HOME_TENANT);
}

#[tokio::test]
async fn a_code_redeemed_at_another_tenant_answers_aadsts700005() {
    let rp = RelyingParty::start();
    let pkce = Pkce::new();
    let code = rp.code_for(SAM, &pkce, "n").await;
    let answer = rp
        .redeem_changed(FABRIKAM_TENANT, &code, &pkce.verifier, &[])
        .await;
    assert_entra_error(&answer, StatusCode::BAD_REQUEST, "invalid_grant", 700005);
}

#[tokio::test]
async fn the_bad_signature_accounts_id_token_fails_verification_against_the_jwks() {
    let rp = RelyingParty::start();
    let id_token = rp
        .id_token_for("bad.signature@demo-reseller.test", "n")
        .await;
    let (_, keys) = rp.get_json("/discovery/v2.0/keys").await;
    let header = jsonwebtoken::decode_header(&id_token).unwrap();
    assert_eq!(header.kid.as_deref(), keys["keys"][0]["kid"].as_str());
    let error = rp.verify(&id_token, HOME_TENANT).await.unwrap_err();
    assert_eq!(
        error.kind(),
        &jsonwebtoken::errors::ErrorKind::InvalidSignature
    );
}

#[tokio::test]
async fn the_other_tenant_account_signs_in_with_its_own_tenant_as_issuer() {
    let rp = RelyingParty::start();
    let fixture = rp.fake.fixture();
    let other = fixture
        .sign_in
        .accounts
        .iter()
        .find(|account| account.scenario == SignInScenario::OtherTenant)
        .unwrap();
    let pkce = Pkce::new();
    let mut parameters = RelyingParty::authorize_parameters(&pkce, "n");
    parameters.push(("login_hint", SAM.to_owned()));
    let answer = callback(&rp.authorize(FABRIKAM_TENANT, &parameters).await);
    let (status, tokens) = rp
        .redeem_as_product(answer.get("code"), &pkce.verifier)
        .await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    let id_token = tokens["id_token"].as_str().unwrap();
    let claims = rp.verify(id_token, FABRIKAM_TENANT).await.unwrap();
    assert_eq!(claims["tid"], FABRIKAM_TENANT);
    assert_eq!(claims["oid"], other.object_id.as_str());
    assert_eq!(claims["name"], "Sam Rivera (Fabrikam tenant)");
    let error = rp.verify(id_token, HOME_TENANT).await.unwrap_err();
    assert_eq!(
        error.kind(),
        &jsonwebtoken::errors::ErrorKind::InvalidIssuer
    );
}

#[tokio::test]
async fn at_organizations_a_login_hint_signs_in_the_home_account_of_that_upn() {
    let rp = RelyingParty::start();
    let id_token = rp.id_token_for(SAM, "n").await;
    let claims = rp.verify(&id_token, HOME_TENANT).await.unwrap();
    assert_eq!(
        claims["oid"], SAM_OID,
        "the first account listed with the UPN"
    );
}

#[tokio::test]
async fn the_other_tenant_hint_signs_in_the_fabrikam_account_at_organizations() {
    let rp = RelyingParty::start();
    let hint = rp.fake.other_tenant_hint().to_owned();
    assert!(!hint.is_empty());
    let id_token = rp.id_token_for(&hint, "n").await;
    let claims = rp.verify(&id_token, FABRIKAM_TENANT).await.unwrap();
    assert_eq!(claims["oid"], hint.as_str());
    assert_eq!(claims["preferred_username"], SAM);
}

#[tokio::test]
async fn prompt_select_account_shows_the_picker_even_for_a_known_login_hint() {
    let rp = RelyingParty::start();
    let pkce = Pkce::new();
    let mut parameters = RelyingParty::authorize_parameters(&pkce, "n");
    parameters.push(("login_hint", SAM.to_owned()));
    parameters.push(("prompt", "select_account".to_owned()));
    let page = rp.authorize("organizations", &parameters).await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("Sam Rivera (Fabrikam tenant)"));
    assert!(html.contains("Demo Admin"));
}

#[tokio::test]
async fn userinfo_answers_for_the_users_access_token_which_does_not_open_contracts() {
    let rp = RelyingParty::start();
    let pkce = Pkce::new();
    let code = rp.code_for(SAM, &pkce, "n").await;
    let (_, tokens) = rp.redeem_as_product(&code, &pkce.verifier).await;
    let access_token = tokens["access_token"].as_str().unwrap();
    let claims = rp
        .verify(tokens["id_token"].as_str().unwrap(), HOME_TENANT)
        .await
        .unwrap();
    let info: Value = rp
        .http
        .get(rp.url("/oidc/userinfo"))
        .bearer_auth(access_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(info["sub"], claims["sub"]);
    assert_eq!(info["email"], SAM);
    let posted = rp
        .http
        .post(rp.url("/oidc/userinfo"))
        .bearer_auth(access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), StatusCode::OK);
    let contracts = rp
        .http
        .get(rp.url("/v1.0/contracts"))
        .bearer_auth(access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(contracts.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn logout_returns_to_the_post_logout_redirect_uri_with_its_state() {
    let rp = RelyingParty::start();
    let response = rp
        .http
        .get(rp.url(&format!(
            "/organizations/oauth2/v2.0/logout?{}",
            encoded(&[
                (
                    "post_logout_redirect_uri",
                    "https://app.example.test/signed-out"
                ),
                ("state", "bye"),
            ])
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(
        response.headers()[header::LOCATION],
        "https://app.example.test/signed-out?state=bye"
    );
}

#[tokio::test]
async fn the_client_credentials_grant_of_the_graph_app_still_works() {
    let rp = RelyingParty::start();
    let answer = rp
        .redeem(
            HOME_TENANT,
            &[
                ("grant_type", "client_credentials"),
                ("client_id", "0b6e3c1a-2f4d-4e8a-9c7b-1d2e3f4a5b6c"),
                ("client_secret", "demo-secret"),
                ("scope", "https://graph.microsoft.com/.default"),
            ],
        )
        .await;
    assert_eq!(answer.0, StatusCode::OK, "{}", answer.1);
    let organizations = rp
        .redeem(
            "organizations",
            &[
                ("grant_type", "client_credentials"),
                ("client_id", "0b6e3c1a-2f4d-4e8a-9c7b-1d2e3f4a5b6c"),
                ("client_secret", "demo-secret"),
                ("scope", "https://graph.microsoft.com/.default"),
            ],
        )
        .await;
    assert_entra_error(
        &organizations,
        StatusCode::BAD_REQUEST,
        "invalid_tenant",
        90002,
    );
}

#[test]
fn a_fixture_written_before_sign_in_still_loads_without_a_sign_in_app() {
    let fixture = Fixture::from_json(
        r#"{"tenant_id":"t","client_id":"c","client_secret":"s","sub_tenants":[]}"#,
    )
    .unwrap();
    assert!(fixture.sign_in.client_id.is_empty());
    assert!(fixture.sign_in.accounts.is_empty());
}

#[test]
fn the_fixtures_debug_output_hides_both_secrets() {
    let shown = format!("{:?}", Fixture::demo().unwrap());
    assert!(!shown.contains("demo-secret"), "{shown}");
    assert!(!shown.contains(CLIENT_SECRET), "{shown}");
    assert!(shown.contains(CLIENT_ID));
}

mod openid_connect {
    //! The `openidconnect` crate as crates/graph uses it: authorize and redeem at the
    //! multi-tenant `organizations` endpoints, then verify the ID token against the discovery
    //! document of the tenant it names.

    use openidconnect::{
        AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce,
        PkceCodeChallenge, RedirectUrl, Scope, TokenResponse, TokenUrl,
        core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata},
    };

    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("{0}")]
    struct HttpFailure(String);

    async fn send(
        http: &reqwest::Client,
        request: openidconnect::HttpRequest,
    ) -> Result<openidconnect::HttpResponse, HttpFailure> {
        let (parts, body) = request.into_parts();
        let response = http
            .request(parts.method, parts.uri.to_string())
            .headers(parts.headers)
            .body(body)
            .send()
            .await
            .map_err(|error| HttpFailure(error.to_string()))?;
        let mut answer = openidconnect::http::Response::builder().status(response.status());
        for (name, value) in response.headers() {
            answer = answer.header(name, value);
        }
        let body = response
            .bytes()
            .await
            .map_err(|error| HttpFailure(error.to_string()))?;
        answer
            .body(body.to_vec())
            .map_err(|error| HttpFailure(error.to_string()))
    }

    /// Signs `upn` in at `tenant`'s authorize endpoint and redeems the code at `organizations`;
    /// the ID token, unverified, and the nonce.
    async fn sign_in(
        rp: &RelyingParty,
        tenant: &str,
        upn: &str,
    ) -> (openidconnect::core::CoreIdToken, Nonce) {
        let http = |request| send(&rp.http, request);
        let base = rp.fake.authority_url();
        let client = CoreClient::new(
            ClientId::new(rp.fake.sign_in_client_id().to_owned()),
            IssuerUrl::new(format!("{base}/organizations/v2.0")).unwrap(),
            openidconnect::JsonWebKeySet::default(),
        )
        .set_client_secret(ClientSecret::new(
            rp.fake.sign_in_client_secret().to_owned(),
        ))
        .set_auth_uri(AuthUrl::new(format!("{base}/{tenant}/oauth2/v2.0/authorize")).unwrap())
        .set_token_uri(TokenUrl::new(format!("{base}/organizations/oauth2/v2.0/token")).unwrap())
        .set_redirect_uri(RedirectUrl::new(REDIRECT_URI.to_owned()).unwrap());
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, csrf, nonce) = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .add_scope(Scope::new("profile".to_owned()))
            .add_scope(Scope::new("email".to_owned()))
            .add_extra_param("login_hint", upn)
            .set_pkce_challenge(challenge)
            .url();
        let response = rp.http.get(url.as_str()).send().await.unwrap();
        let answer = callback(&response);
        assert_eq!(answer.get("state"), csrf.secret());
        let tokens = client
            .exchange_code(AuthorizationCode::new(answer.get("code").to_owned()))
            .set_pkce_verifier(verifier)
            .request_async(&http)
            .await
            .unwrap();
        (tokens.id_token().unwrap().clone(), nonce)
    }

    async fn verifying_client(rp: &RelyingParty, tenant: &str) -> openidconnect::core::CoreClient {
        let http = |request| send(&rp.http, request);
        let issuer = IssuerUrl::new(rp.fake.issuer_url(tenant)).unwrap();
        let metadata = CoreProviderMetadata::discover_async(issuer, &http)
            .await
            .unwrap();
        CoreClient::new(
            ClientId::new(rp.fake.sign_in_client_id().to_owned()),
            metadata.issuer().clone(),
            metadata.jwks().clone(),
        )
        .set_client_secret(ClientSecret::new(
            rp.fake.sign_in_client_secret().to_owned(),
        ))
    }

    #[tokio::test]
    async fn an_openidconnect_relying_party_signs_the_demo_admin_in() {
        let rp = RelyingParty::start();
        let (id_token, nonce) = sign_in(&rp, "organizations", "admin@demo-reseller.test").await;
        let client = verifying_client(&rp, HOME_TENANT).await;
        let claims = id_token
            .claims(&client.id_token_verifier(), &nonce)
            .unwrap();
        assert_eq!(
            claims.preferred_username().unwrap().as_str(),
            "admin@demo-reseller.test"
        );
        assert_eq!(claims.email().unwrap().as_str(), "admin@demo-reseller.test");
        assert_eq!(
            claims.name().unwrap().get(None).unwrap().as_str(),
            "Demo Admin"
        );
        assert_eq!(claims.issuer().as_str(), rp.fake.issuer_url(HOME_TENANT));
    }

    #[tokio::test]
    async fn openidconnect_rejects_the_bad_signature_token_and_a_wrong_nonce() {
        let rp = RelyingParty::start();
        let client = verifying_client(&rp, HOME_TENANT).await;
        let (id_token, nonce) =
            sign_in(&rp, "organizations", "bad.signature@demo-reseller.test").await;
        let error = id_token
            .claims(&client.id_token_verifier(), &nonce)
            .unwrap_err();
        assert!(
            error.to_string().to_lowercase().contains("signature"),
            "{error}"
        );
        let (id_token, _) = sign_in(&rp, "organizations", "admin@demo-reseller.test").await;
        assert!(
            id_token
                .claims(&client.id_token_verifier(), &Nonce::new("other".to_owned()))
                .is_err()
        );
    }

    #[tokio::test]
    async fn openidconnect_sees_the_other_tenants_user_only_through_that_tenants_issuer() {
        let rp = RelyingParty::start();
        let (id_token, nonce) = sign_in(&rp, FABRIKAM_TENANT, SAM).await;
        let home = verifying_client(&rp, HOME_TENANT).await;
        assert!(id_token.claims(&home.id_token_verifier(), &nonce).is_err());
        let fabrikam = verifying_client(&rp, FABRIKAM_TENANT).await;
        let claims = id_token
            .claims(&fabrikam.id_token_verifier(), &nonce)
            .unwrap();
        assert_eq!(
            claims.issuer().as_str(),
            rp.fake.issuer_url(FABRIKAM_TENANT)
        );
    }
}
