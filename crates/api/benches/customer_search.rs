//! Customer search at 100 000 customers, on SQLite and PostgreSQL (SPEC §6, issue 3).
//!
//! `cargo bench -p msp-api --bench customer_search` seeds one reseller with 100 000 customers
//! named like a real customer list (`support/names.rs`), starts the real server binary, and
//! prints, per database: the database's size (PostgreSQL: per table); single-client search
//! latency (p50/p99) for everyday name parts, a date and a number, a page of 50 (the Customers
//! page's query), and of the home page's Your customers tiles; requests/s with 32 concurrent clients next to
//! the server's own `/healthz` requests/s in the same run (the ratio travels between machines);
//! create-customer throughput; and the server's peak memory. Loopback only, bounded in time.
//! `BENCH_CUSTOMERS` changes the count; `BENCH_SKIP_SQLITE=1` or `BENCH_SKIP_POSTGRES=1` skips a
//! database; `BENCH_KEEP_POSTGRES=1` keeps its database for `EXPLAIN` and prints its URL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::time::{Duration, Instant};

use chrono::{Duration as Days, Utc};
use domain::{ChurnScore, ClaimSet, Email, LicenceKey, NewPassword, TenantName};
use entity::{customer, licence_key, tenant};
use msp_api::{
    services::tenancy::{self, NewTenant},
    users::{self, NewUser},
};
use proto::{LicensingOption, Role, TenantType};
use sea_orm::{ActiveValue::Set, ConnectionTrait, DatabaseConnection, EntityTrait};
use serde_json::{Value, json};
use uuid::Uuid;

use self::support::{ServerProcess, on_both_databases, percentile_ms};

const PASSWORD: &str = "bench-password-1";
const SECRET: &str = "benchmark-only-signing-secret-0123456789abcdef";
const CONCURRENT_CLIENTS: usize = 32;
/// The page the customer grid asks for.
const PAGE_SIZE: usize = 50;
const LOAD_SECONDS: u64 = 5;

fn customer_count() -> usize {
    std::env::var("BENCH_CUSTOMERS")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(100_000)
}

