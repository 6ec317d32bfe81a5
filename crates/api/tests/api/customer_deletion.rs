//! Deleting a customer tenant (SPEC §15): a tenant with data in every table that can hold tenant
//! data is deleted through the API, and a scan of every table of the schema proves that nothing
//! refers to it any more, that every table is back to the rows it had before the tenant existed,
//! and that another customer kept all of its data. The table list is the schema's: a new table
//! without a decision here fails the test.

use chrono::Utc;
use entity::{
    group_policy, invitation, job, job_run, provisioning_call, recovery_code, scim_token,
    security_integration, sub_tenant_listing, totp_factor, wizard_progress,
};
use proto::Role;
use reqwest::StatusCode;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DatabaseBackend, EntityTrait, Statement,
};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use uuid::Uuid;

use crate::{
    business::{Reseller, create_customer, customer, put_json, reseller, with},
    helpers::{PASSWORD, TestApp, assert_problem},
};

/// What a table holds, as far as a customer tenant's deletion goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Holds {
    /// Rows of a tenant: the deletion removes the tenant's, and the seeding below puts one in.
    TenantData,
    /// Just-in-time accounts in the customer's Entra directory: they outlive the customer until
    /// the MSP's expiry job deletes them there, so the deletion clears their customer and marks
    /// them for removal; the seeding puts one in.
    AwaitsRemoval,
    /// Rows derived from customers by triggers (search): they follow the customer row.
    SearchIndex,
    /// FTS5's segments on SQLite: a deletion is written as a new segment until FTS5 merges
    /// them, so their row count is no measure; the index they serve (`customers_search`) is.
    FtsSegments,
    /// Nothing of a tenant: migrations, positions, per-reseller counters (one row per reseller,
    /// whose value the triggers keep), and the sign-in throttle (keyed by e-mail and address,
    /// forgotten within minutes).
    NoTenantData,
}

const TABLES: &[(&str, Holds)] = &[
    ("activations", Holds::TenantData),
    ("api_tokens", Holds::TenantData),
    ("audit_log", Holds::TenantData),
    ("customer_delegated_groups", Holds::TenantData),
    ("customer_delegated_users", Holds::TenantData),
    ("customer_group_policies", Holds::TenantData),
    ("customer_match_rejections", Holds::TenantData),
    ("customers", Holds::TenantData),
    ("customer_entra_connections", Holds::TenantData),
    ("directory_offboardings", Holds::TenantData),
    ("group_policies", Holds::TenantData),
    ("idempotency_records", Holds::TenantData),
    ("invitations", Holds::TenantData),
    ("jit_accounts", Holds::AwaitsRemoval),
    ("jobs", Holds::TenantData),
    ("job_runs", Holds::TenantData),
    ("licence_keys", Holds::TenantData),
    ("provisioning_calls", Holds::TenantData),
    ("recovery_codes", Holds::TenantData),
    ("scim_tokens", Holds::TenantData),
    ("security_integrations", Holds::TenantData),
    ("sessions", Holds::TenantData),
    ("sub_tenant_listings", Holds::TenantData),
    ("tenants", Holds::TenantData),
    ("technician_group_members", Holds::TenantData),
    ("technician_groups", Holds::TenantData),
    ("totp_factors", Holds::TenantData),
    ("users", Holds::TenantData),
    ("user_sources", Holds::TenantData),
    ("wizard_progress", Holds::TenantData),
    ("customer_name_grams", Holds::SearchIndex),
    // SQLite: the trigram index and its shadow tables, and the narrow copy of the names.
    ("customers_search", Holds::SearchIndex),
    ("customers_search_config", Holds::NoTenantData),
    ("customers_search_data", Holds::FtsSegments),
    ("customers_search_docsize", Holds::SearchIndex),
    ("customers_search_idx", Holds::FtsSegments),
    ("customer_name_order", Holds::SearchIndex),
    ("name_positions", Holds::NoTenantData),
    // PostgreSQL: how many of a reseller's names hold each short part.
    ("customer_name_part_counts", Holds::SearchIndex),
    // PostgreSQL: the narrow copy of the names a search by a long name part reads.
    ("customer_name_keys", Holds::SearchIndex),
    ("customer_counts", Holds::NoTenantData),
    ("login_throttle", Holds::NoTenantData),
    // The Azure sub-tenants a reseller's listings returned (IDs and names, as Graph has them):
    // the reseller's view of Azure, kept while the sub-tenant exists there.
    ("sub_tenant_sightings", Holds::NoTenantData),
    ("seaql_migrations", Holds::NoTenantData),
];

