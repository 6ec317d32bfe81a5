//! SPEC §6 (the customers grid and its search) and §7 (create customer).

use chrono::{DateTime, Months, Utc};
use proto::{Claim, LicensingOption};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::{
    business::{
        create_customer, customer, json_of, patch_json, put_json, reseller, user_without, with,
    },
    helpers::{assert_problem, error_fields, invalid_fields},
};

db_test!(
    a_new_customer_is_corporate_with_a_year_long_licence_key,
    |app| async move {
        let reseller = reseller(&app, "Shop Reseller").await;
        let created = create_customer(&app, &reseller.token, &customer("  Contoso Ltd ")).await;
        assert_eq!(created["name"], "Contoso Ltd");
        assert_eq!(created["customer_type"], "Corporate");
        assert_eq!(created["spla"], false);
        assert_eq!(
            created["monthly_billing"], true,
            "monthly billing is on by default"
        );
        assert_eq!(
            (
                created["active_licenses"].as_u64(),
                created["total_licenses"].as_u64()
            ),
            (Some(0), Some(10))
        );
        assert_eq!(
            created["churn_score"], 60,
            "no device active, a full year left: 100 × 0.6"
        );
        let key = created["licence_key"]["key"].as_str().unwrap();
        assert!(regex_like_key(key), "{key}");
        let created_at: DateTime<Utc> = created["created_at"].as_str().unwrap().parse().unwrap();
        let expires_at: DateTime<Utc> = created["licence_key"]["expires_at"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(
            expires_at,
            created_at.checked_add_months(Months::new(12)).unwrap()
        );
        let (status, fetched) = app
            .get_json(
                &format!("/api/v1/customers/{}", created["id"].as_str().unwrap()),
                &reseller.token,
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(fetched, created);
    }
);

fn regex_like_key(key: &str) -> bool {
    let groups: Vec<&str> = key.split('-').collect();
    groups.len() == 5
        && groups.iter().all(|group| {
            group.len() == 5
                && group
                    .chars()
                    .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
        })
}

db_test!(
    each_rule_of_the_form_is_a_422_on_its_field,
    |app| async move {
        let reseller = reseller(&app, "Shop Reseller").await;
        let cases = [
            (with(customer("x"), "name", json!("")), "name"),
            (with(customer("x"), "name", json!("A/B")), "name"),
            (with(customer("x"), "name", json!("A\\B")), "name"),
            (with(customer("x"), "name", json!("A+B")), "name"),
            (with(customer("x"), "name", json!("n".repeat(101))), "name"),
            (
                with(customer("x"), "total_licenses", json!(0)),
                "total_licenses",
            ),
            (
                with(customer("x"), "total_licenses", Value::Null),
                "total_licenses",
            ),
            (with(customer("x"), "email", json!("")), "email"),
            (
                with(customer("x"), "email", json!("not-an-address")),
                "email",
            ),
            (
                with(customer("x"), "details", json!("d".repeat(2001))),
                "details",
            ),
            (
                with(
                    customer("x"),
                    "licensing_options",
                    json!(["email_security_365", "atp"]),
                ),
                "licensing_options",
            ),
            (
                with(customer("x"), "licensing_options", json!(["tac"])),
                "licensing_options",
            ),
            (
                with(
                    customer("x"),
                    "licensing_options",
                    json!(["tac_ui_m365_user_security"]),
                ),
                "licensing_options",
            ),
            (
                with(customer("x"), "opt_in_master_gp", json!(true)),
                "opt_in_master_gp",
            ),
            (
                with(customer("x"), "azure_tenant_id", json!("nope")),
                "azure_tenant_id",
            ),
        ];
        for (body, field) in cases {
            let response = app
                .post_json("/api/v1/customers", &reseller.token, &body)
                .await;
            assert_eq!(invalid_fields(response).await, vec![field], "{body}");
        }
        let (_, list) = app.get_json("/api/v1/customers", &reseller.token).await;
        assert_eq!(list["total"], 0, "nothing was created");
    }
);

db_test!(
    licensing_options_the_reseller_lacks_are_refused,
    |app| async move {
        let reseller = reseller(&app, "Shop Reseller").await;
        let mut row: entity::tenant::ActiveModel = reseller.tenant.clone().into();
        row.licensing_options = sea_orm::ActiveValue::Set(entity::LicensingOptions(vec![
            LicensingOption::DnsSecurity,
            LicensingOption::Mxdr,
            LicensingOption::Tac,
        ]));
        sea_orm::ActiveModelTrait::update(row, &app.db)
            .await
            .unwrap();
        let body = with(
            customer("Acme"),
            "licensing_options",
            json!(["dns_security", "ngav"]),
        );
        let problem = assert_problem(
            app.post_json("/api/v1/customers", &reseller.token, &body)
                .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(problem["errors"][0]["code"], "not_held_by_reseller");
        let created = create_customer(
            &app,
            &reseller.token,
            &with(customer("Acme"), "licensing_options", json!(["mxdr"])),
        )
        .await;
        assert_eq!(
            created["licensing_options"],
            json!(["mxdr", "tac"]),
            "mxdr always brings tac"
        );
    }
);

db_test!(
    customer_names_are_unique_per_reseller_ignoring_case,
    |app| async move {
        let reseller = reseller(&app, "Shop Reseller").await;
        let other = crate::business::reseller(&app, "Other Reseller").await;
        create_customer(&app, &reseller.token, &customer("Contoso Ltd")).await;
        let response = app
            .post_json(
                "/api/v1/customers",
                &reseller.token,
                &customer(" contoso LTD "),
            )
            .await;
        assert_problem(response, StatusCode::CONFLICT, "name_exists").await;
        create_customer(&app, &other.token, &customer("Contoso Ltd")).await;
    }
);

db_test!(
    an_azure_tenant_id_belongs_to_one_customer_across_all_resellers,
    |app| async move {
        let reseller = reseller(&app, "Shop Reseller").await;
        let other = crate::business::reseller(&app, "Other Reseller").await;
        let guid = "1a2b3c4d-1111-4222-8333-944455556666";
        let created = create_customer(
            &app,
            &reseller.token,
            &with(
                customer("First"),
                "azure_tenant_id",
                json!(guid.to_uppercase()),
            ),
        )
        .await;
        assert_eq!(created["azure_tenant_id"], guid);
        let response = app
            .post_json(
                "/api/v1/customers",
                &other.token,
                &with(customer("Second"), "azure_tenant_id", json!(guid)),
            )
            .await;
        assert_problem(response, StatusCode::CONFLICT, "tenant_id_exists").await;
    }
);

db_test!(
    opting_in_gives_the_new_customer_the_resellers_enabled_policies,
    |app| async move {
        let reseller = reseller(&app, "Shop Reseller").await;
        let enabled = json_of(
            app.post_json(
                "/api/v1/group-policies",
                &reseller.token,
                &json!({ "name": "On", "enabled": true }),
            )
            .await,
        )
        .await;
        app.post_json(
            "/api/v1/group-policies",
            &reseller.token,
            &json!({ "name": "Off" }),
        )
        .await;
        let body = with(customer("Opted"), "opt_in_master_gp", json!(true));
        let refused = app
            .post_json("/api/v1/customers", &reseller.token, &body)
            .await;
        assert_problem(
            refused,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        put_json(
            &app,
            "/api/v1/endpoint-settings/windows-gp",
            &reseller.token,
            &json!({ "master_gp_distribution": true }),
        )
        .await;
        let created = create_customer(&app, &reseller.token, &body).await;
        assert_eq!(created["group_policy_ids"], json!([enabled["id"]]));
        let plain = create_customer(&app, &reseller.token, &customer("Not Opted")).await;
        assert_eq!(plain["group_policy_ids"], json!([]));
    }
);

db_test!(
    a_created_customer_is_answered_exactly_as_it_reads_back,
    |app| async move {
        use domain::ClaimSet;
        use proto::Role;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};

        let reseller = reseller(&app, "Shop Reseller").await;
        // Technicians of a new customer: its reseller's active admins (two), not a deactivated
        // admin, not a technician nobody delegated.
        let tenant_id = reseller.tenant.id;
        app.create_user(tenant_id, "second@shop.test", Role::Admin, ClaimSet::all())
            .await;
        let gone = app
            .create_user(tenant_id, "gone@shop.test", Role::Admin, ClaimSet::all())
            .await;
        entity::user::Entity::update_many()
            .col_expr(entity::user::Column::Active, Expr::value(false))
            .filter(entity::user::Column::Id.eq(gone.id))
            .exec(&app.db)
            .await
            .unwrap();
        app.create_user(
            tenant_id,
            "tech@shop.test",
            Role::Technician,
            ClaimSet::all(),
        )
        .await;
        put_json(
            &app,
            "/api/v1/endpoint-settings/windows-gp",
            &reseller.token,
            &json!({ "master_gp_distribution": true }),
        )
        .await;
        for name in ["First", "Second", "Third"] {
            app.post_json(
                "/api/v1/group-policies",
                &reseller.token,
                &json!({ "name": name, "enabled": true }),
            )
            .await;
        }
        let body = json!({
            "name": "Fabrikam Dental Ltd",
            "display_name": "Fabrikam",
            "total_licenses": 25,
            "email": "it@fabrikam.example",
            "details": "Two sites",
            "spla": true,
            "monthly_billing": false,
            "licensing_options": ["mxdr", "tac"],
            "opt_in_master_gp": true,
            "azure_tenant_id": "2b3c4d5e-1111-4222-8333-944455556666",
        });
        let created = create_customer(&app, &reseller.token, &body).await;
        assert_eq!(created["technicians"], 2, "{created}");
        assert_eq!(
            created["group_policy_ids"].as_array().map(Vec::len),
            Some(3)
        );
        let (status, fetched) = app
            .get_json(
                &format!("/api/v1/customers/{}", created["id"].as_str().unwrap()),
                &reseller.token,
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(fetched, created);
    }
);

db_test!(creating_and_listing_need_their_claims, |app| async move {
    let reseller = reseller(&app, "Shop Reseller").await;
    let no_create = user_without(&app, &reseller, Claim::CreateCustomer).await;
    let no_view = user_without(&app, &reseller, Claim::ViewCustomers).await;
    assert_problem(
        app.post_json("/api/v1/customers", &no_create, &customer("X"))
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_problem(
        app.get("/api/v1/customers", &no_view).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_eq!(
        app.get("/api/v1/customers", &no_create).await.status(),
        StatusCode::OK
    );
});

db_test!(
    one_search_box_finds_customers_by_name_type_date_and_numbers,
    |app| async move {
        let reseller = reseller(&app, "Shop Reseller").await;
        create_customer(
            &app,
            &reseller.token,
            &with(customer("Contoso Ltd"), "total_licenses", json!(37)),
        )
        .await;
        create_customer(
            &app,
            &reseller.token,
            &with(customer("Fabrikam 50% Off"), "total_licenses", json!(5)),
        )
        .await;
        create_customer(
            &app,
            &reseller.token,
            &with(customer("Northwind"), "total_licenses", json!(12)),
        )
        .await;
        let today = Utc::now().format("%Y-%m-%d").to_string();
        let names = |list: &Value| -> Vec<String> {
            list["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|item| item["name"].as_str().unwrap().to_owned())
                .collect()
        };
        let search = |q: &str| {
            let path = format!("/api/v1/customers?q={}", urlencode(q));
            let token = reseller.token.clone();
            let app = &app;
            async move { app.get_json(&path, &token).await.1 }
        };
        assert_eq!(names(&search("TOSO").await), vec!["Contoso Ltd"]);
        assert_eq!(names(&search("37").await), vec!["Contoso Ltd"]);
        assert_eq!(
            names(&search("50%").await),
            vec!["Fabrikam 50% Off"],
            "% is taken literally"
        );
        assert_eq!(
            names(&search("60").await).len(),
            3,
            "every new customer has churn score 60"
        );
        assert_eq!(names(&search("0").await).len(), 3, "and 0 active licences");
        assert_eq!(names(&search(&today).await).len(), 3);
        assert_eq!(names(&search("corporate").await).len(), 3);
        assert_eq!(names(&search("1999-01-01").await).len(), 0);
        assert_eq!(names(&search("nothing-like-this").await).len(), 0);
    }
);

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                (byte as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

db_test!(
    the_customer_list_pages_in_a_stable_order_with_a_total,
    |app| async move {
        let reseller = reseller(&app, "Shop Reseller").await;
        for name in ["delta", "Alpha", "charlie", "Bravo", "echo"] {
            create_customer(&app, &reseller.token, &customer(name)).await;
        }
        let (_, first) = app
            .get_json("/api/v1/customers?per_page=2&page=1", &reseller.token)
            .await;
        let (_, third) = app
            .get_json("/api/v1/customers?per_page=2&page=3", &reseller.token)
            .await;
        assert_eq!(first["total"], 5);
        let first_names: Vec<_> = first["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|item| item["name"].clone())
            .collect();
        assert_eq!(first_names, vec![json!("Alpha"), json!("Bravo")]);
        assert_eq!(third["items"][0]["name"], "echo");
    }
);

db_test!(another_resellers_customer_is_not_found, |app| async move {
    let owner = reseller(&app, "Shop Reseller").await;
    let intruder = crate::business::reseller(&app, "Intruder Reseller").await;
    let created = create_customer(&app, &owner.token, &customer("Private Customer")).await;
    let path = format!("/api/v1/customers/{}", created["id"].as_str().unwrap());
    let problem = assert_problem(
        app.get(&path, &intruder.token).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert!(!problem.to_string().contains("Private Customer"));
    let response = patch_json(
        &app,
        &path,
        &intruder.token,
        &json!({ "total_licenses": 1 }),
    )
    .await;
    assert_problem(response, StatusCode::NOT_FOUND, "not_found").await;
    let (_, list) = app.get_json("/api/v1/customers", &intruder.token).await;
    assert_eq!(list["total"], 0);
});

db_test!(an_update_follows_the_rules_of_creation, |app| async move {
    let reseller = reseller(&app, "Shop Reseller").await;
    create_customer(&app, &reseller.token, &customer("Taken Name")).await;
    let created = create_customer(&app, &reseller.token, &customer("Mine")).await;
    let path = format!("/api/v1/customers/{}", created["id"].as_str().unwrap());
    assert_problem(
        patch_json(
            &app,
            &path,
            &reseller.token,
            &json!({ "name": "taken name" }),
        )
        .await,
        StatusCode::CONFLICT,
        "name_exists",
    )
    .await;
    let problem = assert_problem(
        patch_json(
            &app,
            &path,
            &reseller.token,
            &json!({ "total_licenses": 0, "name": "a+b" }),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), vec!["name", "total_licenses"]);
    let renamed = json_of(
        patch_json(
            &app,
            &path,
            &reseller.token,
            &json!({ "name": "Mine Renamed", "spla": true, "details": "VIP" }),
        )
        .await,
    )
    .await;
    assert_eq!(
        (
            renamed["name"].as_str(),
            renamed["spla"].as_bool(),
            renamed["details"].as_str()
        ),
        (Some("Mine Renamed"), Some(true), Some("VIP"))
    );
    let unchanged_key = renamed["licence_key"].clone();
    assert_eq!(unchanged_key, created["licence_key"]);
});

db_test!(
    a_create_writes_the_customer_its_key_and_its_audit_entry_together,
    |app| async move {
        let reseller = reseller(&app, "Shop Reseller").await;
        let created = create_customer(&app, &reseller.token, &customer("Audited")).await;
        let (_, log) = app.get_json("/api/v1/audit-log", &reseller.token).await;
        let entry = log["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|entry| entry["action"] == "customer.create")
            .cloned()
            .unwrap();
        assert_eq!(
            entry["target"],
            format!("customer:{}", created["id"].as_str().unwrap())
        );
        assert_eq!(entry["actor_user_id"], json!(reseller.admin.id));
        // A refused create leaves nothing behind: no tenant without its customer row.
        app.post_json("/api/v1/customers", &reseller.token, &customer("Audited"))
            .await;
        let (_, tenants) = app
            .get_json("/api/v1/tenants?per_page=100", &reseller.token)
            .await;
        let named: Vec<_> = tenants["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|tenant| tenant["name"] == "Audited")
            .collect();
        assert_eq!(named.len(), 1);
    }
);

db_test!(
    search_text_with_query_syntax_is_matched_literally,
    |app| async move {
        let reseller = reseller(&app, "Shop Reseller").await;
        create_customer(&app, &reseller.token, &customer(r#"Quote "Co" AND Sons"#)).await;
        create_customer(&app, &reseller.token, &customer("Plain")).await;
        for (q, expected) in [
            (r#""co""#, 1),
            (r#"quote "co" and"#, 1),
            ("AND", 1),
            ("NOT OR", 0),
            ("*", 0),
            ("^pla", 0),
            ("pla", 1),
            ("pl", 1),
            ("\\", 0),
        ] {
            let path = format!("/api/v1/customers?q={}", urlencode(q));
            let (status, list) = app.get_json(&path, &reseller.token).await;
            assert_eq!(status, StatusCode::OK, "{q}: {list}");
            assert_eq!(list["total"], expected, "{q}");
        }
    }
);

db_test!(
    a_customer_shows_its_newest_licence_key_on_its_own_and_in_the_grid,
    |app| async move {
        use sea_orm::{ActiveModelTrait, ActiveValue::Set};
        let reseller = reseller(&app, "Shop Reseller").await;
        let created = create_customer(&app, &reseller.token, &customer("Contoso Ltd")).await;
        let id: uuid::Uuid = created["id"].as_str().unwrap().parse().unwrap();
        let created_at: DateTime<Utc> = created["created_at"].as_str().unwrap().parse().unwrap();
        // A renewal's key, and an older key that must not win, written beside the first one.
        for (key, age_days) in [
            ("RENEW-2DKEY-AAAAA-BBBBB-CCCCC", -1),
            ("OLDER-1DKEY-AAAAA-BBBBB-CCCCC", 400),
        ] {
            entity::licence_key::ActiveModel {
                id: Set(uuid::Uuid::new_v4()),
                customer_id: Set(id),
                key: Set(key.to_owned()),
                created_at: Set(created_at - chrono::Duration::days(age_days)),
                expires_at: Set(created_at + chrono::Duration::days(730)),
            }
            .insert(&app.db)
            .await
            .unwrap();
        }
        let (status, fetched) = app
            .get_json(&format!("/api/v1/customers/{id}"), &reseller.token)
            .await;
        assert_eq!(status, StatusCode::OK, "{fetched}");
        assert_eq!(
            fetched["licence_key"]["key"],
            "RENEW-2DKEY-AAAAA-BBBBB-CCCCC"
        );
        let (status, page) = app.get_json("/api/v1/customers", &reseller.token).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert_eq!(page["items"][0]["licence_key"], fetched["licence_key"]);
        let (_, found) = app
            .get_json("/api/v1/customers?q=contoso", &reseller.token)
            .await;
        assert_eq!(found["items"][0]["licence_key"], fetched["licence_key"]);
    }
);