async fn seed(db: &DatabaseConnection, count: usize) -> (Uuid, String) {
    let reseller = tenancy::create_tenant(
        db,
        NewTenant {
            name: TenantName::parse("Bench Reseller").unwrap(),
            tenant_type: TenantType::Reseller,
            parent_id: None,
            monthly_billing: true,
            licensing_options: LicensingOption::ALL.to_vec(),
            azure_tenant_id: None,
        },
    )
    .await
    .unwrap();
    let email = "admin@bench.test".to_owned();
    users::create_user(
        db,
        NewUser {
            tenant_id: reseller.id,
            email: Email::parse(&email).unwrap(),
            password: NewPassword::parse(PASSWORD).unwrap(),
            role: Role::Admin,
            claims: ClaimSet::all(),
        },
    )
    .await
    .unwrap();
    let now = Utc::now();
    let started = Instant::now();
    let names = support::names::unique_names(2026, count);
    println!("  names: {}", support::names::describe(&names));
    // Each customer's tenant name, numbered where two names make the same one (as on creation).
    let mut tenant_names = std::collections::HashSet::new();
    for batch_start in (0..count).step_by(1000) {
        let batch = batch_start..(batch_start + 1000).min(count);
        let mut tenants = Vec::new();
        let mut customers = Vec::new();
        let mut keys = Vec::new();
        for index in batch {
            let id = Uuid::new_v4();
            let name = names[index].clone();
            let created_at =
                now - Days::days((index % 730) as i64) - Days::minutes((index % 1440) as i64);
            let expires_at = LicenceKey::expiry_for(created_at);
            let total = 1 + (index % 500) as u32;
            let active = (index * 7 % (total as usize + 1)) as u32;
            tenants.push(tenant::ActiveModel {
                id: Set(id),
                parent_id: Set(Some(reseller.id)),
                path: Set(format!("{}{id}/", reseller.path)),
                tenant_type: Set(TenantType::Corporate),
                name: Set(name.clone()),
                monthly_billing: Set(true),
                licensing_options: Set(entity::LicensingOptions(vec![
                    LicensingOption::DnsSecurity,
                ])),
                azure_tenant_id: Set(None),
                master_gp_distribution: Set(false),
                show_new_sub_tenants: Set(false),
                created_at: Set(created_at),
            });
            let derived = domain::CustomerTenantName::derive(&name);
            let mut tenant_name = derived.clone();
            let mut n = 2;
            while !tenant_names.insert(tenant_name.as_str().to_owned()) {
                tenant_name = derived.with_suffix(n);
                n += 1;
            }
            customers.push(customer::ActiveModel {
                tenant_id: Set(id),
                reseller_id: Set(reseller.id),
                tenant_name: Set(tenant_name.as_str().to_owned()),
                display_name: Set(name.clone()),
                name_key: Set(name.to_lowercase()),
                name: Set(name),
                customer_type: Set(entity::customer::CustomerType::Corporate),
                email: Set(format!("it{index}@bench.example")),
                details: Set(None),
                total_licenses: Set(total as i32),
                active_licenses: Set(active as i32),
                spla: Set(false),
                opt_in_master_gp: Set(false),
                churn_score: Set(i16::from(
                    ChurnScore::compute(active, total, expires_at, now).value(),
                )),
                azure_tenant_id: Set(None),
                azure_name: Set(None),
                created_at: Set(created_at),
                created_date: Set(created_at.format("%Y-%m-%d").to_string()),
            });
            keys.push(licence_key::ActiveModel {
                id: Set(Uuid::new_v4()),
                customer_id: Set(id),
                key: Set(LicenceKey::from_random_bytes(*Uuid::new_v4().as_bytes())
                    .as_str()
                    .to_owned()),
                created_at: Set(created_at),
                expires_at: Set(expires_at),
            });
        }
        tenant::Entity::insert_many(tenants).exec(db).await.unwrap();
        customer::Entity::insert_many(customers)
            .exec(db)
            .await
            .unwrap();
        licence_key::Entity::insert_many(keys)
            .exec(db)
            .await
            .unwrap();
    }
    println!(
        "  seeded {count} customers in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    (reseller.id, email)
}

/// The database's size on disk; on PostgreSQL, the largest tables with their indexes.
async fn report_sizes(db: &DatabaseConnection, database_url: &str) {
    use sea_orm::Statement;
    let mib = |bytes: i64| bytes as f64 / (1024.0 * 1024.0);
    if db.get_database_backend() != sea_orm::DatabaseBackend::Postgres {
        let file = database_url
            .trim_start_matches("sqlite://")
            .split('?')
            .next()
            .unwrap_or_default();
        let bytes = std::fs::metadata(file).map_or(0, |meta| meta.len() as i64)
            + std::fs::metadata(format!("{file}-wal")).map_or(0, |meta| meta.len() as i64);
        println!("  database file: {:.0} MiB", mib(bytes));
        return;
    }
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT relname::text AS name, pg_total_relation_size(relid) AS bytes \
             FROM pg_statio_user_tables ORDER BY bytes DESC LIMIT 8",
        ))
        .await
        .unwrap();
    let total = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT pg_database_size(current_database()) AS bytes",
        ))
        .await
        .unwrap()
        .unwrap();
    println!(
        "  database size: {:.0} MiB; largest tables with their indexes:",
        mib(total.try_get::<i64>("", "bytes").unwrap())
    );
    for row in rows {
        let name: String = row.try_get("", "name").unwrap();
        println!(
            "    {name:<28} {:>7.1} MiB",
            mib(row.try_get::<i64>("", "bytes").unwrap())
        );
    }
}

/// Warms `url` up, then prints its single-client latency and how many customers it matches.
async fn report_latency(client: &reqwest::Client, what: &str, url: &str, token: &str) {
    let _ = latency(client, url, token, 20).await;
    let (p50, p99, total) = latency(client, url, token, 200).await;
    println!("    {what:<28} {p50:>7.2} / {p99:>7.2}   ({total} matches)");
}

async fn latency(
    client: &reqwest::Client,
    url: &str,
    token: &str,
    rounds: usize,
) -> (f64, f64, u64) {
    let mut samples = Vec::with_capacity(rounds);
    let mut total = 0;
    for _ in 0..rounds {
        let started = Instant::now();
        let response = client.get(url).bearer_auth(token).send().await.unwrap();
        assert!(
            response.status().is_success(),
            "{url}: {}",
            response.status()
        );
        let body: Value = response.json().await.unwrap();
        samples.push(started.elapsed());
        total = body["total"].as_u64().unwrap_or(0);
    }
    samples.sort();
    (
        percentile_ms(&samples, 0.5),
        percentile_ms(&samples, 0.99),
        total,
    )
}

