//! `GET /api/v1/audit-log`: who changed what, confined to the caller's subtree.

use chrono::{DateTime, Utc};
use domain::ClaimSet;
use proto::{Role, TenantType};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, all_items, assert_problem};

fn created_at(entry: &Value) -> DateTime<Utc> {
    entry["created_at"]
        .as_str()
        .expect("created_at")
        .parse()
        .expect("an RFC 3339 timestamp")
}

db_test!(
    an_admin_reads_only_the_audit_entries_of_their_own_subtree,
    |app| async move {
        let (ours, admin) = app.reseller_with_admin("Acme Reseller").await;
        let customer = app
            .create_tenant("Acme Customer", TenantType::Corporate, Some(ours.id), true)
            .await;
        let customer_user = app
            .create_user(
                customer.id,
                "user@acme-customer.test",
                Role::Admin,
                ClaimSet::all(),
            )
            .await;
        let (theirs, rival) = app.reseller_with_admin("Rival Reseller").await;
        let our_token = app.sign_in(&admin.email, PASSWORD).await;
        app.sign_in(&customer_user.email, PASSWORD).await;
        let their_token = app.sign_in(&rival.email, PASSWORD).await;
        let created = app
            .post_json(
                "/api/v1/api-tokens",
                &their_token,
                &json!({ "name": "theirs" }),
            )
            .await;
        assert_eq!(created.status(), StatusCode::CREATED);

        let entries = all_items(&app, "/api/v1/audit-log", &our_token).await;

        let tenant_of = |entry: &Value| entry["tenant_id"].as_str().unwrap().to_owned();
        let targets: Vec<String> = entries
            .iter()
            .map(|entry| entry["target"].as_str().unwrap().to_owned())
            .collect();
        assert!(
            targets.contains(&format!("user:{}", admin.id)),
            "{targets:?}"
        );
        assert!(
            targets.contains(&format!("user:{}", customer_user.id)),
            "entries of the tenants below are included: {targets:?}"
        );
        for entry in &entries {
            let tenant = tenant_of(entry);
            assert!(
                tenant == ours.id.to_string() || tenant == customer.id.to_string(),
                "an entry of another tree: {entry}"
            );
        }
        assert!(!targets.contains(&format!("user:{}", rival.id)));
        let theirs_seen = all_items(&app, "/api/v1/audit-log", &their_token).await;
        assert!(!theirs_seen.is_empty());
        assert!(
            theirs_seen
                .iter()
                .all(|entry| tenant_of(entry) == theirs.id.to_string())
        );
    }
);

db_test!(
    the_audit_log_is_newest_first_and_paged_with_a_total,
    |app| async move {
        let (_, admin) = app.reseller_with_admin("Acme Reseller").await;
        let token = app.sign_in(&admin.email, PASSWORD).await;
        let mut last_created = Value::Null;
        for name in ["one", "two", "three"] {
            let response = app
                .post_json("/api/v1/api-tokens", &token, &json!({ "name": name }))
                .await;
            assert_eq!(response.status(), StatusCode::CREATED);
            last_created = response.json().await.unwrap();
        }

        let (first_status, first) = app
            .get_json("/api/v1/audit-log?page=1&per_page=3", &token)
            .await;
        let (second_status, second) = app
            .get_json("/api/v1/audit-log?page=2&per_page=3", &token)
            .await;
        let (_, beyond) = app
            .get_json("/api/v1/audit-log?page=3&per_page=3", &token)
            .await;

        assert_eq!(
            (first_status, second_status),
            (StatusCode::OK, StatusCode::OK)
        );
        // One sign-in and three token creations.
        for page in [&first, &second, &beyond] {
            assert_eq!(page["total"], 4, "{page}");
        }
        let first_items = first["items"].as_array().unwrap();
        let second_items = second["items"].as_array().unwrap();
        assert_eq!(first_items.len(), 3);
        assert_eq!(second_items.len(), 1);
        assert!(beyond["items"].as_array().unwrap().is_empty());
        assert_eq!(first_items[0]["action"], "api_token.create");
        assert_eq!(
            first_items[0]["target"],
            format!("api_token:{}", last_created["id"].as_str().unwrap())
        );
        assert_eq!(second_items[0]["action"], "auth.login");
        let all: Vec<&Value> = first_items.iter().chain(second_items).collect();
        for pair in all.windows(2) {
            assert!(
                created_at(pair[0]) >= created_at(pair[1]),
                "not newest first: {} before {}",
                pair[0],
                pair[1]
            );
        }
        let mut ids: Vec<&str> = all
            .iter()
            .map(|entry| entry["id"].as_str().unwrap())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 4, "the pages overlap");
    }
);

db_test!(a_technician_may_not_read_the_audit_log, |app| async move {
    let (tenant, _) = app.reseller_with_admin("Acme Reseller").await;
    let technician = app
        .create_user(
            tenant.id,
            "technician@acme-reseller.test",
            Role::Technician,
            ClaimSet::all(),
        )
        .await;
    let token = app.sign_in(&technician.email, PASSWORD).await;

    let response = app.get("/api/v1/audit-log", &token).await;

    assert_problem(response, StatusCode::FORBIDDEN, "forbidden").await;
});
