//! `POST /api/v1/auth/login` and `/logout`.

use reqwest::{StatusCode, header};
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, assert_problem, invalid_fields};

fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|cookie| cookie.starts_with("msp_session="))
        .map(str::to_owned)
}

fn cookie_attributes(cookie: &str) -> Vec<String> {
    cookie
        .split(';')
        .skip(1)
        .map(|attribute| attribute.trim().to_ascii_lowercase())
        .collect()
}

db_test!(
    the_right_credentials_return_a_bearer_token_and_a_strict_http_only_session_cookie,
    |app| async move {
        let (_, admin) = app.reseller_with_admin("Acme Reseller").await;

        let response = app.login(&admin.email, PASSWORD).await;

        assert_eq!(response.status(), StatusCode::OK);
        let cookie = session_cookie(&response).expect("a msp_session cookie");
        let body: Value = response.json().await.unwrap();
        let token = body["access_token"].as_str().expect("an access_token");
        assert!(!token.is_empty());
        assert_eq!(body["token_type"], "Bearer");
        assert!(body["expires_in"].as_u64().expect("expires_in in seconds") > 0);
        assert!(
            cookie.starts_with(&format!("msp_session={token};")),
            "the cookie carries the access token: {cookie}"
        );
        let attributes = cookie_attributes(&cookie);
        for expected in ["httponly", "samesite=strict", "path=/"] {
            assert!(
                attributes.iter().any(|attribute| attribute == expected),
                "{expected} missing from {cookie}"
            );
        }
    }
);

