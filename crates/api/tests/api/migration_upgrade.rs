//! Upgrading a database that already holds customers: migration 16 gives each existing customer
//! its tenant name (derived from its name, numbered in its MSP oldest first) and its name as
//! display name, on both databases.

use chrono::{Duration, Utc};
use entity::{customer, tenant};
use migration::{Migrator, MigratorTrait};
use msp_api::services::{
    customers::{CustomerSearch, search_customer_rows},
    paging::PageRequest,
};
use sea_orm::{
    ConnectionTrait, Database, EntityTrait, QueryOrder,
    sea_query::{Alias, Query},
};
use uuid::Uuid;

use crate::helpers::{Backend, run_with_database};

/// Migrations up to and including the last one before customers had tenant names.
const BEFORE_TENANT_NAMES: u32 = 15;

async fn insert_row(db: &impl ConnectionTrait, table: &str, values: Vec<(&str, sea_orm::Value)>) {
    let (columns, values): (Vec<_>, Vec<_>) = values.into_iter().unzip();
    let insert = Query::insert()
        .into_table(Alias::new(table))
        .columns(columns.into_iter().map(Alias::new))
        .values_panic(values.into_iter().map(Into::into))
        .to_owned();
    db.execute_raw(db.get_database_backend().build(&insert))
        .await
        .unwrap();
}

async fn tenant(db: &impl ConnectionTrait, id: Uuid, parent: Option<Uuid>, kind: &str, name: &str) {
    let path = match parent {
        Some(parent) => format!("/{parent}/{id}/"),
        None => format!("/{id}/"),
    };
    insert_row(
        db,
        "tenants",
        vec![
            ("id", id.into()),
            ("parent_id", parent.into()),
            ("path", path.into()),
            ("tenant_type", kind.into()),
            ("name", name.into()),
            ("monthly_billing", true.into()),
            ("licensing_options", serde_json::json!([]).into()),
            ("azure_tenant_id", Option::<String>::None.into()),
            ("master_gp_distribution", false.into()),
            ("created_at", Utc::now().into()),
        ],
    )
    .await;
}

async fn upgrade_names_existing_customers(backend: Backend, name: &str) {
    run_with_database(backend, name, |url, data_dir| async move {
        // The SQLite file lives in it: kept until the test ends.
        let _keep = data_dir;
        let db = Database::connect(&url).await.unwrap();
        Migrator::up(&db, Some(BEFORE_TENANT_NAMES)).await.unwrap();
        let (msp, other) = (Uuid::new_v4(), Uuid::new_v4());
        tenant(&db, msp, None, "reseller", "Upgrade Reseller").await;
        tenant(&db, other, None, "reseller", "Other Reseller").await;
        let now = Utc::now();
        let customers = [
            (msp, "Contoso Ltd", 3),
            (msp, "Müller Bäckerei GmbH", 2),
            (msp, "Contoso Ltd.", 1),
            (other, "Contoso Ltd", 0),
        ];
        for (reseller, customer_name, age_days) in customers {
            let id = Uuid::new_v4();
            tenant(&db, id, Some(reseller), "corporate", customer_name).await;
            let created_at = now - Duration::days(age_days);
            insert_row(
                &db,
                "customers",
                vec![
                    ("tenant_id", id.into()),
                    ("reseller_id", reseller.into()),
                    ("name", customer_name.into()),
                    ("name_key", customer_name.to_lowercase().into()),
                    ("customer_type", "Corporate".into()),
                    ("email", "it@upgrade.test".into()),
                    ("details", Option::<String>::None.into()),
                    ("total_licenses", 10_i32.into()),
                    ("active_licenses", 0_i32.into()),
                    ("spla", false.into()),
                    ("opt_in_master_gp", false.into()),
                    ("churn_score", 0_i16.into()),
                    ("azure_tenant_id", Option::<String>::None.into()),
                    ("created_at", created_at.into()),
                    (
                        "created_date",
                        created_at.format("%Y-%m-%d").to_string().into(),
                    ),
                ],
            )
            .await;
        }

        Migrator::up(&db, None).await.unwrap();
        let named: Vec<(Uuid, String, String, String)> = customer::Entity::find()
            .order_by_asc(customer::Column::CreatedAt)
            .all(&db)
            .await
            .unwrap()
            .into_iter()
            .map(|row| (row.reseller_id, row.name, row.tenant_name, row.display_name))
            .collect();
        let expected = [
            (msp, "Contoso Ltd", "contoso-ltd"),
            (msp, "Müller Bäckerei GmbH", "muller-backerei-gmbh"),
            (msp, "Contoso Ltd.", "contoso-ltd-2"),
            (other, "Contoso Ltd", "contoso-ltd"),
        ];
        assert_eq!(named.len(), expected.len());
        for (
            (reseller, name, tenant_name, display_name),
            (want_reseller, want_name, want_tenant),
        ) in named.iter().zip(expected)
        {
            assert_eq!((reseller, name.as_str()), (&want_reseller, want_name));
            assert_eq!(tenant_name, want_tenant, "{name}");
            assert_eq!(display_name, name);
        }

        // The search finds, and counts, the customers that were there before the upgrade:
        // its indexes and counts were filled from them.
        let reseller = tenant::Entity::find_by_id(msp)
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        for (q, want) in [
            ("ü", vec!["Müller Bäckerei GmbH"]),
            ("ltd", vec!["Contoso Ltd", "Contoso Ltd."]),
            ("td.", vec!["Contoso Ltd."]),
            ("contoso", vec!["Contoso Ltd", "Contoso Ltd."]),
            ("bäckerei", vec!["Müller Bäckerei GmbH"]),
            ("fabrikam", vec![]),
        ] {
            let search = CustomerSearch {
                text: Some(q.to_owned()),
                page: PageRequest { index: 0, size: 10 },
            };
            let (rows, total) = search_customer_rows::<customer::Model>(&db, &reseller, &search)
                .await
                .unwrap();
            let names: Vec<&str> = rows.iter().map(|row| row.name.as_str()).collect();
            assert_eq!((names, total), (want.clone(), want.len() as u64), "{q}");
        }
    })
    .await;
}

#[tokio::test]
async fn upgrading_a_sqlite_database_names_its_existing_customers() {
    upgrade_names_existing_customers(Backend::Sqlite, "migration_upgrade::on_sqlite").await;
}

#[tokio::test]
async fn upgrading_a_postgres_database_names_its_existing_customers() {
    upgrade_names_existing_customers(Backend::Postgres, "migration_upgrade::on_postgres").await;
}
