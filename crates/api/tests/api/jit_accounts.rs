//! Just-in-time admin accounts in a customer's Entra directory and its devices' LAPS passwords
//! (SPEC §16, issue 18) against the fake Entra over HTTPS, in Woodgrove Bank's directory: a
//! technician of a mapped group gets an account with its roles, asking again extends it, the
//! expiry job takes it apart in Entra's order, every refusal has its own code, nothing is left
//! half done, and a revealed LAPS password is audited and kept nowhere.

use std::time::Duration;

use entity::{jit_account, job};
use msp_fake_graph::GraphPermission;
use proto::Role;
use reqwest::StatusCode;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr,
};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::{
    business::{Reseller, create_customer, customer, put_json, reseller},
    customer_entra::{USER_ADMINISTRATOR, WOODGROVE, WOODGROVE_ADMIN, connection_of, consent},
    helpers::{Account, PASSWORD, TestApp, all_items, assert_problem},
    microsoft_sign_in::{Microsoft, run_with_microsoft},
};

const LAPTOP_PASSWORD: &str = "Tq7#mR2v!Lx9Kd4p";

/// A reseller whose customer Woodgrove Bank is connected (domain and "Level 1 techs" → User
/// Administrator), and a technician of that group with delegation to the customer.
struct Connected {
    admin: Reseller,
    customer_id: String,
    technician: String,
    technician_id: Uuid,
}

impl Connected {
    fn accounts(&self) -> String {
        format!("/api/v1/customers/{}/jit-accounts", self.customer_id)
    }
}

async fn connected(app: &TestApp, microsoft: &Microsoft, name: &str, email: &str) -> Connected {
    let admin = reseller(app, name).await;
    let created = create_customer(app, &admin.token, &customer("Woodgrove Bank")).await;
    let customer_id = created["id"].as_str().unwrap().to_owned();
    let path = connection_of(&customer_id);
    let hint = format!("&login_hint={WOODGROVE_ADMIN}");
    consent(app, microsoft, &admin.token, &path, &hint).await;
    let technician = app
        .create_user(
            admin.tenant.id,
            email,
            Role::Technician,
            domain::ClaimSet::all(),
        )
        .await;
    let group = app
        .post_json(
            "/api/v1/technician-groups",
            &admin.token,
            &json!({ "name": "Level 1 techs", "member_ids": [technician.id] }),
        )
        .await;
    assert_eq!(group.status(), StatusCode::CREATED);
    let group: Value = group.json().await.unwrap();
    let saved = put_json(
        app,
        &path,
        &admin.token,
        &json!({
            "app_name": "Entra ID - Woodgrove",
            "lifetime_hours": 2,
            "account_domain": "woodgrovebank.test",
            "role_mapping": { "mode": "per_group", "groups": [
                { "group_id": group["id"], "roles": [USER_ADMINISTRATOR] },
            ] },
        }),
    )
    .await;
    assert_eq!(saved.status(), StatusCode::OK);
    let delegated = put_json(
        app,
        &format!("/api/v1/customers/{customer_id}/delegation"),
        &admin.token,
        &json!({ "user_ids": [], "group_ids": [group["id"]] }),
    )
    .await;
    assert_eq!(delegated.status(), StatusCode::OK);
    Connected {
        admin,
        customer_id,
        technician: app.sign_in(email, PASSWORD).await,
        technician_id: technician.id,
    }
}

