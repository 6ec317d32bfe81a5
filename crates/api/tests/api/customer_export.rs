//! `GET /api/v1/customers/export`: the grid's current search as CSV, every match in name order
//! across the export's batches, the caller's customers only, cells a spreadsheet will not run.

use reqwest::{StatusCode, header};

use crate::{
    business::{create_customer, customer, reseller},
    customer_search::store_customers,
    helpers::{TestApp, assert_problem},
};

/// The export's status, content type and rows (each a list of cells), read with a CSV parser.
async fn export(app: &TestApp, token: &str, q: Option<&str>) -> Vec<Vec<String>> {
    let mut path = "/api/v1/customers/export".to_owned();
    if let Some(q) = q {
        path = format!("{path}?q={}", q.replace(' ', "%20"));
    }
    let response = app.get(&path, token).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()[header::CONTENT_TYPE],
        "text/csv; charset=utf-8"
    );
    assert!(
        response.headers()[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    let body = response.bytes().await.unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body.as_ref());
    reader
        .records()
        .map(|record| record.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

fn names(rows: &[Vec<String>]) -> Vec<&str> {
    rows[1..].iter().map(|row| row[1].as_str()).collect()
}

db_test!(
    the_export_lists_every_match_of_the_search_by_name_with_a_header_row,
    |app| async move {
        let ours = reseller(&app, "Export Reseller").await;
        let theirs = reseller(&app, "Other Reseller").await;
        for name in [
            "Northern Dental Ltd",
            "Ashworth & Kingsley LLP",
            "Dental Arts Inc",
        ] {
            create_customer(&app, &ours.token, &customer(name)).await;
        }
        create_customer(&app, &theirs.token, &customer("Their Dental Ltd")).await;

        let all = export(&app, &ours.token, None).await;
        assert_eq!(
            all[0],
            [
                "id",
                "name",
                "display_name",
                "tenant_name",
                "email",
                "total_licenses",
                "active_licenses",
                "azure_tenant_id",
                "created_at"
            ]
        );
        assert_eq!(
            names(&all),
            [
                "Ashworth & Kingsley LLP",
                "Dental Arts Inc",
                "Northern Dental Ltd"
            ]
        );
        let row = &all[3];
        assert_eq!(row[3], "northern-dental-ltd");
        assert_eq!(row[4], "it@customer.example");
        assert_eq!((row[5].as_str(), row[6].as_str()), ("10", "0"));

        let dental = export(&app, &ours.token, Some("DENTAL")).await;
        assert_eq!(names(&dental), ["Dental Arts Inc", "Northern Dental Ltd"]);
        let none = export(&app, &ours.token, Some("zzz-no-such")).await;
        assert_eq!(none.len(), 1, "the header alone");
    }
);

db_test!(
    cells_a_spreadsheet_would_run_as_formulas_start_with_an_apostrophe,
    |app| async move {
        let ours = reseller(&app, "Careful Reseller").await;
        for name in ["=SUM(1, 2)", "-Minus Ltd", "@Home Networks"] {
            create_customer(&app, &ours.token, &customer(name)).await;
        }
        let plus = crate::business::with(
            customer("Plus Dental"),
            "email",
            serde_json::json!("+1@plus.example"),
        );
        create_customer(&app, &ours.token, &plus).await;
        let rows = export(&app, &ours.token, None).await;
        let mut cells: Vec<&str> = names(&rows);
        cells.sort_unstable();
        assert_eq!(
            cells,
            [
                "'-Minus Ltd",
                "'=SUM(1, 2)",
                "'@Home Networks",
                "Plus Dental"
            ]
        );
        let plus_row = rows.iter().find(|row| row[1] == "Plus Dental").unwrap();
        assert_eq!(plus_row[4], "'+1@plus.example");
    }
);

db_test!(
    an_export_larger_than_a_batch_is_whole_and_in_order,
    |app| async move {
        let ours = reseller(&app, "Large Reseller").await;
        // Two batches of 1 000 and part of a third, names that sort apart from their order.
        let stored: Vec<String> = (0..2_150)
            .map(|index| format!("Customer {:04}", (index * 7919) % 2_150))
            .collect();
        store_customers(&app, &ours.tenant, &stored).await;
        let rows = export(&app, &ours.token, None).await;
        let mut expected: Vec<String> = stored.clone();
        expected.sort();
        assert_eq!(names(&rows), expected);
        let searched = export(&app, &ours.token, Some("customer 1")).await;
        assert_eq!(names(&searched).len(), 1_000, "Customer 1000 to 1999");
    }
);

db_test!(
    the_export_needs_view_customers_and_a_search_of_at_most_200_characters,
    |app| async move {
        let ours = reseller(&app, "Strict Reseller").await;
        let without = crate::business::user_without(&app, &ours, proto::Claim::ViewCustomers).await;
        assert_problem(
            app.get("/api/v1/customers/export", &without).await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
        let long = "x".repeat(201);
        assert_problem(
            app.get(&format!("/api/v1/customers/export?q={long}"), &ours.token)
                .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        let unknown = app
            .get("/api/v1/customers/export?page=2", &ours.token)
            .await;
        assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);
    }
);