db_test!(
    a_wrong_password_and_an_unknown_email_get_the_same_generic_401,
    |app| async move {
        let (_, admin) = app.reseller_with_admin("Acme Reseller").await;
        let attempts = [
            (
                "wrong password",
                admin.email.as_str(),
                "not-the-right-password",
            ),
            ("unknown e-mail", "nobody@nowhere.test", PASSWORD),
            ("not an e-mail at all", "nobody", PASSWORD),
        ];

        let mut bodies = Vec::new();
        for (case, email, password) in attempts {
            let response = app.login(email, password).await;
            assert_eq!(
                response.headers().get(header::WWW_AUTHENTICATE).unwrap(),
                "Bearer",
                "{case}"
            );
            let body =
                assert_problem(response, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
            bodies.push((case, body));
        }

        let (_, first) = &bodies[0];
        for (case, body) in &bodies {
            assert_eq!(
                body, first,
                "{case} must not be told apart from a wrong password"
            );
        }
    }
);

db_test!(
    empty_fields_are_rejected_with_422_naming_each_field,
    |app| async move {
        let cases = [
            (
                json!({ "email": "", "password": "" }),
                vec!["email", "password"],
            ),
            (
                json!({ "email": "someone@example.test", "password": "" }),
                vec!["password"],
            ),
            (
                json!({ "email": "   ", "password": "something-long" }),
                vec!["email"],
            ),
        ];
        for (body, expected_fields) in cases {
            let response = app
                .client
                .post(app.url("/api/v1/auth/login"))
                .json(&body)
                .send()
                .await
                .unwrap();
            assert_eq!(
                invalid_fields(response).await,
                expected_fields,
                "for {body}"
            );
        }
    }
);

db_test!(the_email_address_is_case_insensitive, |app| async move {
    let (_, admin) = app.reseller_with_admin("Acme Reseller").await;
    let variants = [
        admin.email.to_uppercase(),
        "Admin@Acme-Reseller.Test".to_owned(),
        format!("  {}  ", admin.email),
    ];
    for email in variants {
        let response = app.login(&email, PASSWORD).await;
        assert_eq!(response.status(), StatusCode::OK, "signing in as {email:?}");
    }
});

db_test!(
    the_sixth_attempt_after_five_failures_is_refused_with_429_and_retry_after_even_with_the_right_password,
    |app| async move {
        let (_, admin) = app.reseller_with_admin("Acme Reseller").await;
        for attempt in 1..=5 {
            let response = app.login(&admin.email, "not-the-right-password").await;
            assert_eq!(
                response.status(),
                StatusCode::UNAUTHORIZED,
                "failed attempt {attempt}"
            );
        }

        let response = app.login(&admin.email, PASSWORD).await;

        let retry_after: u64 = response
            .headers()
            .get(header::RETRY_AFTER)
            .expect("a Retry-After header")
            .to_str()
            .unwrap()
            .parse()
            .expect("Retry-After in seconds");
        assert!(retry_after > 0);
        assert_problem(response, StatusCode::TOO_MANY_REQUESTS, "too_many_attempts").await;
    }
);

db_test!(
    a_locked_account_does_not_block_another_accounts_sign_in,
    |app| async move {
        let (tenant, locked) = app.reseller_with_admin("Acme Reseller").await;
        let other = app
            .create_user(
                tenant.id,
                "colleague@acme-reseller.test",
                proto::Role::Technician,
                domain::ClaimSet::all(),
            )
            .await;
        for _ in 1..=5 {
            app.login(&locked.email, "not-the-right-password").await;
        }
        assert_eq!(
            app.login(&locked.email, PASSWORD).await.status(),
            StatusCode::TOO_MANY_REQUESTS
        );

        let response = app.login(&other.email, PASSWORD).await;

        assert_eq!(response.status(), StatusCode::OK);
    }
);

db_test!(signing_out_expires_the_session_cookie, |app| async move {
    let (_, admin) = app.reseller_with_admin("Acme Reseller").await;
    let browser = app.browser_signed_in(&admin.email).await;

    let logout = browser
        .post(app.url("/api/v1/auth/logout"))
        .send()
        .await
        .unwrap();

    assert_eq!(logout.status(), StatusCode::NO_CONTENT);
    let cookie = session_cookie(&logout).expect("the logout overwrites msp_session");
    assert!(
        cookie_attributes(&cookie)
            .iter()
            .any(|attribute| attribute == "max-age=0"),
        "{cookie}"
    );
    let me = browser.get(app.url("/api/v1/me")).send().await.unwrap();
    assert_problem(me, StatusCode::UNAUTHORIZED, "unauthenticated").await;
});

db_test!(
    racing_sign_ins_of_one_account_never_meet_a_server_error,
    |app| async move {
        let (_, admin) = app.reseller_with_admin("Racing Failures").await;
        let mut attempts = tokio::task::JoinSet::new();
        for _ in 0..24 {
            let client = app.client.clone();
            let url = app.url("/api/v1/auth/login");
            // Right and wrong passwords interleaved: successes delete the throttle row that
            // failures are creating at the same moment.
            let password = if attempts.len() % 2 == 0 {
                PASSWORD
            } else {
                "a-wrong-password"
            };
            let body = json!({ "email": admin.email, "password": password });
            attempts
                .spawn(async move { client.post(url).json(&body).send().await.unwrap().status() });
        }
        let statuses = attempts.join_all().await;
        let expected = [
            reqwest::StatusCode::OK,
            reqwest::StatusCode::UNAUTHORIZED,
            reqwest::StatusCode::TOO_MANY_REQUESTS,
        ];
        assert!(
            statuses.iter().all(|status| expected.contains(status)),
            "{statuses:?}"
        );
    }
);

db_test!(
    an_e_mail_longer_than_any_address_is_refused_with_422_not_a_server_error,
    |app| async move {
        let email = format!("{}@example.test", "a".repeat(290));
        let response = app.login(&email, PASSWORD).await;
        assert_eq!(invalid_fields(response).await, ["email"]);
    }
);

db_test!(
    a_password_stored_with_an_earlier_versions_settings_is_hashed_again_at_sign_in,
    |app| async move {
        use argon2::{
            Argon2, PasswordHasher,
            password_hash::{SaltString, rand_core::OsRng},
        };
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};

        let (_, admin) = app.reseller_with_admin("Shop Reseller").await;
        let stored = |hash: String| {
            entity::user::Entity::update_many()
                .col_expr(entity::user::Column::PasswordHash, Expr::value(hash))
                .filter(entity::user::Column::Id.eq(admin.id))
                .exec(&app.db)
        };
        let hash_of = || async {
            entity::user::Entity::find_by_id(admin.id)
                .one(&app.db)
                .await
                .unwrap()
                .unwrap()
                .password_hash
        };
        // What earlier versions stored: the crate's defaults, 19 MiB and 2 passes.
        let older = Argon2::default()
            .hash_password(PASSWORD.as_bytes(), &SaltString::generate(&mut OsRng))
            .unwrap()
            .to_string();
        stored(older.clone()).await.unwrap();

        let wrong = app.login(&admin.email, "not-the-password-1").await;
        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(hash_of().await, older, "a wrong password changes nothing");

        assert_eq!(
            app.login(&admin.email, PASSWORD).await.status(),
            StatusCode::OK
        );
        let upgraded = hash_of().await;
        assert!(
            upgraded.starts_with("$argon2id$v=19$m=7168,t=5,p=1$"),
            "{upgraded}"
        );
        assert_eq!(
            app.login(&admin.email, PASSWORD).await.status(),
            StatusCode::OK
        );
        assert_eq!(hash_of().await, upgraded, "an up-to-date hash is kept");
    }
);