/// An active account of `technician` in `customer_id`'s directory, stored as a request would
/// have stored it, for tests that need one without Entra.
pub(crate) async fn stored_account(
    app: &TestApp,
    reseller_id: Uuid,
    customer_id: Uuid,
    technician: &Account,
) -> Uuid {
    let id = Uuid::new_v4();
    let now = chrono::Utc::now();
    jit_account::ActiveModel {
        id: Set(id),
        reseller_id: Set(reseller_id),
        customer_id: Set(Some(customer_id)),
        technician_id: Set(technician.id),
        technician_email: Set(technician.email.clone()),
        entra_tenant_id: Set(WOODGROVE.to_owned()),
        user_principal_name: Set(format!("msp-probe-{}@woodgrovebank.test", id.simple())),
        object_id: Set(Some(Uuid::new_v4().to_string())),
        roles: Set("[]".to_owned()),
        state: Set("active".to_owned()),
        created_at: Set(now),
        expires_at: Set(now + chrono::Duration::hours(4)),
        ended_by: Set(None),
        teardown_step: Set(None),
        last_error: Set(None),
        last_attempt_at: Set(None),
    }
    .insert(&app.db)
    .await
    .unwrap();
    id
}

/// Makes the MSP's expiry job due now, as if its time had come.
async fn expiry_due_now(app: &TestApp, reseller_id: Uuid) {
    job::Entity::update_many()
        .col_expr(job::Column::NextRunAt, Expr::value(chrono::Utc::now()))
        .filter(job::Column::Name.eq(format!("jit_account_expiry:{reseller_id}")))
        .exec(&app.db)
        .await
        .unwrap();
}

