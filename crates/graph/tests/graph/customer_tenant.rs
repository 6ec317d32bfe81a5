//! Woodgrove Bank's directory in the demo fixture, consented by its administrator to the
//! operator's app the way the product asks for it (the admin-consent URL, Entra's redirect
//! back), then reached by a [`GraphClient`] with app-only tokens.

use domain::AzureTenantId;
use msp_fake_graph::{FakeGraph, Fixture};
use msp_graph::{AccountPassword, GraphClient, GraphSettings, NewDirectoryAccount, SignInApp};
use reqwest::{StatusCode, header};

use super::{settings_for, start_fake_with};

pub const WOODGROVE: &str = "3b9e4c1a-7d2f-4e8b-a6c5-0f1e2d3c4b5a";
const WOODGROVE_ADMIN: &str = "admin@woodgrovebank.test";
/// Dana Whitfield, who works at Woodgrove Bank.
pub const DANA: &str = "c5d1e2f3-0002-4a6b-8c7d-9e0f1a2b3c02";
pub const GLOBAL_ADMINISTRATOR: &str = "62e90394-69f5-4237-9190-012177145e10";
pub const USER_ADMINISTRATOR: &str = "fe930be7-5e62-47db-91af-98c3a49a38b1";
const CLIENT_ID: &str = "7c3f1e2a-9b4d-4f6e-8a1c-2d3e4f5a6b7c";
const CLIENT_SECRET: &str = "demo-sign-in-secret";
/// Never contacted: the test reads Entra's redirect instead of following it.
const REDIRECT_URI: &str = "https://app.example.test/customer-entra/consent-callback";

pub struct Customer {
    pub fake: FakeGraph,
    pub graph: GraphClient,
    pub app: SignInApp,
    pub tenant: AzureTenantId,
}

impl Customer {
    pub async fn consented() -> Self {
        Self::consented_with(Fixture::demo().unwrap(), |_| {}).await
    }

    pub async fn consented_with(fixture: Fixture, adjust: impl FnOnce(&mut GraphSettings)) -> Self {
        let fake = start_fake_with(fixture);
        let mut settings = settings_for(&fake);
        adjust(&mut settings);
        let graph = GraphClient::new(settings).unwrap();
        let app = SignInApp {
            client_id: CLIENT_ID.to_owned(),
            client_secret: CLIENT_SECRET.to_owned(),
        };
        let consent = graph
            .admin_consent_url(&app, REDIRECT_URI, "state-1")
            .unwrap();
        let browser = reqwest::Client::builder()
            .tls_certs_merge([
                reqwest::Certificate::from_pem(fake.certificate_pem().as_bytes()).unwrap(),
            ])
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let answer = browser
            .get(format!("{consent}&login_hint={WOODGROVE_ADMIN}"))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), StatusCode::FOUND);
        let back = answer.headers()[header::LOCATION].to_str().unwrap();
        assert!(back.contains(&format!("tenant={WOODGROVE}")), "{back}");
        assert!(fake.entra().consented(WOODGROVE));
        Self {
            fake,
            graph,
            app,
            tenant: AzureTenantId::parse(WOODGROVE).unwrap(),
        }
    }

    /// The fake's log of account, role and LAPS calls, as `POST /v1.0/users -> 201`.
    pub fn calls(&self) -> Vec<String> {
        self.fake
            .entra()
            .calls()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    /// Creates `<local part>@woodgrovebank.test` with a generated password; its object ID.
    pub async fn create(&self, local_part: &str) -> String {
        self.graph
            .create_user(
                &self.app,
                &self.tenant,
                &account(&format!("{local_part}@woodgrovebank.test")),
            )
            .await
            .unwrap()
            .object_id
    }
}

/// An account as the product asks for one, with a freshly generated password.
pub fn account(user_principal_name: &str) -> NewDirectoryAccount {
    NewDirectoryAccount {
        user_principal_name: user_principal_name.to_owned(),
        display_name: "MSP admin (Alex Kim)".to_owned(),
        mail_nickname: user_principal_name.split('@').next().unwrap().to_owned(),
        password: AccountPassword::generate().unwrap(),
    }
}