pub(crate) async fn schema_tables(app: &TestApp) -> Vec<String> {
    let backend = app.db.get_database_backend();
    let sql = match backend {
        DatabaseBackend::Sqlite => {
            "SELECT name AS t FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        }
        _ => "SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public'",
    };
    let rows = app
        .db
        .query_all_raw(Statement::from_string(backend, sql))
        .await
        .unwrap();
    rows.iter()
        .map(|row| row.try_get::<String>("", "t").unwrap())
        .collect()
}

/// Every row of `table` as one line of text: UUIDs (blobs on SQLite) as hex, the rest as text.
pub(crate) async fn rows_as_text(app: &TestApp, table: &str) -> Vec<String> {
    let backend = app.db.get_database_backend();
    let sql = match backend {
        DatabaseBackend::Sqlite => {
            let columns = app
                .db
                .query_all_raw(Statement::from_string(
                    backend,
                    format!("SELECT name FROM pragma_table_info('{table}')"),
                ))
                .await
                .unwrap();
            let cells: Vec<String> = columns
                .iter()
                .map(|column| {
                    let name: String = column.try_get("", "name").unwrap();
                    format!(
                        "CASE WHEN typeof(\"{name}\") = 'blob' THEN hex(\"{name}\") \
                         ELSE coalesce(CAST(\"{name}\" AS TEXT), '') END"
                    )
                })
                .collect();
            format!(
                "SELECT {} AS line FROM \"{table}\"",
                cells.join(" || '|' || ")
            )
        }
        _ => format!("SELECT t::text AS line FROM \"{table}\" t"),
    };
    app.db
        .query_all_raw(Statement::from_string(backend, sql))
        .await
        .unwrap()
        .iter()
        .map(|row| row.try_get::<String>("", "line").unwrap_or_default())
        .collect()
}

async fn row_counts(app: &TestApp, tables: &[String]) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for table in tables {
        counts.insert(table.clone(), rows_as_text(app, table).await.len());
    }
    counts
}

/// How the doomed tenant can show in a row: its ID in either spelling, its name, its people.
fn marks(tenant_id: Uuid, name: &str) -> Vec<String> {
    vec![
        tenant_id.hyphenated().to_string(),
        tenant_id.simple().to_string().to_uppercase(),
        name.to_owned(),
        "doomed-user@".to_owned(),
    ]
}

/// A customer of `reseller` with a licence key in use, the master GP, and an Idempotency-Key.
async fn seeded_customer(app: &TestApp, reseller: &Reseller, name: &str) -> Value {
    let response = app
        .client
        .post(app.url("/api/v1/customers"))
        .bearer_auth(&reseller.token)
        .header("Idempotency-Key", format!("create {name}"))
        .json(&with(customer(name), "opt_in_master_gp", json!(true)))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let created: Value = response.json().await.unwrap();
    let activated = app
        .post_json(
            "/api/v1/licensing/activations",
            &reseller.token,
            &json!({ "licence_key": created["licence_key"]["key"], "device_id": format!("{name} laptop") }),
        )
        .await;
    assert!(activated.status().is_success(), "{}", activated.status());
    created
}