/// Waits (bounded) until the customer lists no account any more.
async fn until_no_account(app: &TestApp, path: &str, token: &str) {
    for _ in 0..200 {
        let (_, access) = app.get_json(path, token).await;
        if access["accounts"].as_array().is_some_and(Vec::is_empty) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the account was not removed in 20 s");
}

/// A request while the app lacks `permission` is refused with its own code, naming it.
async fn refused_without(
    app: &TestApp,
    microsoft: &Microsoft,
    setup: &Connected,
    permission: GraphPermission,
    name: &str,
) {
    let faults = microsoft.fake.faults();
    faults.deny_graph_permission(permission, true);
    let refused = app
        .post_json(&setup.accounts(), &setup.technician, &json!({}))
        .await;
    let problem = assert_problem(
        refused,
        StatusCode::UNPROCESSABLE_ENTITY,
        "entra_permission_missing",
    )
    .await;
    faults.deny_graph_permission(permission, false);
    assert!(
        problem["detail"].as_str().unwrap().contains(name),
        "{problem}"
    );
}

async fn every_row_holds(app: &TestApp, secret: &str) -> Vec<String> {
    let mut found = Vec::new();
    for table in crate::customer_deletion::schema_tables(app).await {
        for line in crate::customer_deletion::rows_as_text(app, &table).await {
            if line.contains(secret) {
                found.push(format!("{table}: {line}"));
            }
        }
    }
    found
}

microsoft_test!(
    a_technician_of_a_mapped_group_gets_an_account_that_expires_in_entras_order,
    |app, microsoft| async move {
        let setup = connected(
            &app,
            &microsoft,
            "Jit Reseller",
            "sam.rivera@jit-reseller.test",
        )
        .await;
        let (status, access) = app.get_json(&setup.accounts(), &setup.technician).await;
        assert_eq!(status, StatusCode::OK, "{access}");
        assert_eq!(access["app_name"], "Entra ID - Woodgrove");
        assert_eq!(access["ready"], true, "{access}");

        let granted = app
            .post_json(&setup.accounts(), &setup.technician, &json!({}))
            .await;
        assert_eq!(granted.status(), StatusCode::CREATED);
        assert_eq!(granted.headers()["cache-control"], "no-store");
        let granted: Value = granted.json().await.unwrap();
        let upn = "msp-sam.rivera@woodgrovebank.test";
        assert_eq!(granted["account"]["user_principal_name"], upn);
        assert_eq!(
            granted["account"]["roles"][0]["display_name"],
            "User Administrator"
        );
        assert_eq!(granted["extended"], false);
        let password = granted["password"].as_str().unwrap().to_owned();
        assert!(password.len() >= 16, "a strong password");
        let entra = microsoft.fake.entra();
        let made = entra.account(upn).expect("the account exists in Entra");
        assert!(made.account_enabled);
        assert_eq!(entra.roles_of(&made.object_id), [USER_ADMINISTRATOR]);
        let first_expiry = granted["account"]["expires_at"]
            .as_str()
            .unwrap()
            .to_owned();

        // Asking again extends it; no new password, no second account.
        let again = app
            .post_json(&setup.accounts(), &setup.technician, &json!({}))
            .await;
        assert_eq!(again.status(), StatusCode::OK);
        let again: Value = again.json().await.unwrap();
        assert_eq!(again["extended"], true);
        assert_eq!(again["password"], Value::Null);
        assert!(again["account"]["expires_at"].as_str().unwrap() >= first_expiry.as_str());
        let (_, mine) = app
            .get_json("/api/v1/me/jit-accounts", &setup.technician)
            .await;
        assert_eq!(mine["total"], 1, "{mine}");
        // Named by its customer, for a home page that lists every customer's accounts.
        assert_eq!(
            mine["items"][0]["customer_name"], "Woodgrove Bank",
            "{mine}"
        );

        // The password is in no row of the database and no audit entry.
        assert_eq!(every_row_holds(&app, &password).await, Vec::<String>::new());

        // Its time is up: the expiry job disables it, revokes its sessions, removes its roles
        // and deletes it, in that order.
        let calls_before = entra.calls().len();
        jit_account::Entity::update_many()
            .col_expr(
                jit_account::Column::ExpiresAt,
                Expr::value(chrono::Utc::now()),
            )
            .exec(&app.db)
            .await
            .unwrap();
        expiry_due_now(&app, setup.admin.tenant.id).await;
        until_no_account(&app, &setup.accounts(), &setup.technician).await;
        assert!(entra.account(upn).is_none(), "deleted in Entra");
        let oid = &made.object_id;
        let lines: Vec<String> = entra.calls()[calls_before..]
            .iter()
            .map(|call| call.request_line().replace(oid.as_str(), "{user}"))
            .filter(|line| !line.starts_with("GET /v1.0/users/{user}"))
            .collect();
        assert_eq!(lines.len(), 5, "{lines:?}");
        assert_eq!(lines[0], "PATCH /v1.0/users/{user}");
        assert_eq!(lines[1], "POST /v1.0/users/{user}/revokeSignInSessions");
        assert_eq!(
            lines[2],
            "GET /v1.0/roleManagement/directory/roleAssignments"
        );
        assert!(
            lines[3].starts_with("DELETE /v1.0/roleManagement/directory/roleAssignments/"),
            "{lines:?}"
        );
        assert_eq!(lines[4], "DELETE /v1.0/users/{user}");
        assert_eq!(entra.revoked_sessions(), std::slice::from_ref(oid));

        let audit = all_items(&app, "/api/v1/audit-log", &setup.admin.token).await;
        for action in [
            "jit_account.create",
            "jit_account.extend",
            "jit_account.expire",
        ] {
            assert!(
                audit.iter().any(|entry| entry["action"] == action),
                "{action} in the MSP's log"
            );
        }
        let expired = audit
            .iter()
            .find(|entry| entry["action"] == "jit_account.expire")
            .unwrap();
        assert_eq!(expired["details"]["reason"], "expired");
    }
);

microsoft_test!(
    requests_are_refused_with_their_reason_and_nothing_is_left_half_done,
    |app, microsoft| async move {
        let setup = connected(
            &app,
            &microsoft,
            "Strict Reseller",
            "alex.kim@strict-reseller.test",
        )
        .await;
        let entra = microsoft.fake.entra();

        // A technician of the MSP in no mapped group, delegated directly.
        let loner = app
            .create_user(
                setup.admin.tenant.id,
                "lee.ward@strict-reseller.test",
                Role::Technician,
                domain::ClaimSet::all(),
            )
            .await;
        let loner_token = app.sign_in("lee.ward@strict-reseller.test", PASSWORD).await;
        let refused = app
            .post_json(&setup.accounts(), &loner_token, &json!({}))
            .await;
        // Without delegation the customer does not exist for them.
        assert_problem(refused, StatusCode::NOT_FOUND, "not_found").await;
        let (_, delegation) = app
            .get_json(
                &format!("/api/v1/customers/{}/delegation", setup.customer_id),
                &setup.admin.token,
            )
            .await;
        let delegated = put_json(
            &app,
            &format!("/api/v1/customers/{}/delegation", setup.customer_id),
            &setup.admin.token,
            &json!({ "user_ids": [loner.id], "group_ids": delegation["group_ids"] }),
        )
        .await;
        assert_eq!(delegated.status(), StatusCode::OK);
        let refused = app
            .post_json(&setup.accounts(), &loner_token, &json!({}))
            .await;
        assert_problem(
            refused,
            StatusCode::UNPROCESSABLE_ENTITY,
            "not_in_mapped_group",
        )
        .await;

        // The app lost User.ReadWrite.All: its own message, and no row or account left.
        refused_without(
            &app,
            &microsoft,
            &setup,
            GraphPermission::UserReadWriteAll,
            "User.ReadWrite.All",
        )
        .await;
        let rows = jit_account::Entity::find().all(&app.db).await.unwrap();
        assert!(rows.is_empty(), "{rows:?}");

        // The roles cannot be assigned: the account just made is deleted again.
        refused_without(
            &app,
            &microsoft,
            &setup,
            GraphPermission::RoleManagementReadWriteDirectory,
            "RoleManagement.ReadWrite.Directory",
        )
        .await;
        assert!(entra.account("msp-alex.kim@woodgrovebank.test").is_none());
        assert!(
            jit_account::Entity::find()
                .all(&app.db)
                .await
                .unwrap()
                .is_empty()
        );

        // Entra made the account but its answer was lost: the technician is told, and the
        // expiry job removes the account the product cannot vouch for.
        microsoft.fake.faults().drop_next_create_answer();
        let lost = app
            .post_json(&setup.accounts(), &setup.technician, &json!({}))
            .await;
        assert_problem(lost, StatusCode::BAD_GATEWAY, "entra_answer_lost").await;
        until_no_account(&app, &setup.accounts(), &setup.technician).await;
        assert!(entra.account("msp-alex.kim@woodgrovebank.test").is_none());

        // A name someone else holds is never taken over.
        let granted = app
            .post_json(&setup.accounts(), &setup.technician, &json!({}))
            .await;
        assert_eq!(granted.status(), StatusCode::CREATED);
        jit_account::Entity::delete_many()
            .exec(&app.db)
            .await
            .unwrap();
        let taken = app
            .post_json(&setup.accounts(), &setup.technician, &json!({}))
            .await;
        assert_problem(taken, StatusCode::CONFLICT, "user_name_taken").await;
        assert!(
            entra
                .account("msp-alex.kim@woodgrovebank.test")
                .is_some_and(|account| account.account_enabled),
            "the other account is left alone"
        );
    }
);

microsoft_test!(
    an_admin_ends_an_account_early_and_a_deleted_customers_accounts_are_removed,
    |app, microsoft| async move {
        let setup = connected(
            &app,
            &microsoft,
            "Ending Reseller",
            "kim.lee@ending-reseller.test",
        )
        .await;
        let entra = microsoft.fake.entra();
        let granted = app
            .post_json(&setup.accounts(), &setup.technician, &json!({}))
            .await;
        assert_eq!(granted.status(), StatusCode::CREATED);
        let granted: Value = granted.json().await.unwrap();
        let account_path = format!(
            "{}/{}",
            setup.accounts(),
            granted["account"]["id"].as_str().unwrap()
        );
        // Another MSP's admin cannot see it.
        let stranger = reseller(&app, "Stranger Reseller").await;
        assert_problem(
            app.delete(&account_path, &stranger.token).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
        // The customer's admin withdrew the app's right to change users: the removal fails,
        // the page shows why, and the job keeps trying.
        microsoft
            .fake
            .faults()
            .deny_graph_permission(GraphPermission::UserReadWriteAll, true);
        let ended = app.delete(&account_path, &setup.admin.token).await;
        assert_eq!(ended.status(), StatusCode::OK);
        let ended: Value = ended.json().await.unwrap();
        assert_eq!(ended["state"], "ending");
        let mut shown = Value::Null;
        for _ in 0..200 {
            let (_, access) = app.get_json(&setup.accounts(), &setup.admin.token).await;
            shown = access["accounts"][0]["last_error"].clone();
            if !shown.is_null() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(
            shown
                .as_str()
                .is_some_and(|error| error.contains("User.ReadWrite.All")),
            "{shown}"
        );
        let mut expiry = Value::Null;
        for _ in 0..200 {
            let (_, jobs) = app.get_json("/api/v1/jobs", &setup.admin.token).await;
            expiry = jobs["items"]
                .as_array()
                .unwrap()
                .iter()
                .find(|job| job["kind"] == "jit_account_expiry")
                .cloned()
                .unwrap_or_default();
            if expiry["last_outcome"] == "failed" {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(expiry["last_outcome"], "failed", "{expiry}");
        assert!(entra.account("msp-kim.lee@woodgrovebank.test").is_some());
        microsoft
            .fake
            .faults()
            .deny_graph_permission(GraphPermission::UserReadWriteAll, false);
        expiry_due_now(&app, setup.admin.tenant.id).await;
        until_no_account(&app, &setup.accounts(), &setup.admin.token).await;
        assert!(entra.account("msp-kim.lee@woodgrovebank.test").is_none());
        let audit = all_items(&app, "/api/v1/audit-log", &setup.admin.token).await;
        assert!(
            audit
                .iter()
                .any(|entry| entry["action"] == "jit_account.end")
        );
        assert!(audit.iter().any(|entry| {
            entry["action"] == "jit_account.expire" && entry["details"]["reason"] == "ended"
        }));

        // A new account, then the customer is deleted: the account still goes from Entra.
        let granted = app
            .post_json(&setup.accounts(), &setup.technician, &json!({}))
            .await;
        assert_eq!(granted.status(), StatusCode::CREATED);
        assert!(entra.account("msp-kim.lee@woodgrovebank.test").is_some());
        let deleted = app
            .delete(
                &format!("/api/v1/customers/{}", setup.customer_id),
                &setup.admin.token,
            )
            .await;
        assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
        for _ in 0..200 {
            if jit_account::Entity::find()
                .all(&app.db)
                .await
                .unwrap()
                .is_empty()
            {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(entra.account("msp-kim.lee@woodgrovebank.test").is_none());
        let audit = all_items(&app, "/api/v1/audit-log", &setup.admin.token).await;
        assert!(audit.iter().any(|entry| {
            entry["action"] == "jit_account.expire"
                && entry["details"]["reason"] == "customer_deleted"
        }));
    }
);

microsoft_test!(
    a_laps_password_is_audited_and_kept_nowhere_and_a_deactivated_technician_keeps_no_account,
    |app, microsoft| async move {
        let entra = microsoft.fake.entra();
        let setup = connected(
            &app,
            &microsoft,
            "Laps Reseller",
            "jo.park@laps-reseller.test",
        )
        .await;
        let devices = format!("/api/v1/customers/{}/laps-devices", setup.customer_id);
        let (status, listed) = app.get_json(&devices, &setup.technician).await;
        assert_eq!(status, StatusCode::OK, "{listed}");
        let laptop = listed["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|device| device["device_name"] == "WGB-LT-0142")
            .expect("the laptop is listed")
            .clone();
        assert!(laptop.get("password").is_none());
        let reveal = format!("{devices}/{}/reveal", laptop["device_id"].as_str().unwrap());
        let revealed = app.post_json(&reveal, &setup.technician, &json!({})).await;
        assert_eq!(revealed.status(), StatusCode::OK);
        assert_eq!(revealed.headers()["cache-control"], "no-store");
        let revealed: Value = revealed.json().await.unwrap();
        assert_eq!(revealed["password"], LAPTOP_PASSWORD);

        let audit = all_items(&app, "/api/v1/audit-log", &setup.admin.token).await;
        let entry = audit
            .iter()
            .find(|entry| entry["action"] == "laps.reveal")
            .expect("the reveal is audited in the MSP's log");
        assert_eq!(entry["details"]["device_name"], "WGB-LT-0142");
        assert!(!entry.to_string().contains(LAPTOP_PASSWORD));
        assert_eq!(
            every_row_holds(&app, LAPTOP_PASSWORD).await,
            Vec::<String>::new()
        );

        let unknown = format!("{devices}/no-such-device/reveal");
        assert_problem(
            app.post_json(&unknown, &setup.technician, &json!({})).await,
            StatusCode::NOT_FOUND,
            "device_not_found",
        )
        .await;
        // Someone of the MSP without delegation does not see the customer.
        let outsider = app
            .create_user(
                setup.admin.tenant.id,
                "no.access@laps-reseller.test",
                Role::Technician,
                domain::ClaimSet::all(),
            )
            .await;
        let _ = outsider;
        let token = app.sign_in("no.access@laps-reseller.test", PASSWORD).await;
        assert_problem(
            app.post_json(&reveal, &token, &json!({})).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;

        // A technician who is deactivated keeps no admin account in the customer's directory.
        let granted = app
            .post_json(&setup.accounts(), &setup.technician, &json!({}))
            .await;
        assert_eq!(granted.status(), StatusCode::CREATED);
        assert!(entra.account("msp-jo.park@woodgrovebank.test").is_some());
        let deactivated = crate::business::patch_json(
            &app,
            &format!("/api/v1/users/{}", setup.technician_id),
            &setup.admin.token,
            &json!({ "active": false }),
        )
        .await;
        assert_eq!(deactivated.status(), StatusCode::OK);
        until_no_account(&app, &setup.accounts(), &setup.admin.token).await;
        assert!(entra.account("msp-jo.park@woodgrovebank.test").is_none());
    }
);

microsoft_test!(
    throttling_is_waited_out_and_graphs_outages_have_their_own_codes,
    |app, microsoft| async move {
        let setup = connected(
            &app,
            &microsoft,
            "Patient Reseller",
            "ria.shah@patient-reseller.test",
        )
        .await;
        let faults = microsoft.fake.faults();
        let devices = format!("/api/v1/customers/{}/laps-devices", setup.customer_id);
        // One 429 with `Retry-After: 1` is waited out: the account is made.
        faults.throttle_next(1, Some(1));
        let granted = app
            .post_json(&setup.accounts(), &setup.technician, &json!({}))
            .await;
        assert_eq!(granted.status(), StatusCode::CREATED);
        // Throttled past the client's patience: its own code, nothing half done.
        faults.throttle_next(1000, Some(1));
        assert_problem(
            app.get(&devices, &setup.technician).await,
            StatusCode::SERVICE_UNAVAILABLE,
            "graph_throttled",
        )
        .await;
        faults.throttle_next(0, None);
        // Graph unreachable: every answer cut.
        faults.drop_next(1000);
        assert_problem(
            app.get(&devices, &setup.technician).await,
            StatusCode::BAD_GATEWAY,
            "graph_unreachable",
        )
        .await;
        faults.drop_next(0);
        let (status, _) = app.get_json(&devices, &setup.technician).await;
        assert_eq!(status, StatusCode::OK);
    }
);