/// Requests per second with `CONCURRENT_CLIENTS` clients cycling through `urls` for a while.
async fn throughput(client: &reqwest::Client, urls: Vec<String>, token: &str) -> (f64, u64) {
    let deadline = Instant::now() + Duration::from_secs(LOAD_SECONDS);
    let mut workers = tokio::task::JoinSet::new();
    for worker in 0..CONCURRENT_CLIENTS {
        let (client, urls, token) = (client.clone(), urls.clone(), token.to_owned());
        workers.spawn(async move {
            let (mut done, mut errors) = (0u64, 0u64);
            let mut index = worker;
            while Instant::now() < deadline {
                let url = &urls[index % urls.len()];
                index += 1;
                match client.get(url).bearer_auth(&token).send().await {
                    Ok(response) if response.status().is_success() => {
                        let _ = response.bytes().await;
                        done += 1;
                    }
                    _ => errors += 1,
                }
            }
            (done, errors)
        });
    }
    let (done, errors) = workers
        .join_all()
        .await
        .into_iter()
        .fold((0, 0), |(d, e), (wd, we)| (d + wd, e + we));
    (done as f64 / LOAD_SECONDS as f64, errors)
}

async fn run(label: &str, database_url: &str) {
    println!("\n== {label}");
    let count = customer_count();
    let data_dir = tempfile::tempdir().unwrap();
    let db = msp_api::db::connect_and_migrate(database_url)
        .await
        .unwrap();
    let (_, email) = seed(&db, count).await;
    // A long-running database has been vacuumed and analysed by autovacuum; a freshly seeded one
    // has not, and would measure heap visits that production does not pay.
    if db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        db.execute_unprepared("VACUUM ANALYZE").await.unwrap();
    }
    report_sizes(&db, database_url).await;
    let sqlite = db.get_database_backend() == sea_orm::DatabaseBackend::Sqlite;
    db.close().await.unwrap();
    // On SQLite the same database is served twice in one run: every read on the one writer
    // connection (as before the read connections existed), then with the default readers.
    let rounds: &[Option<&str>] = if sqlite { &[Some("0"), None] } else { &[None] };
    for (round, readers) in rounds.iter().enumerate() {
        if let Some(count) = readers {
            println!("  -- APP_SQLITE_READERS={count}");
        } else if sqlite {
            println!("  -- default read connections");
        }
        measure(
            database_url,
            data_dir.path(),
            &email,
            *readers,
            round + 1 == rounds.len(),
        )
        .await;
    }
}

