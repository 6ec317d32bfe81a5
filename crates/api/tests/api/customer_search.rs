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
        // A number or a date most customers carry is walked too, its columns read on the way:
        // what it should find comes from the customers' own fields.
        let (status, listed) = app
            .get_json("/api/v1/customers?per_page=100", &reseller.token)
            .await;
        assert_eq!(status, StatusCode::OK, "{listed}");
        let carrying = |q: &str| -> Vec<String> {
            let number = |item: &Value, field: &str| item[field].as_u64() == q.parse().ok();
            let day = |item: &Value| item["created_at"].as_str().map(|at| &at[..10]) == Some(q);
            let mut found: Vec<String> = listed["items"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|item| {
                    let name = item["name"].as_str().unwrap_or_default().to_lowercase();
                    name.contains(q)
                        || ["total_licenses", "active_licenses", "churn_score"]
                            .iter()
                            .any(|field| number(item, field))
                        || day(item)
                })
                .filter_map(|item| item["name"].as_str().map(str::to_owned))
                .collect();
            found.sort_by_key(|name| name.to_lowercase());
            found
        };
        let today = listed["items"][0]["created_at"]
            .as_str()
            .map(|at| at[..10].to_owned())
            .unwrap();
        // Pages of 3 make the first pages walk the name index and the last ones sort the
        // matches; both must agree on the order and the total.
        let cases: Vec<(String, Vec<String>)> = vec![
            ("dental".into(), expect(&|name| name.starts_with("Dental"))),
            ("FARM".into(), expect(&|name| name.starts_with("Farm"))),
            ("tal 1".into(), expect(&|name| name.starts_with("Dental 1"))),
            ("10".into(), carrying("10")),
            (today.clone(), carrying(&today)),
            ("37".into(), {
                let mut matches: Vec<String> = (0..24)
                    .step_by(5)
                    .map(|index| format!("Dental {index:02}"))
                    .collect();
                matches.sort();
                matches
            }),
            ("a".into(), all.clone()),
            ("l 2".into(), expect(&|name| name.starts_with("Dental 2"))),
            ("ANA".into(), vec!["Banana Bandana".to_owned()]),
            ("".into(), all.clone()),
        ];
        assert!(carrying("10").len() > 20 && carrying(&today).len() > 20);
        for (q, expected) in cases {
            let (found, total) = every_page(&app, &reseller.token, &q, 3).await;
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
    short_parts_are_counted_once_per_name_through_creates_renames_and_deletions,
    |app| async move {
        let reseller = reseller(&app, "Shop Reseller").await;
        let mut ids = Vec::new();
        for name in ["Banana Bandana", "Anna Dental", "Zeta Farm"] {
            let created = create_customer(&app, &reseller.token, &customer(name)).await;
            ids.push(created["id"].as_str().unwrap().to_owned());
        }
        let total = |q: &'static str| {
            let (app, token) = (&app, reseller.token.clone());
            async move { every_page(app, &token, q, 25).await.1 }
        };
        // "an" is in "Banana Bandana" four times: one name.
        assert_eq!(
            (total("a").await, total("an").await, total("ana").await),
            (3, 2, 1)
        );
        let response = patch_json(
            &app,
            &format!("/api/v1/customers/{}", ids[2]),
            &reseller.token,
            &json!({ "name": "Zeta Banana" }),
        )
        .await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(
            (total("ana").await, total("far").await, total("z").await),
            (2, 0, 1)
        );
        let deleted = app
            .delete(&format!("/api/v1/customers/{}", ids[1]), &reseller.token)
            .await;
        assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
        assert_eq!(
            (total("a").await, total("an").await, total("nna").await),
            (2, 2, 0)
        );
        assert_eq!(
            every_page(&app, &reseller.token, "an", 1).await.0,
            ["Banana Bandana", "Zeta Banana"]
        );
    }
);

