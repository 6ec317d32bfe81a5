//! Sign in with Microsoft (SPEC §14) end to end against the fake Entra over HTTPS: the button's
//! redirect, Microsoft's page (the fake's, with `login_hint`), the way back, and every refusal
//! with its own reason: another tenant, no saved tenant ID, no account, a deactivated account,
//! an expired code, a bad signature, a forged `state`, a cancelled consent.

use msp_api::config::GraphOptions;
use msp_fake_graph::{DirectoryAccount, FakeGraph, Fixture, SignInScenario};
use reqwest::{StatusCode, header};
use serde_json::{Value, json};

use crate::{
    business::put_json,
    helpers::{AppOptions, Backend, TestApp, run_db_test},
    provisioning::support::{Entra, secret_token},
};

/// The demo fixture's Entra tenant, and Sam Rivera's object ID in it.
const TENANT: &str = "5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
const SAM: &str = "scim.tech@demo-reseller.test";
const SAM_OBJECT_ID: &str = "5c1d0e2f-8a7b-4c3d-9e6f-1a2b3c4d5e6f";

/// The application, configured with the fake's sign-in app, and a browser that reaches the fake.
pub struct Microsoft {
    pub fake: FakeGraph,
    /// Trusts the fake's certificate and follows no redirect, like a browser one hop at a time.
    pub browser: reqwest::Client,
}

pub async fn run_with_microsoft<F, Fut>(backend: Backend, name: &str, test: F)
where
    F: FnOnce(TestApp, Microsoft) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    let mut fixture = Fixture::demo().unwrap();
    // The demo's MFA technician, in the demo company's Entra tenant.
    fixture.sign_in.accounts.push(DirectoryAccount {
        user_principal_name: "mfa@demo-reseller.test".to_owned(),
        display_name: "Morgan Fa".to_owned(),
        object_id: "0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b".to_owned(),
        tenant_id: TENANT.to_owned(),
        scenario: SignInScenario::Normal,
        account_enabled: true,
    });
    let fake = FakeGraph::start(fixture, "127.0.0.1:0").unwrap();
    let certificate_dir = tempfile::tempdir().unwrap();
    let certificate = certificate_dir.path().join("fake-entra.pem");
    std::fs::write(&certificate, fake.certificate_pem()).unwrap();
    let options = AppOptions {
        graph: Some(GraphOptions {
            authority_url: fake.authority_url().parse().unwrap(),
            graph_url: fake.graph_url().parse().unwrap(),
            root_certificate: Some(certificate),
            timeout_secs: 5,
        }),
        microsoft: Some((
            fake.sign_in_client_id().to_owned(),
            fake.sign_in_client_secret().to_owned(),
        )),
        ..AppOptions::default()
    };
    let browser = crate::helpers::browser_trusting(fake.certificate_pem());
    run_db_test(backend, name, options, move |app| async move {
        let _keep = certificate_dir;
        test(app, Microsoft { fake, browser }).await;
    })
    .await;
}

macro_rules! microsoft_test {
    ($name:ident, |$app:ident, $microsoft:ident| $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test]
            async fn on_sqlite() {
                run_with_microsoft(
                    crate::helpers::Backend::Sqlite,
                    concat!(module_path!(), "::on_sqlite"),
                    |$app, $microsoft| $body,
                )
                .await;
            }

            #[tokio::test]
            async fn on_postgres() {
                run_with_microsoft(
                    crate::helpers::Backend::Postgres,
                    concat!(module_path!(), "::on_postgres"),
                    |$app, $microsoft| $body,
                )
                .await;
            }
        }
    };
}

pub fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get(header::LOCATION)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// The `name=value` of a `Set-Cookie` the response sets for `name`.
pub fn cookie(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .filter_map(|value| value.split(';').next())
        .find(|pair| pair.starts_with(&format!("{name}=")) && pair.len() > name.len() + 1)
        .map(str::to_owned)
}

/// What the browser ends up with after the way back from Microsoft.
pub struct Outcome {
    /// Where the app sent the browser: `/`, `/#mfa_token=…` or `/?sign_in_error=…`.
    pub location: String,
    /// The session cookie, when signed in.
    pub session: Option<String>,
}

impl Outcome {
    fn refusal(&self) -> Option<&str> {
        self.location.strip_prefix("/?sign_in_error=")
    }
}

