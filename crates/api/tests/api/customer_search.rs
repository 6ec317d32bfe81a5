//! SPEC §6: the customer search finds the same customers in the same order whichever index
//! path serves it (an ordered walk for broad searches, a lookup and sort for narrow ones), and
//! its totals come from counts that stay true through creates, renames and migrations.

use migration::MigratorTrait;
use proto::TenantType;
use reqwest::StatusCode;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::{
    business::{create_customer, customer, patch_json, reseller, with},
    helpers::{PASSWORD, TestApp},
};

fn names(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|item| item["name"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// Every page of `q` at `per_page`, checked to carry the same total, concatenated.
async fn every_page(app: &TestApp, token: &str, q: &str, per_page: usize) -> (Vec<String>, u64) {
    let mut found = Vec::new();
    let mut total = None;
    for page in 1.. {
        let (status, list) = app
            .get_json(
                &format!(
                    "/api/v1/customers?q={}&per_page={per_page}&page={page}",
                    q.replace(' ', "%20")
                ),
                token,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{list}");
        let page_total = list["total"].as_u64().unwrap();
        assert_eq!(
            *total.get_or_insert(page_total),
            page_total,
            "page {page} of {q:?}"
        );
        let page_names = names(&list);
        if page_names.is_empty() {
            break;
        }
        assert!(page_names.len() <= per_page);
        found.extend(page_names);
    }
    (found, total.unwrap_or(0))
}

db_test!(
    every_page_of_a_broad_or_narrow_search_lists_the_matches_in_name_order,
    |app| async move {
        let reseller = reseller(&app, "Shop Reseller").await;
        let mut all = Vec::new();
        for index in 0..24 {
            let name = format!("Dental {index:02}");
            let licences = if index % 5 == 0 { 37 } else { 10 };
            create_customer(
                &app,
                &reseller.token,
                &with(customer(&name), "total_licenses", json!(licences)),
            )
            .await;
            all.push(name);
        }
        for index in 0..8 {
            let name = format!("Farm {index:02}");
            create_customer(&app, &reseller.token, &customer(&name)).await;
            all.push(name);
        }
        // "ana" occurs three times here, twice overlapping: the name still counts once.
        create_customer(&app, &reseller.token, &customer("Banana Bandana")).await;
        all.push("Banana Bandana".to_owned());
        all.sort_by_key(|name| name.to_lowercase());
        let expect = |keep: &dyn Fn(&str) -> bool| -> Vec<String> {
            all.iter().filter(|name| keep(name)).cloned().collect()
        };
        // Pages of 3 make the first pages walk the name index and the last ones sort the
        // matches; both must agree on the order and the total.
        let cases: [(&str, Vec<String>); 8] = [
            ("dental", expect(&|name| name.starts_with("Dental"))),
            ("FARM", expect(&|name| name.starts_with("Farm"))),
            ("tal 1", expect(&|name| name.starts_with("Dental 1"))),
            ("37", {
                let mut matches: Vec<String> = (0..24)
                    .step_by(5)
                    .map(|index| format!("Dental {index:02}"))
                    .collect();
                matches.sort();
                matches
            }),
            ("a", all.clone()),
            ("l 2", expect(&|name| name.starts_with("Dental 2"))),
            ("ANA", vec!["Banana Bandana".to_owned()]),
            ("", all.clone()),
        ];
        for (q, expected) in cases {
            let (found, total) = every_page(&app, &reseller.token, q, 3).await;
            assert_eq!(found, expected, "search {q:?}");
            assert_eq!(total, expected.len() as u64, "total of {q:?}");
        }
    }
);

/// Stores `names` as customers of `reseller` straight through the storage layer: hundreds
/// of them in the time a few API calls take.
pub async fn store_customers(app: &TestApp, reseller: &entity::tenant::Model, names: &[String]) {
    use msp_api::services::{
        customers::{CustomerRecord, insert_record},
        tenancy::{NewTenant, create_tenant},
    };
    for raw in names {
        let name = domain::TenantName::parse(raw).unwrap();
        let tenant = create_tenant(
            &app.db,
            NewTenant {
                name: name.clone(),
                tenant_type: TenantType::Corporate,
                parent_id: Some(reseller.id),
                monthly_billing: true,
                licensing_options: vec![proto::LicensingOption::DnsSecurity],
                azure_tenant_id: None,
            },
        )
        .await
        .unwrap();
        insert_record(
            &app.db,
            CustomerRecord {
                tenant_id: tenant.id,
                reseller_id: reseller.id,
                name: &name,
                tenant_name: None,
                display_name: None,
                email: "it@stored.example".to_owned(),
                details: None,
                total_licenses: 10,
                active_licenses: 0,
                spla: false,
                opt_in_master_gp: false,
                azure_tenant_id: None,
                created_at: tenant.created_at,
            },
        )
        .await
        .unwrap();
    }
}

db_test!(
    matches_gathered_at_the_end_of_the_alphabet_are_listed_whole_when_the_walk_gives_up,
    |app| async move {
        let reseller = reseller(&app, "Shop Reseller").await;
        // 100 of 600 names match "north", all after the other 500: a walk that assumes the
        // matches spread evenly expects a page of 5 within 30 entries and finds none in 500.
        let mut names: Vec<String> = (0..500)
            .map(|index| format!("Alder Farms {index:03}"))
            .collect();
        let gathered: Vec<String> = (0..100)
            .map(|index| format!("Zephyr North {index:03}"))
            .collect();
        names.extend(gathered.iter().cloned());
        store_customers(&app, &reseller.tenant, &names).await;
        assert_eq!(
            every_page(&app, &reseller.token, "north", 5).await,
            (gathered, 100)
        );
    }
);

db_test!(
    a_renamed_customer_is_found_by_its_new_name_and_no_longer_by_the_old_one,
    |app| async move {
        let reseller = reseller(&app, "Shop Reseller").await;
        let created = create_customer(&app, &reseller.token, &customer("Old Bakery")).await;
        create_customer(&app, &reseller.token, &customer("Other Garage")).await;
        let path = format!("/api/v1/customers/{}", created["id"].as_str().unwrap());
        let response = patch_json(
            &app,
            &path,
            &reseller.token,
            &json!({ "name": "New Dental" }),
        )
        .await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(
            every_page(&app, &reseller.token, "bakery", 25).await,
            (vec![], 0)
        );
        assert_eq!(
            every_page(&app, &reseller.token, "dental", 25).await,
            (vec!["New Dental".to_owned()], 1)
        );
        assert_eq!(
            every_page(&app, &reseller.token, "ba", 25).await,
            (vec![], 0)
        );
        assert_eq!(
            every_page(&app, &reseller.token, "ew", 25).await,
            (vec!["New Dental".to_owned()], 1)
        );
        assert_eq!(every_page(&app, &reseller.token, "", 25).await.1, 2);
    }
);

db_test!(
    a_renamed_customer_takes_its_new_place_in_the_order_of_every_page_of_matches,
    |app| async move {
        let reseller = reseller(&app, "Shop Reseller").await;
        let mut alpha = None;
        for name in [
            "Alpha Garage",
            "Bravo Garage",
            "Charlie Garage",
            "Delta Bakery",
            "Echo Bakery",
        ] {
            let created = create_customer(&app, &reseller.token, &customer(name)).await;
            alpha.get_or_insert(created);
        }
        let path = format!(
            "/api/v1/customers/{}",
            alpha.unwrap()["id"].as_str().unwrap()
        );
        let response = patch_json(
            &app,
            &path,
            &reseller.token,
            &json!({ "name": "Zulu Garage" }),
        )
        .await;
        assert_eq!(response.status(), StatusCode::OK);
        let expected = (
            vec![
                "Bravo Garage".to_owned(),
                "Charlie Garage".to_owned(),
                "Zulu Garage".to_owned(),
            ],
            3,
        );
        // Pages of two: the page boundary falls where the renamed customer used to sort.
        assert_eq!(
            every_page(&app, &reseller.token, "garage", 2).await,
            expected
        );
        assert_eq!(every_page(&app, &reseller.token, "ga", 2).await, expected);
    }
);

db_test!(
    a_distributor_finds_and_counts_the_customers_of_each_of_its_resellers,
    |app| async move {
        let distributor = app
            .create_tenant("Delta Distribution", TenantType::Distributor, None, true)
            .await;
        let distributor_admin = app.admin_of(&distributor).await;
        let distributor_token = app.sign_in(&distributor_admin.email, PASSWORD).await;
        let mut tokens = Vec::new();
        for name in ["North Reseller", "South Reseller"] {
            let tenant = app
                .create_tenant(name, TenantType::Reseller, Some(distributor.id), true)
                .await;
            let admin = app.admin_of(&tenant).await;
            tokens.push(app.sign_in(&admin.email, PASSWORD).await);
        }
        let outsider = reseller(&app, "Outside Reseller").await;
        for (token, prefix) in [
            (&tokens[0], "North"),
            (&tokens[1], "South"),
            (&outsider.token, "Outside"),
        ] {
            for shop in ["Dental", "Bakery"] {
                create_customer(&app, token, &customer(&format!("{prefix} {shop}"))).await;
            }
        }
        assert_eq!(
            every_page(&app, &distributor_token, "dental", 1).await,
            (
                vec!["North Dental".to_owned(), "South Dental".to_owned()],
                2
            )
        );
        assert_eq!(every_page(&app, &distributor_token, "", 3).await.1, 4);
        assert_eq!(
            every_page(&app, &distributor_token, "th", 3).await,
            (
                vec![
                    "North Bakery".to_owned(),
                    "North Dental".to_owned(),
                    "South Bakery".to_owned(),
                    "South Dental".to_owned()
                ],
                4
            )
        );
        assert_eq!(
            every_page(&app, &tokens[1], "dental", 25).await,
            (vec!["South Dental".to_owned()], 1)
        );
    }
);

db_test!(
    the_search_counts_and_indexes_are_rebuilt_when_their_migrations_are_undone_and_redone,
    |app| async move {
        let reseller = reseller(&app, "Shop Reseller").await;
        for name in ["Alpha Dental", "Bravo Dental", "Charlie Farm"] {
            create_customer(&app, &reseller.token, &customer(name)).await;
        }
        // SQLite's names in search-key order (13), the technicians' tables (12), the typed JSON
        // columns (11), the name suffixes on PostgreSQL (10) and the customer counts (9).
        // Undoing 12 drops the sessions: sign in again.
        migration::Migrator::down(&app.db, Some(5)).await.unwrap();
        migration::Migrator::up(&app.db, None).await.unwrap();
        let reseller = crate::business::Reseller {
            token: app
                .sign_in(&reseller.admin.email, crate::helpers::PASSWORD)
                .await,
            ..reseller
        };
        create_customer(&app, &reseller.token, &customer("Delta Dental")).await;
        assert_eq!(
            every_page(&app, &reseller.token, "dental", 2).await,
            (
                vec![
                    "Alpha Dental".to_owned(),
                    "Bravo Dental".to_owned(),
                    "Delta Dental".to_owned()
                ],
                3
            )
        );
        assert_eq!(every_page(&app, &reseller.token, "", 25).await.1, 4);
    }
);

#[tokio::test]
async fn postgres_plans_every_search_for_its_own_pattern() {
    crate::helpers::run_with_database(
        crate::helpers::Backend::Postgres,
        "postgres_plans_every_search_for_its_own_pattern",
        |url, _data_dir| async move {
            let db = msp_api::db::connect_and_migrate(&url).await.unwrap();
            let row = db
                .query_one_raw(sea_orm::Statement::from_string(
                    db.get_database_backend(),
                    "SHOW plan_cache_mode",
                ))
                .await
                .unwrap()
                .unwrap();
            let mode: String = row.try_get("", "plan_cache_mode").unwrap();
            assert_eq!(
                mode, "force_custom_plan",
                "a generic plan would read every name suffix of the reseller instead of one range"
            );
        },
    )
    .await;
}

db_test!(
    a_search_of_more_than_200_characters_is_refused_with_422,
    |app| async move {
        let reseller = reseller(&app, "Shop Reseller").await;
        let longest = "x".repeat(200);
        let (status, _) = app
            .get_json(&format!("/api/v1/customers?q={longest}"), &reseller.token)
            .await;
        assert_eq!(status, StatusCode::OK);
        let response = app
            .get(&format!("/api/v1/customers?q={longest}x"), &reseller.token)
            .await;
        assert_eq!(crate::helpers::invalid_fields(response).await, ["q"]);
    }
);
