//! `GET /api/v1/me` and how a caller authenticates.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use domain::ClaimSet;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use proto::{Claim, Role, TenantType};
use reqwest::{StatusCode, header};
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TEST_JWT_SECRET, assert_problem};

fn all_claim_codes() -> Vec<&'static str> {
    let mut codes: Vec<_> = Claim::ALL.iter().map(|claim| claim.as_str()).collect();
    codes.sort_unstable();
    codes
}

fn claim_codes(me: &Value) -> Vec<String> {
    let mut codes: Vec<String> = me["claims"]
        .as_array()
        .expect("claims")
        .iter()
        .map(|claim| claim.as_str().expect("a claim code").to_owned())
        .collect();
    codes.sort_unstable();
    codes
}

db_test!(
    me_returns_the_user_tenant_role_claims_feature_and_a_fresh_wizard,
    |app| async move {
        let (tenant, admin) = app.reseller_with_admin("Acme Reseller").await;
        let token = app.sign_in(&admin.email, PASSWORD).await;

        let me = app.me(&token).await;

        assert_eq!(me["user"]["id"], admin.id.to_string());
        assert_eq!(me["user"]["email"], "admin@acme-reseller.test");
        assert_eq!(me["tenant"]["id"], tenant.id.to_string());
        assert_eq!(me["tenant"]["name"], "Acme Reseller");
        assert_eq!(me["tenant"]["type"], "reseller");
        assert_eq!(me["tenant"]["monthly_billing"], true);
        assert_eq!(me["role"], "admin");
        assert_eq!(claim_codes(&me), all_claim_codes());
        assert_eq!(me["feature_available"], true);
        assert_eq!(me["wizard"]["status"], "not_started");
        assert_eq!(me["wizard"]["step"], 1);
    }
);

db_test!(
    the_feature_is_available_only_to_billing_resellers_and_distributors_with_manage_customer_settings,
    |app| async move {
        let distributor = app
            .create_tenant("Billing Distributor", TenantType::Distributor, None, true)
            .await;
        let reseller = app
            .create_tenant("Billing Reseller", TenantType::Reseller, Some(distributor.id), true)
            .await;
        let unbilled = app
            .create_tenant("Unbilled Reseller", TenantType::Reseller, None, false)
            .await;
        let corporate = app
            .create_tenant("Some Corporate", TenantType::Corporate, Some(reseller.id), true)
            .await;
        let all = ClaimSet::all;
        let cases = [
            ("distributor@test.test", distributor.id, all(), true),
            ("reseller@test.test", reseller.id, all(), true),
            (
                "no-manage@test.test",
                reseller.id,
                ClaimSet::all_but(Claim::ManageCustomerSettings),
                false,
            ),
            ("unbilled@test.test", unbilled.id, all(), false),
            ("corporate@test.test", corporate.id, all(), false),
        ];

        for (email, tenant_id, claims, expected) in cases {
            app.create_user(tenant_id, email, Role::Admin, claims).await;
            let token = app.sign_in(email, PASSWORD).await;
            let me = app.me(&token).await;
            assert_eq!(me["feature_available"], expected, "for {email}");
        }
    }
);

db_test!(
    the_demo_admin_has_the_feature_and_the_demo_user_without_manage_customer_settings_does_not,
    demo,
    |app| async move {
        let cases = [
            (msp_api::demo::DEMO_ADMIN_EMAIL.to_owned(), true),
            (
                msp_api::demo::demo_email_without(Claim::ManageCustomerSettings),
                false,
            ),
        ];
        for (email, expected) in cases {
            let token = app.sign_in(&email, msp_api::demo::DEMO_PASSWORD).await;
            let me = app.me(&token).await;
            assert_eq!(me["feature_available"], expected, "for {email}");
        }
    }
);