/// Clicks "Sign in with Microsoft", picks `account` on Microsoft's page (`login_hint`), and
/// follows Microsoft's redirect back to the app.
pub async fn sign_in_as(app: &TestApp, microsoft: &Microsoft, account: &str) -> Outcome {
    let begin = app
        .client
        .get(app.url("/api/v1/auth/microsoft"))
        .send()
        .await
        .unwrap();
    assert_eq!(begin.status(), StatusCode::FOUND);
    let pending = cookie(&begin, "msp_microsoft_sign_in").expect("the pending sign-in's cookie");
    let authorize = location(&begin);
    assert!(
        authorize.starts_with(microsoft.fake.authority_url()),
        "{authorize}"
    );
    for part in [
        "code_challenge_method=S256",
        "state=",
        "nonce=",
        "scope=openid",
    ] {
        assert!(authorize.contains(part), "{part} in {authorize}");
    }
    let hint = format!("{authorize}&login_hint={}", account.replace('@', "%40"));
    let consent = microsoft.browser.get(hint).send().await.unwrap();
    assert_eq!(
        consent.status(),
        StatusCode::FOUND,
        "{}",
        consent.text().await.unwrap()
    );
    let back = location(&consent);
    let callback = back
        .strip_prefix(&app.url(""))
        .unwrap_or_else(|| panic!("Microsoft sends the browser back to the app: {back}"))
        .to_owned();
    let finished = app
        .client
        .get(app.url(&callback))
        .header(header::COOKIE, pending)
        .send()
        .await
        .unwrap();
    assert_eq!(finished.status(), StatusCode::FOUND);
    Outcome {
        location: location(&finished),
        session: cookie(&finished, "msp_session"),
    }
}

/// The demo reseller's admin, signed in with its password, with the fake's tenant ID saved.
async fn demo_reseller(app: &TestApp, save_tenant_id: bool) -> String {
    app.seed_demo().await;
    let admin = app
        .sign_in("admin@demo-reseller.test", msp_api::demo::DEMO_PASSWORD)
        .await;
    if save_tenant_id {
        let saved = put_json(
            app,
            "/api/v1/settings/azure-login",
            &admin,
            &json!({ "tenant_id": TENANT }),
        )
        .await;
        assert_eq!(saved.status(), StatusCode::OK);
    }
    admin
}

async fn me_with(app: &TestApp, session: &str) -> Value {
    let response = app
        .client
        .get(app.url("/api/v1/me"))
        .header(header::COOKIE, session)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

microsoft_test!(
    a_technician_provisioned_from_entra_signs_in_with_microsoft_by_its_object_id,
    |app, microsoft| async move {
        let admin = demo_reseller(&app, true).await;
        let providers = app
            .client
            .get(app.url("/api/v1/auth/providers"))
            .send()
            .await
            .unwrap();
        assert_eq!(
            providers.json::<Value>().await.unwrap(),
            json!({ "microsoft": true })
        );
        // Entra renamed Sam's UPN since provisioning: the object ID still finds the account.
        let entra = Entra::new(&app, secret_token(&app, &admin).await);
        let found = entra.lookup("externalId", SAM_OBJECT_ID).await;
        let id = found["Resources"][0]["id"].as_str().unwrap().to_owned();
        let renamed = json!([{"op": "Replace", "path": "userName", "value": "sam.rivera@demo-reseller.test"}]);
        assert_eq!(entra.patch(&id, renamed).await.0, StatusCode::OK);

        let outcome = sign_in_as(&app, &microsoft, SAM).await;
        assert_eq!(outcome.location, "/");
        let me = me_with(&app, &outcome.session.unwrap()).await;
        assert_eq!(me["user"]["id"], id.as_str());
        let (_, audit) = app.get_json("/api/v1/audit-log", &admin).await;
        let login = audit["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|entry| {
                entry["action"] == "auth.login" && entry["target"] == format!("user:{id}")
            })
            .cloned()
            .unwrap();
        assert_eq!(login["details"]["method"], "microsoft");
    }
);

microsoft_test!(
    an_account_made_here_signs_in_with_microsoft_by_its_e_mail,
    |app, microsoft| async move {
        demo_reseller(&app, true).await;
        let outcome = sign_in_as(&app, &microsoft, "admin@demo-reseller.test").await;
        assert_eq!(outcome.location, "/");
        let me = me_with(&app, &outcome.session.unwrap()).await;
        assert_eq!(me["user"]["email"], "admin@demo-reseller.test");
    }
);

microsoft_test!(
    each_refusal_sends_the_browser_back_with_its_own_reason,
    |app, microsoft| async move {
        let admin = demo_reseller(&app, false).await;
        let refusal = |outcome: Outcome| outcome.refusal().map(str::to_owned);
        // Before the company saved its tenant ID, nobody of it signs in with Microsoft.
        assert_eq!(
            refusal(sign_in_as(&app, &microsoft, SAM).await).as_deref(),
            Some("tenant_id_not_saved")
        );
        put_json(
            &app,
            "/api/v1/settings/azure-login",
            &admin,
            &json!({ "tenant_id": TENANT }),
        )
        .await;
        let cases = [
            // The same person, consenting in another Entra tenant.
            ("Sam Rivera (Fabrikam tenant)", "other_tenant"),
            ("stranger@demo-reseller.test", "no_account"),
            ("expired.code@demo-reseller.test", "microsoft_code_refused"),
            (
                "bad.signature@demo-reseller.test",
                "microsoft_token_invalid",
            ),
        ];
        for (account, expected) in cases {
            let hint = if account.contains('@') {
                account.to_owned()
            } else {
                // The other-tenant account shares Sam's UPN: the fake tells them apart by tenant.
                microsoft.fake.other_tenant_hint().to_owned()
            };
            let outcome = sign_in_as(&app, &microsoft, &hint).await;
            assert_eq!(
                outcome.refusal(),
                Some(expected),
                "{account}: {}",
                outcome.location
            );
            assert!(outcome.session.is_none());
        }
    }
);