/// Rows in every table a tenant's users, settings and integrations can fill.
async fn seed_tenant_rows(app: &TestApp, tenant_id: Uuid) {
    let user = app
        .create_user(
            tenant_id,
            "doomed-user@doomed.test",
            Role::Admin,
            domain::ClaimSet::all(),
        )
        .await;
    let token = app.sign_in("doomed-user@doomed.test", PASSWORD).await;
    let created = app
        .post_json(
            "/api/v1/api-tokens",
            &token,
            &json!({ "name": "doomed script" }),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let group = app
        .post_json(
            "/api/v1/technician-groups",
            &token,
            &json!({ "name": "Doomed techs", "member_ids": [user.id] }),
        )
        .await;
    assert_eq!(group.status(), StatusCode::CREATED);
    let now = Utc::now();
    let db = &app.db;
    wizard_progress::ActiveModel {
        user_id: Set(user.id),
        status: Set(proto::WizardStatus::InProgress),
        step: Set(1),
        history: Set(entity::StepHistory(Vec::new())),
        updated_at: Set(now),
    }
    .insert(db)
    .await
    .unwrap();
    totp_factor::ActiveModel {
        user_id: Set(user.id),
        secret_ciphertext: Set("sealed".to_owned()),
        created_at: Set(now),
        confirmed_at: Set(Some(now)),
        last_used_step: Set(None),
    }
    .insert(db)
    .await
    .unwrap();
    // Its user source, with a consent under way.
    entity::user_source::ActiveModel {
        tenant_id: Set(tenant_id),
        source: Set("local".to_owned()),
        entra_tenant_id: Set(None),
        authorised_by: Set(None),
        authorised_at: Set(None),
        consent_state_hash: Set(Some("0".repeat(64))),
        consent_started_by: Set(Some(user.id)),
        consent_expires_at: Set(Some(now)),
        onboarding_domain: Set(None),
        jit_prefix: Set("msp-".to_owned()),
        delta_link: Set(None),
        last_sync_at: Set(None),
        last_sync_error: Set(None),
        last_sync_deactivated: Set(0),
    }
    .insert(db)
    .await
    .unwrap();
    // A job of the tenant's own, due far ahead so that no runner picks it up meanwhile.
    let job_name = format!("user_source_sync:{tenant_id}");
    job::ActiveModel {
        name: Set(job_name.clone()),
        kind: Set("user_source_sync".to_owned()),
        tenant_id: Set(Some(tenant_id)),
        interval_secs: Set(4 * 3600),
        next_run_at: Set(now + chrono::Duration::days(1)),
        lease_owner: Set(None),
        lease_expires_at: Set(None),
        attempts: Set(0),
        last_started_at: Set(None),
        last_finished_at: Set(None),
        last_outcome: Set(None),
        last_error: Set(None),
    }
    .insert(db)
    .await
    .unwrap();
    job_run::ActiveModel {
        id: Set(Uuid::new_v4()),
        job_name: Set(job_name),
        scheduled_for: Set(now),
        runner: Set("a replica".to_owned()),
        started_at: Set(now),
        finished_at: Set(Some(now)),
        outcome: Set(Some("succeeded".to_owned())),
        error: Set(None),
    }
    .insert(db)
    .await
    .unwrap();
    sub_tenant_listing::ActiveModel {
        user_id: Set(user.id),
        listed_at: Set(now),
    }
    .insert(db)
    .await
    .unwrap();
    entity::directory_offboarding::ActiveModel {
        user_id: Set(user.id),
        tenant_id: Set(tenant_id),
        reason: Set("disabled in Microsoft Entra".to_owned()),
        offboarded_at: Set(now),
        reenabled_at: Set(Some(now)),
    }
    .insert(db)
    .await
    .unwrap();
    recovery_code::ActiveModel {
        id: Set(Uuid::new_v4()),
        user_id: Set(user.id),
        code_hash: Set("hash".to_owned()),
        used_at: Set(None),
    }
    .insert(db)
    .await
    .unwrap();
    invitation::ActiveModel {
        id: Set(Uuid::new_v4()),
        user_id: Set(user.id),
        token_hash: Set(format!("invitation of {}", user.id)),
        created_by: Set(user.id),
        created_at: Set(now),
        expires_at: Set(now),
        used_at: Set(None),
    }
    .insert(db)
    .await
    .unwrap();
    group_policy::ActiveModel {
        id: Set(Uuid::new_v4()),
        tenant_id: Set(tenant_id),
        name: Set("Doomed GP".to_owned()),
        name_key: Set("doomed gp".to_owned()),
        enabled: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
    .unwrap();
    scim_token::ActiveModel {
        tenant_id: Set(tenant_id),
        token_hash: Set(format!("{:0>64}", tenant_id.simple())),
        prefix: Set("scim_doomed".to_owned()),
        created_by: Set(Some(user.id)),
        created_at: Set(now),
        last_used_at: Set(None),
    }
    .insert(db)
    .await
    .unwrap();
    provisioning_call::ActiveModel {
        id: Set(Uuid::new_v4()),
        tenant_id: Set(tenant_id),
        created_at: Set(now),
        method: Set("GET".to_owned()),
        path: Set("/scim/v2/Users".to_owned()),
        status: Set(200),
        user_id: Set(Some(user.id)),
        detail: Set(None),
    }
    .insert(db)
    .await
    .unwrap();
    security_integration::ActiveModel {
        id: Set(Uuid::new_v4()),
        tenant_id: Set(tenant_id),
        kind: Set("duo_web_sdk".to_owned()),
        name: Set("Doomed Duo".to_owned()),
        client_id: Set("DIDOOMED000000000001".to_owned()),
        client_secret_ciphertext: Set("sealed".to_owned()),
        api_hostname: Set("api-doomed00.duosecurity.com".to_owned()),
        enabled: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
    .unwrap();
}

db_test!(
    deleting_a_customer_tenant_removes_every_row_of_it_and_nothing_else,
    |app| async move {
        let keeper = reseller(&app, "Keeper Reseller").await;
        let windows_gp = put_json(
            &app,
            "/api/v1/endpoint-settings/windows-gp",
            &keeper.token,
            &json!({ "master_gp_distribution": true }),
        )
        .await;
        assert_eq!(windows_gp.status(), StatusCode::OK);
        let policy = app
            .post_json(
                "/api/v1/group-policies",
                &keeper.token,
                &json!({ "name": "Baseline", "enabled": true }),
            )
            .await;
        assert_eq!(policy.status(), StatusCode::CREATED);
        let survivor = seeded_customer(&app, &keeper, "Survivor Plumbing Ltd").await;
        let group = app
            .post_json(
                "/api/v1/technician-groups",
                &keeper.token,
                &json!({ "name": "Keeper techs", "member_ids": [keeper.admin.id] }),
            )
            .await;
        let group: Value = group.json().await.unwrap();

        let tables = schema_tables(&app).await;
        let mut undecided: Vec<&String> = tables
            .iter()
            .filter(|table| !TABLES.iter().any(|(name, _)| name == table))
            .collect();
        undecided.sort();
        assert!(
            undecided.is_empty(),
            "tables without a decision: {undecided:?}"
        );
        crate::jobs::first_housekeeping_done(&app).await;
        let before = row_counts(&app, &tables).await;

        let doomed = seeded_customer(&app, &keeper, "Doomed Dental Ltd").await;
        let doomed_id: Uuid = doomed["id"].as_str().unwrap().parse().unwrap();
        seed_tenant_rows(&app, doomed_id).await;
        // The MSP's technicians and groups allowed in: they stay, their delegation goes.
        let delegated = put_json(
            &app,
            &format!("/api/v1/customers/{doomed_id}/delegation"),
            &keeper.token,
            &json!({ "user_ids": [keeper.admin.id], "group_ids": [group["id"]] }),
        )
        .await;
        assert_eq!(delegated.status(), StatusCode::OK);
        // "Not this one" for an Azure sub-tenant: the turned-down pair goes with the customer.
        let turned_down = app
            .post_json(
                "/api/v1/msp-onboarding/azure-customers/0a15e03b-ac55-543e-af4a-1278830762ea/rejected-matches",
                &keeper.token,
                &json!({ "customer_id": doomed_id }),
            )
            .await;
        assert_eq!(turned_down.status(), StatusCode::NO_CONTENT);
        // Its Entra connection for just-in-time accounts goes with it.
        let connected = put_json(
            &app,
            &format!("/api/v1/customers/{doomed_id}/entra-connection"),
            &keeper.token,
            &json!({ "app_name": "Entra ID - Doomed Dental" }),
        )
        .await;
        assert_eq!(connected.status(), StatusCode::OK);
        // A technician of the MSP inside it: that session goes, the MSP's own session stays.
        let opened = app
            .post_json(
                &format!("/api/v1/customers/{doomed_id}/open"),
                &keeper.token,
                &json!({}),
            )
            .await;
        assert_eq!(opened.status(), StatusCode::OK);
        // A technician's just-in-time account in the customer's Entra.
        let account_id =
            crate::jit_accounts::stored_account(&app, keeper.tenant.id, doomed_id, &keeper.admin)
                .await;
        let seeded = row_counts(&app, &tables).await;
        for table in &tables {
            let holds = TABLES.iter().find(|(name, _)| name == table).unwrap().1;
            if matches!(holds, Holds::TenantData | Holds::AwaitsRemoval) {
                assert!(
                    seeded[table] > before[table],
                    "the test puts nothing of the tenant into {table}"
                );
            }
        }

        let path = format!("/api/v1/customers/{doomed_id}");
        assert_eq!(
            app.delete(&path, &keeper.token).await.status(),
            StatusCode::NO_CONTENT
        );
        assert_problem(
            app.delete(&path, &keeper.token).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
        assert_problem(
            app.get(&path, &keeper.token).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;

        let after = row_counts(&app, &tables).await;
        let keeper_id = keeper.tenant.id.hyphenated().to_string();
        let keeper_hex = keeper.tenant.id.simple().to_string().to_uppercase();
        for table in &tables {
            let lines = rows_as_text(&app, table).await;
            for line in &lines {
                // The MSP's audit log keeps the customer's creation and its deletion.
                let msp_audit = table == "audit_log"
                    && (line.contains(&keeper_id) || line.contains(&keeper_hex));
                if msp_audit {
                    continue;
                }
                for mark in marks(doomed_id, "Doomed Dental") {
                    assert!(!line.contains(&mark), "{table} still holds {mark}: {line}");
                }
            }
            let holds = TABLES.iter().find(|(name, _)| name == table).unwrap().1;
            // The MSP's account expiry job, which the deletion started, is the MSP's.
            let msp_jobs = lines
                .iter()
                .filter(|line| line.contains("jit_account_expiry"))
                .count();
            match holds {
                Holds::FtsSegments => {}
                Holds::AwaitsRemoval => {
                    assert_eq!(
                        after[table], seeded[table],
                        "rows of {table} wait for removal"
                    )
                }
                _ if table == "audit_log" => {}
                _ => assert_eq!(lines.len() - msp_jobs, before[table], "rows of {table}"),
            }
        }
        let orphan = entity::jit_account::Entity::find_by_id(account_id)
            .one(&app.db)
            .await
            .unwrap()
            .expect("the account waits for the expiry job");
        assert_eq!(orphan.customer_id, None);
        assert_eq!(orphan.state, "ending");
        let audit = crate::helpers::all_items(&app, "/api/v1/audit-log", &keeper.token).await;
        let deletion = audit
            .iter()
            .find(|entry| entry["action"] == "customer.delete")
            .expect("the MSP's audit log keeps the deletion");
        assert_eq!(deletion["target"], format!("customer:{doomed_id}"));

        let survivor_path = format!("/api/v1/customers/{}", survivor["id"].as_str().unwrap());
        let (status, kept) = app.get_json(&survivor_path, &keeper.token).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(kept["licence_key"], survivor["licence_key"]);
        let (_, found) = app
            .get_json("/api/v1/customers?q=plumbing", &keeper.token)
            .await;
        assert_eq!(found["total"], 1, "{found}");
        let (_, gone) = app
            .get_json("/api/v1/customers?q=dental", &keeper.token)
            .await;
        assert_eq!(gone["total"], 0, "{gone}");
        let created_again =
            create_customer(&app, &keeper.token, &customer("Doomed Dental Ltd")).await;
        assert_eq!(
            created_again["name"], "Doomed Dental Ltd",
            "the name is free again"
        );
    }
);

db_test!(
    only_an_admin_of_the_customers_tree_deletes_it,
    |app| async move {
        let keeper = reseller(&app, "Keeper Reseller").await;
        let other = reseller(&app, "Other Reseller").await;
        let created = create_customer(&app, &keeper.token, &customer("Tailspin Toys")).await;
        let path = format!("/api/v1/customers/{}", created["id"].as_str().unwrap());
        assert_problem(
            app.delete(&path, &other.token).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
        let technician = app
            .create_user(
                keeper.tenant.id,
                "tech@keeper-reseller.test",
                Role::Technician,
                domain::ClaimSet::all(),
            )
            .await;
        let token = app.sign_in(&technician.email, PASSWORD).await;
        assert_problem(
            app.delete(&path, &token).await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
        let (status, _) = app.get_json(&path, &keeper.token).await;
        assert_eq!(status, StatusCode::OK, "still there");
    }
);