db_test!(
    a_request_without_valid_credentials_gets_a_401_problem,
    |app| async move {
        let cases: [(&str, Option<&str>); 4] = [
            ("no Authorization header", None),
            ("another scheme", Some("Basic YWRtaW46cGFzc3dvcmQ=")),
            ("an empty bearer token", Some("Bearer ")),
            ("an unknown API token", Some("Bearer msp_not-a-real-token")),
        ];
        for (case, authorization) in cases {
            let mut request = app.client.get(app.url("/api/v1/me"));
            if let Some(value) = authorization {
                request = request.header(header::AUTHORIZATION, value);
            }
            let response = request.send().await.unwrap();
            assert_eq!(
                response.headers().get(header::WWW_AUTHENTICATE).unwrap(),
                "Bearer",
                "{case}"
            );
            assert_problem(response, StatusCode::UNAUTHORIZED, "unauthenticated").await;
        }
    }
);

fn decode_part(part: &str) -> Value {
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).expect("base64url")).expect("JSON")
}

fn encode_part(value: &Value) -> String {
    URL_SAFE_NO_PAD.encode(value.to_string())
}

fn sign(claims: &Value, algorithm: Algorithm, secret: &str) -> String {
    jsonwebtoken::encode(
        &Header::new(algorithm),
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .expect("signing a test token")
}

db_test!(
    forged_tampered_and_expired_access_tokens_are_rejected_with_401,
    |app| async move {
        let (_, admin) = app.reseller_with_admin("Acme Reseller").await;
        let valid = app.sign_in(&admin.email, PASSWORD).await;
        let parts: Vec<&str> = valid.split('.').collect();
        let [header_part, payload_part, signature] = parts[..] else {
            panic!("a JWT has three parts: {valid}");
        };
        let claims = decode_part(payload_part);
        let now = chrono::Utc::now().timestamp();

        let mut technician = claims.clone();
        technician["role"] = json!("technician");
        let tampered = format!("{header_part}.{}.{signature}", encode_part(&technician));

        let alg_none = format!(
            "{}.{payload_part}.",
            encode_part(&json!({ "alg": "none", "typ": "JWT" }))
        );

        let mut expired_claims = claims.clone();
        expired_claims["iat"] = json!(now - 7200);
        expired_claims["exp"] = json!(now - 3600);
        let expired = sign(&expired_claims, Algorithm::HS256, TEST_JWT_SECRET);

        let other_key = sign(
            &claims,
            Algorithm::HS256,
            "another-secret-that-is-also-long-enough-0123456789",
        );
        let other_algorithm = sign(&claims, Algorithm::HS512, TEST_JWT_SECRET);

        let mut foreign_issuer = claims.clone();
        foreign_issuer["iss"] = json!("someone-else");
        let foreign_issuer = sign(&foreign_issuer, Algorithm::HS256, TEST_JWT_SECRET);

        // The untouched token works, so each rejection below is the forgery's doing.
        app.me(&valid).await;
        let cases = [
            ("garbage", "not-a-jwt".to_owned()),
            ("tampered payload", tampered),
            ("alg none", alg_none),
            ("expired", expired),
            ("signed with another key", other_key),
            ("signed with HS512", other_algorithm),
            ("another issuer", foreign_issuer),
        ];
        for (case, token) in cases {
            let response = app.get("/api/v1/me", &token).await;
            assert_eq!(
                response.status(),
                StatusCode::UNAUTHORIZED,
                "a {case} token must be rejected"
            );
            assert_problem(response, StatusCode::UNAUTHORIZED, "unauthenticated").await;
        }
    }
);

db_test!(the_session_cookie_alone_authenticates, |app| async move {
    let (_, admin) = app.reseller_with_admin("Acme Reseller").await;
    let browser = app.browser_signed_in(&admin.email).await;

    let response = browser.get(app.url("/api/v1/me")).send().await.unwrap();

    assert_eq!(response.status(), StatusCode::OK);
    let me: Value = response.json().await.unwrap();
    assert_eq!(me["user"]["email"], admin.email);
});