microsoft_test!(
    a_deactivated_or_api_only_account_is_refused_with_its_reason,
    |app, microsoft| async move {
        let admin = demo_reseller(&app, true).await;
        let entra = Entra::new(&app, secret_token(&app, &admin).await);
        let id = entra.lookup("externalId", SAM_OBJECT_ID).await["Resources"][0]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let disable = json!([{"op": "Replace", "path": "active", "value": "False"}]);
        assert_eq!(entra.patch(&id, disable).await.0, StatusCode::OK);
        let outcome = sign_in_as(&app, &microsoft, SAM).await;
        assert_eq!(outcome.refusal(), Some("account_deactivated"));
        let enable = json!([{"op": "Replace", "path": "active", "value": "True"}]);
        entra.patch(&id, enable).await;
        let ui_off = crate::technicians::support::patch_user(
            &app,
            &admin,
            &id,
            json!({ "allow_ui_access": false }),
        )
        .await;
        assert_eq!(ui_off.status(), StatusCode::OK);
        let outcome = sign_in_as(&app, &microsoft, SAM).await;
        assert_eq!(outcome.refusal(), Some("ui_access_disabled"));
    }
);

microsoft_test!(
    use_mfa_applies_to_a_sign_in_with_microsoft,
    |app, microsoft| async move {
        demo_reseller(&app, true).await;
        let outcome = sign_in_as(&app, &microsoft, "mfa@demo-reseller.test").await;
        assert!(
            outcome.session.is_none(),
            "no session before the second factor"
        );
        let mfa_token = outcome
            .location
            .strip_prefix("/#mfa_token=")
            .and_then(|rest| rest.strip_suffix("&methods=totp,recovery_code"))
            .unwrap_or_else(|| panic!("the second factor is due: {}", outcome.location))
            .to_owned();
        let code = crate::technicians::support::totp_code(msp_api::demo::DEMO_TOTP_SECRET, 0);
        let response = app
            .client
            .post(app.url("/api/v1/auth/login/totp"))
            .json(&json!({ "mfa_token": mfa_token, "code": code }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
    }
);

microsoft_test!(
    a_forged_state_a_missing_cookie_or_a_cancelled_consent_signs_nobody_in,
    |app, microsoft| async move {
        demo_reseller(&app, true).await;
        let begin = app
            .client
            .get(app.url("/api/v1/auth/microsoft"))
            .send()
            .await
            .unwrap();
        let pending = cookie(&begin, "msp_microsoft_sign_in").unwrap();
        let callback = |query: &str, with_cookie: bool| {
            let mut request = app
                .client
                .get(app.url(&format!("/api/v1/auth/microsoft/callback?{query}")));
            if with_cookie {
                request = request.header(header::COOKIE, pending.clone());
            }
            request.send()
        };
        let forged = callback("code=x&state=forged", true).await.unwrap();
        assert_eq!(
            location(&forged),
            "/?sign_in_error=microsoft_sign_in_expired"
        );
        let state = location(&begin)
            .split(['?', '&'])
            .find_map(|pair| pair.strip_prefix("state="))
            .unwrap()
            .to_owned();
        let cookieless = callback(&format!("code=x&state={state}"), false)
            .await
            .unwrap();
        assert_eq!(
            location(&cookieless),
            "/?sign_in_error=microsoft_sign_in_expired"
        );
        let cancelled = callback(
            &format!("error=access_denied&error_description=AADSTS65004&state={state}"),
            true,
        )
        .await
        .unwrap();
        assert_eq!(location(&cancelled), "/?sign_in_error=microsoft_cancelled");
        assert!(cookie(&cancelled, "msp_session").is_none());
        let _ = microsoft;
    }
);

db_test!(
    without_an_app_registration_the_button_is_hidden_and_its_route_says_why,
    |app| async move {
        let providers = app
            .client
            .get(app.url("/api/v1/auth/providers"))
            .send()
            .await
            .unwrap();
        assert_eq!(
            providers.json::<Value>().await.unwrap(),
            json!({ "microsoft": false })
        );
        let begin = app
            .client
            .get(app.url("/api/v1/auth/microsoft"))
            .send()
            .await
            .unwrap();
        assert_eq!(begin.status(), StatusCode::FOUND);
        assert_eq!(location(&begin), "/?sign_in_error=microsoft_not_configured");
    }
);
