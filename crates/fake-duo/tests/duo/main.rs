//! The fake Duo as an application meets it: plain HTTPS requests shaped like those of Duo's own
//! clients (duo_universal for Python, Go, Java), and the ID token verified as they verify it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod health_check;
mod prompt;
mod switches;
mod token;

use std::collections::HashMap;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use msp_fake_duo::{
    CallOutcome, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DuoCall, DuoFixture, FakeDuo, SwitchSettings,
};
use reqwest::{StatusCode, header};
use serde_json::{Value, json};
use url::Url;

const USER: &str = "alice@demo-reseller.test";
/// Never contacted: the client does not follow redirects, it reads them.
const REDIRECT_URI: &str = "https://app.example.test/duo/callback";
const STATE: &str = "0123456789abcdefghijklmnopqrstuvwxyz";
const OTHER_SECRET: &str = "0000000000111111111122222222223333333333";

struct App {
    fake: FakeDuo,
    http: reqwest::Client,
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn sign(claims: &Value, secret: &str) -> String {
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS512),
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

fn jti() -> String {
    let mut bytes = [0u8; 18];
    getrandom::fill(&mut bytes).unwrap();
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// reqwest 0.13 builds queries and forms only with features the workspace leaves off.
fn encoded(pairs: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

/// The query of a redirect to the application.
fn callback(response: &reqwest::Response) -> HashMap<String, String> {
    assert_eq!(response.status(), StatusCode::FOUND, "{response:?}");
    let location = Url::parse(response.headers()[header::LOCATION].to_str().unwrap()).unwrap();
    assert!(location.as_str().starts_with(REDIRECT_URI), "{location}");
    location.query_pairs().into_owned().collect()
}

/// The transaction ID the prompt's buttons send.
fn transaction_of(page: &str) -> String {
    let start = page.find("name=\"txid\" value=\"").expect("no txid") + 19;
    page[start..].split('"').next().unwrap().to_owned()
}

impl App {
    fn start() -> Self {
        let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
        let fake = FakeDuo::start(DuoFixture::demo(), "127.0.0.1:0").unwrap();
        let certificate =
            reqwest::Certificate::from_pem(fake.certificate_pem().as_bytes()).unwrap();
        let http = reqwest::Client::builder()
            .tls_certs_merge([certificate])
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap();
        Self { fake, http }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.fake.base_url())
    }

    /// A client assertion as Duo's clients make it: iss = sub = client ID, aud = endpoint URL.
    fn assertion(&self, secret: &str, endpoint: &str) -> String {
        let claims = json!({
            "iss": DEMO_CLIENT_ID, "sub": DEMO_CLIENT_ID,
            "aud": format!("https://{}{endpoint}", self.fake.api_hostname()),
            "exp": now() + 300, "iat": now(), "jti": jti(),
        });
        sign(&claims, secret)
    }

    async fn post(&self, path: &str, pairs: &[(&str, &str)]) -> reqwest::Response {
        self.http
            .post(self.url(path))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(encoded(pairs))
            .send()
            .await
            .unwrap()
    }

    async fn health_check(&self, client_id: &str, assertion: &str) -> Value {
        let pairs = [("client_id", client_id), ("client_assertion", assertion)];
        let response = self.post("/oauth/v1/health_check", &pairs).await;
        // Duo answers a refusal with 200 and "stat": "FAIL", as its clients expect.
        assert_eq!(response.status(), StatusCode::OK);
        response.json().await.unwrap()
    }

    /// The authorization request JWT of Duo's Python client (nonce as a claim here).
    fn request_claims(&self) -> Value {
        json!({
            "scope": "openid", "redirect_uri": REDIRECT_URI, "client_id": DEMO_CLIENT_ID,
            "iss": DEMO_CLIENT_ID, "aud": format!("https://{}", self.fake.api_hostname()),
            "exp": now() + 300, "state": STATE, "response_type": "code",
            "duo_uname": USER, "use_duo_code_attribute": true, "nonce": "nonce-0123456789abcdef",
        })
    }

    async fn authorize(&self, request_jwt: &str) -> (StatusCode, String) {
        let query = encoded(&[
            ("response_type", "code"),
            ("client_id", DEMO_CLIENT_ID),
            ("request", request_jwt),
        ]);
        let response = self
            .http
            .get(self.url(&format!("/oauth/v1/authorize?{query}")))
            .send()
            .await
            .unwrap();
        (response.status(), response.text().await.unwrap())
    }

    /// Shows the prompt for `claims` and presses `decision`; the application's callback query.
    async fn press(&self, claims: &Value, decision: &str) -> HashMap<String, String> {
        let (status, page) = self.authorize(&sign(claims, DEMO_CLIENT_SECRET)).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        let transaction = transaction_of(&page);
        let pairs = [("txid", transaction.as_str()), ("decision", decision)];
        callback(&self.post("/oauth/v1/authorize/decision", &pairs).await)
    }

    async fn exchange(&self, code: &str, redirect_uri: &str) -> reqwest::Response {
        let assertion = self.assertion(DEMO_CLIENT_SECRET, "/oauth/v1/token");
        let pairs = [
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", redirect_uri),
            ("client_id", DEMO_CLIENT_ID),
            (
                "client_assertion_type",
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ),
            ("client_assertion", assertion.as_str()),
        ];
        self.post("/oauth/v1/token", &pairs).await
    }

    /// Approve or deny, exchange the code, and verify the ID token as Duo's clients do.
    async fn sign_in(&self, decision: &str) -> Value {
        let code = self.press(&self.request_claims(), decision).await["duo_code"].clone();
        let response = self.exchange(&code, REDIRECT_URI).await;
        assert_eq!(response.status(), StatusCode::OK);
        let answer: Value = response.json().await.unwrap();
        assert_eq!(answer["token_type"], "Bearer");
        assert!(answer["expires_in"].as_u64().unwrap() > 0);
        assert!(
            answer["access_token"]
                .as_str()
                .is_some_and(|token| !token.is_empty())
        );
        self.verify(answer["id_token"].as_str().unwrap()).unwrap()
    }

    fn verify(&self, id_token: &str) -> Result<Value, jsonwebtoken::errors::Error> {
        let mut validation = Validation::new(Algorithm::HS512);
        validation.set_audience(&[DEMO_CLIENT_ID]);
        let issuer = format!("https://{}/oauth/v1/token", self.fake.api_hostname());
        validation.set_issuer(&[issuer]);
        validation.set_required_spec_claims(&["exp", "iat", "iss", "aud"]);
        let key = DecodingKey::from_secret(DEMO_CLIENT_SECRET.as_bytes());
        jsonwebtoken::decode::<Value>(id_token, &key, &validation).map(|data| data.claims)
    }

    async fn switches(&self, changes: Value) -> SwitchSettings {
        let response = self
            .http
            .post(self.url("/_fake/switches"))
            .json(&changes)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        response.json().await.unwrap()
    }
}