db_test!(
    every_one_and_two_character_part_of_a_name_finds_it_in_any_script_and_length,
    |app| async move {
        let reseller = reseller(&app, "Shop Reseller").await;
        // Even and odd lengths, so that pairs starting at every position are stored, and
        // letters of more than one byte.
        let all = ["Xy", "Abc Ltd", "Müller Bäckerei", "Ωmega Ørsted AS"];
        for name in all {
            create_customer(&app, &reseller.token, &customer(name)).await;
        }
        for name in all {
            let letters: Vec<char> = name.to_lowercase().chars().collect();
            let parts = letters
                .iter()
                .map(|letter| letter.to_string())
                .chain(letters.windows(2).map(|pair| pair.iter().collect()))
                // The search trims its text: a part with a space at an end is another search.
                .filter(|part: &String| part.trim() == part);
            for part in parts {
                let (found, total) = every_page(&app, &reseller.token, &part, 25).await;
                assert!(
                    found.iter().any(|found| found == name),
                    "{part:?} in {name:?}"
                );
                // A part of the customer type ("Corporate") matches every customer.
                let expected = all
                    .iter()
                    .filter(|other| {
                        other.to_lowercase().contains(&part) || "corporate".contains(&part)
                    })
                    .count();
                assert_eq!(total, expected as u64, "total of {part:?}");
            }
        }
        assert_eq!(every_page(&app, &reseller.token, "yx", 25).await.1, 0);
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
        // Every migration from the customer counts (9) on, undone and redone: among them the
        // name suffixes on PostgreSQL (10), SQLite's names in search-key order (13) and the
        // search's later indexes (27–29). Counted from the list, so that later migrations do not
        // push 9 out of reach. Undoing 12 drops the sessions: sign in again.
        let from_counts = migration::Migrator::migrations().len() - 8;
        migration::Migrator::down(&app.db, Some(u32::try_from(from_counts).unwrap()))
            .await
            .unwrap();
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
async fn postgres_plans_each_search_for_its_own_needle_and_caches_every_other_plan() {
    use msp_api::services::{
        customers::{CustomerSearch, search_customer_rows},
        paging::PageRequest,
    };
    use sea_orm::{EntityTrait, SqlxPostgresConnector, Statement, sqlx::postgres::PgPoolOptions};
    crate::helpers::run_db_test(
        crate::helpers::Backend::Postgres,
        "customer_search::postgres_plans_each_search_for_its_own_needle",
        crate::helpers::AppOptions::default(),
        |app| async move {
            let reseller = reseller(&app, "Shop Reseller").await;
            let names: Vec<String> = [
                "Northern Dental Ltd",
                "Ashworth Plumbing LLC",
                "Datavista Solutions Inc",
                "North Farm",
            ]
            .map(str::to_owned)
            .to_vec();
            store_customers(&app, &reseller.tenant, &names).await;
            // One connection, so that its prepared statements are the ones read below.
            let options = (*app.db.get_postgres_connection_pool().connect_options()).clone();
            let pool = PgPoolOptions::new()
                .max_connections(1)
                .connect_with(options)
                .await
                .unwrap();
            let one = SqlxPostgresConnector::from_sqlx_postgres_pool(pool);
            for q in [
                "north",
                "dental",
                "plumbing",
                "solutions",
                "farm",
                "worth",
                "vista",
                "north",
            ] {
                let search = CustomerSearch {
                    text: Some(q.to_owned()),
                    page: PageRequest { index: 0, size: 2 },
                };
                let (rows, total): (Vec<entity::customer::Model>, u64) =
                    search_customer_rows(&one, &reseller.tenant, &search)
                        .await
                        .unwrap();
                assert!(!rows.is_empty() && total > 0, "{q}");
                entity::tenant::Entity::find_by_id(reseller.tenant.id)
                    .one(&one)
                    .await
                    .unwrap()
                    .unwrap();
            }
            let backend = one.get_database_backend();
            let mode = one
                .query_one_raw(Statement::from_string(backend, "SHOW plan_cache_mode"))
                .await
                .unwrap()
                .unwrap();
            assert_eq!(
                mode.try_get::<String>("", "plan_cache_mode").unwrap(),
                "auto"
            );
            let plans = one
                .query_all_raw(Statement::from_string(
                    backend,
                    "SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements",
                ))
                .await
                .unwrap();
            let plans_of = |fragment: &str| {
                plans
                    .iter()
                    .find(|row| {
                        row.try_get::<String>("", "statement")
                            .unwrap()
                            .contains(fragment)
                    })
                    .map(|row| {
                        (
                            row.try_get::<i64>("", "generic_plans").unwrap(),
                            row.try_get::<i64>("", "custom_plans").unwrap(),
                        )
                    })
                    .unwrap_or_else(|| panic!("no statement holds {fragment}"))
            };
            assert_eq!(
                plans_of("COUNT(*) OVER ()"),
                (0, 8),
                "a search is planned for its own needle every time"
            );
            let (generic, _) = plans_of(r#"FROM "tenants" WHERE "tenants"."id" = $1"#);
            assert!(generic > 0, "a look-up by ID keeps its cached plan");
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

/// SQLite's plan for `statement`, its steps joined by `; `.
async fn query_plan(db: &sea_orm::DatabaseConnection, statement: sea_orm::Statement) -> String {
    let statement = sea_orm::Statement {
        sql: format!("EXPLAIN QUERY PLAN {}", statement.sql),
        ..statement
    };
    db.query_all_raw(statement)
        .await
        .unwrap()
        .iter()
        .map(|row| row.try_get::<String>("", "detail").unwrap())
        .collect::<Vec<_>>()
        .join("; ")
}

#[tokio::test]
async fn sqlite_finds_a_searched_date_or_number_in_its_index_without_reading_customers() {
    use sea_orm::Statement;
    crate::helpers::run_db_test(
        crate::helpers::Backend::Sqlite,
        "customer_search::sqlite_finds_a_searched_date_or_number_in_its_index",
        crate::helpers::AppOptions::default(),
        |app| async move {
            // Each reading's branch of the match union, as the search builds it: the search key
            // is the identity it returns on SQLite.
            for (column, value) in [
                ("created_date", "'2026-11-30'"),
                ("total_licenses", "37"),
                ("active_licenses", "37"),
                ("churn_score", "37"),
            ] {
                let select = Statement::from_string(
                    app.db.get_database_backend(),
                    format!(
                        "SELECT search_key FROM customers \
                         WHERE reseller_id = x'00' AND {column} = {value}"
                    ),
                );
                let plan = query_plan(&app.db, select).await;
                assert!(plan.contains("COVERING INDEX"), "{column}: {plan}");
            }
        },
    )
    .await;
}

/// The Customers page reads each listed customer's newest licence key inside its own statement:
/// from one index, in its order, with no sort per customer.
#[tokio::test]
async fn sqlite_reads_each_listed_customers_newest_licence_key_from_its_index_without_sorting() {
    use entity::customer;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
    crate::helpers::run_db_test(
        crate::helpers::Backend::Sqlite,
        "customer_search::sqlite_reads_each_listed_customers_newest_licence_key",
        crate::helpers::AppOptions::default(),
        |app| async move {
            let page = customer::Entity::find()
                .filter(customer::Column::ResellerId.eq(uuid::Uuid::nil()))
                .order_by_asc(customer::Column::NameKey)
                .order_by_asc(customer::Column::TenantId)
                .limit(50);
            let statement = msp_api::services::customers::listing(page)
                .into_statement(app.db.get_database_backend());
            let plan = query_plan(&app.db, statement).await;
            assert!(
                plan.contains("COVERING INDEX idx_licence_keys_customer_newest"),
                "{plan}"
            );
            assert!(!plan.contains("TEMP B-TREE"), "{plan}");
        },
    )
    .await;
}

/// On SQLite a page of listed customers is read as one JSON value: every field reads back as the
/// rows read one by one give it, absent values, a time SQLite wrote and a missing key included.
#[tokio::test]
async fn sqlite_reads_a_page_as_one_json_value_exactly_as_its_rows_read_one_by_one() {
    use entity::{customer, licence_key};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, sea_query::Expr};
    crate::helpers::run_db_test(
        crate::helpers::Backend::Sqlite,
        "customer_search::sqlite_reads_a_page_as_one_json_value",
        crate::helpers::AppOptions::default(),
        |app| async move {
            let reseller = reseller(&app, "Json Reseller").await;
            let quoted = with(
                customer("Zed \"Quoted\" Ltd"),
                "details",
                json!("Line one\nline two – ü, 50% off"),
            );
            let options = with(
                customer("Alpha Options"),
                "licensing_options",
                json!(["dns_security", "ngav"]),
            );
            let mut ids = Vec::new();
            for body in [quoted, options, customer("Mid Plain")] {
                let created = create_customer(&app, &reseller.token, &body).await;
                ids.push(uuid::Uuid::parse_str(created["id"].as_str().unwrap()).unwrap());
            }
            customer::Entity::update_many()
                .col_expr(customer::Column::Spla, Expr::value(true))
                .col_expr(customer::Column::OptInMasterGp, Expr::value(true))
                .col_expr(customer::Column::AzureTenantId, Expr::value("contoso-azure"))
                .filter(customer::Column::TenantId.eq(ids[1]))
                .exec(&app.db)
                .await
                .unwrap();
            licence_key::Entity::delete_many()
                .filter(licence_key::Column::CustomerId.eq(ids[2]))
                .exec(&app.db)
                .await
                .unwrap();
            app.db
                .execute_unprepared(&format!(
                    "UPDATE customers SET created_at = '2026-01-02 03:04:05' WHERE tenant_id = x'{}'",
                    ids[0].simple()
                ))
                .await
                .unwrap();
            let page = customer::Entity::find()
                .filter(customer::Column::ResellerId.eq(reseller.tenant.id))
                .order_by_asc(customer::Column::NameKey)
                .order_by_asc(customer::Column::TenantId);
            let one_by_one = msp_api::services::customers::listing(page.clone())
                .all(&app.db)
                .await
                .unwrap();
            let as_json = msp_api::services::customers::listed(&app.db, page)
                .await
                .unwrap();
            assert_eq!(one_by_one.len(), 3);
            assert_eq!(as_json, one_by_one);
            // By name: Alpha Options, Mid Plain, Zed "Quoted" Ltd.
            assert!(as_json[0].customer.spla && as_json[0].customer.opt_in_master_gp);
            assert!(as_json[0].licence_key.is_some() && as_json[1].licence_key.is_none());
            assert_eq!(
                as_json[2].customer.details.as_deref(),
                Some("Line one\nline two – ü, 50% off")
            );
            assert_eq!(
                as_json[2].customer.created_at.to_rfc3339(),
                "2026-01-02T03:04:05+00:00"
            );
        },
    )
    .await;
}

/// PostgreSQL looks for a name part of three characters or more in a narrow copy of the names
/// (migration 32): the copy holds each customer's reseller and name key through creates,
/// batches, renames and deletes, and the search finds what the copy says.
#[tokio::test]
async fn postgres_keeps_its_narrow_copy_of_the_names_through_creates_batches_renames_and_deletes() {
    crate::helpers::run_db_test(
        crate::helpers::Backend::Postgres,
        "customer_search::postgres_keeps_its_narrow_copy_of_the_names",
        crate::helpers::AppOptions::default(),
        |app| async move {
            let reseller = reseller(&app, "Shop Reseller").await;
            let mut ids = Vec::new();
            for name in ["Alpha Dental", "Bravo Dental", "Charlie Farm"] {
                let created = create_customer(&app, &reseller.token, &customer(name)).await;
                ids.push(created["id"].as_str().unwrap().to_owned());
            }
            let batch = app
                .client
                .post(app.url("/api/v1/customers/batch"))
                .bearer_auth(&reseller.token)
                .json(&json!({ "items": [customer("Delta Dental"), customer("Echo Farm")] }))
                .send()
                .await
                .unwrap();
            assert!(batch.status().is_success(), "{}", batch.status());
            let renamed = patch_json(
                &app,
                &format!("/api/v1/customers/{}", ids[0]),
                &reseller.token,
                &json!({ "name": "Alpha Veterinary" }),
            )
            .await;
            assert_eq!(renamed.status(), StatusCode::OK);
            let deleted = app
                .delete(&format!("/api/v1/customers/{}", ids[1]), &reseller.token)
                .await;
            assert!(deleted.status().is_success(), "{}", deleted.status());

            let differences = app
                .db
                .query_one_raw(sea_orm::Statement::from_string(
                    app.db.get_database_backend(),
                    "SELECT COUNT(*) AS differences FROM ( \
                       (SELECT tenant_id, reseller_id, name_key::text FROM customers \
                        EXCEPT SELECT tenant_id, reseller_id, name_key FROM customer_name_keys) \
                       UNION ALL \
                       (SELECT tenant_id, reseller_id, name_key FROM customer_name_keys \
                        EXCEPT SELECT tenant_id, reseller_id, name_key::text FROM customers)) AS d",
                ))
                .await
                .unwrap()
                .unwrap()
                .try_get::<i64>("", "differences")
                .unwrap();
            assert_eq!(differences, 0);
            let copied = crate::customer_deletion::rows_as_text(&app, "customer_name_keys").await;
            assert_eq!(copied.len(), 4, "{copied:?}");

            assert_eq!(
                every_page(&app, &reseller.token, "veterinary", 25).await,
                (vec!["Alpha Veterinary".to_owned()], 1)
            );
            assert_eq!(
                every_page(&app, &reseller.token, "dental", 1).await,
                (vec!["Delta Dental".to_owned()], 1)
            );
        },
    )
    .await;
}
