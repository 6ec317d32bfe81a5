//! The directory a user source reads (SPEC §16): admin consent, app-only tokens for a consented
//! tenant only, domains, users by `$filter`, and `/users/delta` with its full round, paging,
//! `deltaLink` and the changes made through the fake's control endpoint.

use super::*;

const APP_SCOPE: &str = "https://graph.microsoft.com/.default";

impl RelyingParty {
    async fn consent(&self, tenant: &str, extra: &[(&str, &str)]) -> reqwest::Response {
        let mut parameters = vec![
            ("client_id", CLIENT_ID),
            ("redirect_uri", REDIRECT_URI),
            ("state", "consent-state"),
            ("scope", APP_SCOPE),
        ];
        parameters.extend_from_slice(extra);
        self.http
            .get(self.url(&format!(
                "/{tenant}/v2.0/adminconsent?{}",
                encoded(&parameters)
            )))
            .send()
            .await
            .unwrap()
    }

    async fn app_token(&self, tenant: &str) -> (StatusCode, Value) {
        self.redeem(
            tenant,
            &[
                ("grant_type", "client_credentials"),
                ("client_id", CLIENT_ID),
                ("client_secret", CLIENT_SECRET),
                ("scope", APP_SCOPE),
            ],
        )
        .await
    }

    async fn consented_token(&self) -> String {
        callback(&self.consent("organizations", &[("login_hint", SAM)]).await);
        let (status, token) = self.app_token(HOME_TENANT).await;
        assert_eq!(status, StatusCode::OK, "{token}");
        token["access_token"].as_str().unwrap().to_owned()
    }

    async fn graph(&self, token: &str, path_and_query: &str) -> (StatusCode, Value) {
        let response = self
            .http
            .get(format!("{}{path_and_query}", self.fake.graph_url()))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        (response.status(), response.json().await.unwrap())
    }
}

fn ids(page: &Value) -> Vec<String> {
    page["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|user| user["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn admin_consent_redirects_back_with_the_tenant_and_only_then_app_tokens_are_issued() {
    let party = RelyingParty::start();
    let (status, refused) = party.app_token(HOME_TENANT).await;
    assert_entra_error(
        &(status, refused),
        StatusCode::BAD_REQUEST,
        "unauthorized_client",
        700016,
    );

    let page = party.consent("organizations", &[]).await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("Permissions requested"), "{html}");
    assert!(html.contains(SAM), "{html}");

    let granted = callback(&party.consent("organizations", &[("login_hint", SAM)]).await);
    assert_eq!(granted.get("admin_consent"), "True");
    assert_eq!(granted.get("tenant"), HOME_TENANT);
    assert_eq!(granted.get("state"), "consent-state");
    let (status, token) = party.app_token(HOME_TENANT).await;
    assert_eq!(status, StatusCode::OK, "{token}");
    // Consent in one tenant opens no other.
    let (status, other) = party.app_token(FABRIKAM_TENANT).await;
    assert_entra_error(
        &(status, other),
        StatusCode::BAD_REQUEST,
        "unauthorized_client",
        700016,
    );
}

#[tokio::test]
async fn cancel_and_a_refused_grant_come_back_as_errors_with_the_state() {
    let party = RelyingParty::start();
    let cancelled = callback(&party.consent(HOME_TENANT, &[("fake_cancel", "1")]).await);
    assert_eq!(cancelled.get("error"), "access_denied");
    assert!(
        cancelled
            .get("error_description")
            .starts_with("AADSTS65004")
    );
    assert_eq!(cancelled.get("state"), "consent-state");

    party.fake.faults().refuse_consent(true);
    let refused = callback(&party.consent(HOME_TENANT, &[("login_hint", SAM)]).await);
    assert_eq!(refused.get("error"), "access_denied");
    assert!(refused.get("error_description").starts_with("AADSTS90094"));
    assert!(!party.fake.entra().consented(HOME_TENANT));

    let foreign = party
        .http
        .get(party.url(&format!(
            "/{HOME_TENANT}/v2.0/adminconsent?{}",
            encoded(&[
                ("client_id", "0b6e3c1a-2f4d-4e8a-9c7b-1d2e3f4a5b6c"),
                ("redirect_uri", REDIRECT_URI)
            ])
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(foreign.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn domains_say_which_are_verified_and_federated_and_users_are_found_by_filter() {
    let party = RelyingParty::start();
    let token = party.consented_token().await;
    let (status, domains) = party.graph(&token, "/v1.0/domains").await;
    assert_eq!(status, StatusCode::OK, "{domains}");
    let federated = domains["value"]
        .as_array()
        .unwrap()
        .iter()
        .find(|domain| domain["id"] == "corp.demo-reseller.test")
        .unwrap();
    assert_eq!(federated["authenticationType"], "Federated");
    assert!(
        !domains.to_string().contains("fabrikam.test"),
        "another tenant's domain: {domains}"
    );

    let filter = encoded(&[(
        "$filter",
        format!("userPrincipalName eq '{}'", SAM.to_uppercase()),
    )]);
    let (status, found) = party.graph(&token, &format!("/v1.0/users?{filter}")).await;
    assert_eq!(status, StatusCode::OK, "{found}");
    assert_eq!(ids(&found), vec![SAM_OID.to_owned()]);
    assert_eq!(found["value"][0]["accountEnabled"], true);
    let (status, _) = party
        .graph(
            &token,
            &format!(
                "/v1.0/users?{}",
                encoded(&[("$filter", "startswith(displayName,'S')")])
            ),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = party.graph("not-a-token", "/v1.0/users").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn users_delta_pages_a_full_round_then_reports_only_what_changed() {
    let mut fixture = Fixture::demo().unwrap();
    fixture.page_size = 2;
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    let fake = FakeGraph::start(fixture, "127.0.0.1:0").unwrap();
    let party = RelyingParty::with_fake(fake);
    let token = party.consented_token().await;

    let mut link = "/v1.0/users/delta".to_owned();
    let mut seen = Vec::new();
    let delta_link = loop {
        let (status, page) = party.graph(&token, &link).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        seen.extend(ids(&page));
        if let Some(next) = page["@odata.nextLink"].as_str() {
            link = Url::parse(next).unwrap()[url::Position::BeforePath..].to_owned();
            continue;
        }
        break page["@odata.deltaLink"].as_str().unwrap().to_owned();
    };
    assert_eq!(
        seen.len(),
        5,
        "every user of the home tenant once: {seen:?}"
    );
    let delta_path = Url::parse(&delta_link).unwrap()[url::Position::BeforePath..].to_owned();
    let (_, nothing) = party.graph(&token, &delta_path).await;
    assert!(ids(&nothing).is_empty(), "{nothing}");

    assert!(party.fake.entra().set_account_enabled(SAM_OID, false));
    assert!(
        party
            .fake
            .entra()
            .remove_user("2b3c4d5e-6f70-4a81-9b2c-3d4e5f6a7b8c")
    );
    let (_, changes) = party.graph(&token, &delta_path).await;
    let values = changes["value"].as_array().unwrap();
    assert_eq!(values.len(), 2, "{changes}");
    assert_eq!(values[0]["id"], SAM_OID);
    assert_eq!(values[0]["accountEnabled"], false);
    assert_eq!(values[1]["@removed"]["reason"], "changed");
    let next_round = changes["@odata.deltaLink"].as_str().unwrap();
    let next_path = Url::parse(next_round).unwrap()[url::Position::BeforePath..].to_owned();
    let (_, quiet) = party.graph(&token, &next_path).await;
    assert!(ids(&quiet).is_empty(), "{quiet}");
}