/// Starts the server on the seeded database and prints its figures; `creates` adds the create
/// throughput, which changes the data.
async fn measure(
    database_url: &str,
    data_dir: &std::path::Path,
    email: &str,
    readers: Option<&str>,
    creates: bool,
) {
    let server = ServerProcess::serve(|command| {
        command
            .args(["--database-url", database_url])
            .arg("--data-dir")
            .arg(data_dir)
            .env("APP_JWT_SECRET", SECRET)
            .env("APP_LOG", "warn");
        if let Some(readers) = readers {
            command.env("APP_SQLITE_READERS", readers);
        }
    })
    .await;
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(64)
        .build()
        .unwrap();
    let token = server.sign_in(&client, email, PASSWORD).await;
    export(&server, &client, &token).await;
    let date = (Utc::now() - Days::days(100))
        .format("%Y-%m-%d")
        .to_string();
    let searches = [
        ("name part \"tech\"", "tech".to_owned()),
        ("name part \"ter\"", "ter".to_owned()),
        ("name part \"sol\"", "sol".to_owned()),
        ("name part \"north\"", "north".to_owned()),
        ("name part \"worth\"", "worth".to_owned()),
        ("name part \"hu\"", "hu".to_owned()),
        ("name part \"müller\"", "m%C3%BCller".to_owned()),
        ("date", date),
        ("number 37", "37".to_owned()),
        ("no search (first page)", String::new()),
    ];
    println!("  single client, 200 requests each, {PAGE_SIZE} a page (p50 / p99 ms, matches):");
    let mut urls = Vec::new();
    for (what, q) in &searches {
        let url = format!(
            "{}/api/v1/customers?q={q}&per_page={PAGE_SIZE}",
            server.base
        );
        report_latency(&client, what, &url, &token).await;
        urls.push(url);
    }
    // Parts held by most names, or by thousands: every match counted, and on PostgreSQL each
    // candidate of a longer part checked row by row. Kept out of the mix of 32 clients below,
    // which stays the everyday searches above.
    for (what, q) in [
        // Not "e": a part of "Corporate", the one customer type, which matches everyone.
        ("broad part \"n\"", "n"),
        ("legal form \"ltd\"", "ltd"),
        ("broad part \"services\"", "services"),
    ] {
        let url = format!(
            "{}/api/v1/customers?q={q}&per_page={PAGE_SIZE}",
            server.base
        );
        report_latency(&client, what, &url, &token).await;
    }
    // The home page's Your customers tiles: the customer tenants the admin may open, by name,
    // twelve at a time, and the same narrowed by a search.
    println!("  Your customers, 12 a page (p50 / p99 ms, matches):");
    for (what, query) in [
        ("first page", String::new()),
        ("page 400", "&page=400".to_owned()),
        ("search \"north\"", "&q=north".to_owned()),
    ] {
        let url = format!("{}/api/v1/customer-tenants?per_page=12{query}", server.base);
        report_latency(&client, what, &url, &token).await;
    }
    let (search_rps, search_errors) = throughput(&client, urls, &token).await;
    let (health_rps, health_errors) =
        throughput(&client, vec![format!("{}/healthz", server.base)], &token).await;
    println!(
        "  {CONCURRENT_CLIENTS} clients for {LOAD_SECONDS} s: search {search_rps:.0} req/s ({search_errors} errors), /healthz {health_rps:.0} req/s ({health_errors} errors), ratio {:.3}",
        search_rps / health_rps
    );
    if !creates {
        server.report_peak_memory();
        return;
    }
    let started = Instant::now();
    let creates = 200;
    for index in 0..creates {
        let response = client
            .post(format!("{}/api/v1/customers", server.base))
            .bearer_auth(&token)
            .json(&json!({ "name": format!("Bench New {index}"), "total_licenses": 10, "email": "new@bench.example" }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), reqwest::StatusCode::CREATED);
    }
    println!(
        "  create customer: {:.0} creates/s (one client, {creates} creates)",
        creates as f64 / started.elapsed().as_secs_f64()
    );
    // The bulk create of the Azure customers grid: one batch of 500 names a real list could hold.
    let items: Vec<Value> = support::names::unique_names(77, 500)
        .into_iter()
        .map(|name| json!({ "name": format!("{name} (new)"), "total_licenses": 25, "email": "it@bulk.example" }))
        .collect();
    let started = Instant::now();
    let response = client
        .post(format!("{}/api/v1/customers/batch", server.base))
        .bearer_auth(&token)
        .json(&json!({ "items": items }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), reqwest::StatusCode::OK);
    let outcome: Value = response.json().await.unwrap();
    println!(
        "  batch create: 500 items in {:.2} s, {:.0} items/s ({} created, {} refused)",
        started.elapsed().as_secs_f64(),
        500.0 / started.elapsed().as_secs_f64(),
        outcome["created"],
        outcome["refused"]
    );
    server.report_peak_memory();
}

/// Downloads the CSV export of every customer, then of a search, reading the body as it comes;
/// prints rows, size, time and the server's peak memory before and after (target: 100 000 rows
/// in under 5 s, memory flat).
async fn export(server: &ServerProcess, client: &reqwest::Client, token: &str) {
    let before = server.peak_memory_mib();
    for (what, query) in [("every customer", ""), ("search \"north\"", "?q=north")] {
        let started = Instant::now();
        let mut response = client
            .get(format!("{}/api/v1/customers/export{query}", server.base))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), reqwest::StatusCode::OK);
        let (mut bytes, mut lines) = (0usize, 0usize);
        while let Some(chunk) = response.chunk().await.unwrap() {
            bytes += chunk.len();
            lines += chunk.iter().filter(|byte| **byte == b'\n').count();
        }
        println!(
            "  CSV export, {what}: {} rows, {:.1} MiB in {:.2} s",
            lines.saturating_sub(1),
            bytes as f64 / 1_048_576.0,
            started.elapsed().as_secs_f64()
        );
    }
    println!(
        "  server peak memory (VmHWM) before / after the exports: {before:.1} / {:.1} MiB",
        server.peak_memory_mib()
    );
}

#[tokio::main]
async fn main() {
    on_both_databases("msp_bench", run).await;
}
