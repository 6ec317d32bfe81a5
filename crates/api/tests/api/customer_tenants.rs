//! Customer tenants' names (SPEC §15, §17): derived from the customer's name at creation and
//! unique within the MSP (a numbered one when taken), editable with a 409 on conflict; the
//! display name starts as the customer's name.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::{
    business::{create_customer, customer, patch_json, reseller},
    helpers::{assert_problem, error_fields},
};

db_test!(
    a_new_customer_gets_a_tenant_name_derived_from_its_name_and_its_name_to_display,
    |app| async move {
        let msp = reseller(&app, "Acme Reseller").await;
        let created = create_customer(&app, &msp.token, &customer("Müller Bäckerei GmbH")).await;
        assert_eq!(created["tenant_name"], "muller-backerei-gmbh");
        assert_eq!(created["display_name"], "Müller Bäckerei GmbH");
        let path = format!("/api/v1/customers/{}", created["id"].as_str().unwrap());
        let (_, read) = app.get_json(&path, &msp.token).await;
        assert_eq!(read["tenant_name"], "muller-backerei-gmbh");
    }
);

db_test!(
    names_that_make_the_same_tenant_name_get_numbered_ones_within_one_msp_only,
    |app| async move {
        let msp = reseller(&app, "Acme Reseller").await;
        let mut tenant_names = Vec::new();
        for name in [
            "Contoso Ltd",
            "Contoso Ltd.",
            "Contoso-Ltd",
            "CONTOSO  LTD!",
        ] {
            let created = create_customer(&app, &msp.token, &customer(name)).await;
            tenant_names.push(created["tenant_name"].as_str().unwrap().to_owned());
        }
        assert_eq!(
            tenant_names,
            [
                "contoso-ltd",
                "contoso-ltd-2",
                "contoso-ltd-3",
                "contoso-ltd-4"
            ]
        );
        let other = reseller(&app, "Other Reseller").await;
        let created = create_customer(&app, &other.token, &customer("Contoso Ltd")).await;
        assert_eq!(
            created["tenant_name"], "contoso-ltd",
            "names are unique per MSP"
        );
    }
);

db_test!(
    a_tenant_name_is_changed_under_its_rules_and_a_taken_one_is_a_conflict,
    |app| async move {
        let msp = reseller(&app, "Acme Reseller").await;
        let first = create_customer(&app, &msp.token, &customer("Contoso Ltd")).await;
        let second = create_customer(&app, &msp.token, &customer("Fabrikam Inc")).await;
        let first_path = format!("/api/v1/customers/{}", first["id"].as_str().unwrap());
        let second_path = format!("/api/v1/customers/{}", second["id"].as_str().unwrap());

        let renamed = patch_json(
            &app,
            &first_path,
            &msp.token,
            &json!({ "tenant_name": " contoso-east ", "display_name": "Contoso (East)" }),
        )
        .await;
        assert_eq!(renamed.status(), StatusCode::OK);
        let renamed: Value = renamed.json().await.unwrap();
        assert_eq!(renamed["tenant_name"], "contoso-east");
        assert_eq!(renamed["display_name"], "Contoso (East)");
        assert_eq!(renamed["name"], "Contoso Ltd", "the customer's name stays");

        let same = patch_json(
            &app,
            &first_path,
            &msp.token,
            &json!({ "tenant_name": "contoso-east" }),
        )
        .await;
        assert_eq!(
            same.status(),
            StatusCode::OK,
            "keeping one's own name is no conflict"
        );
        let taken = patch_json(
            &app,
            &second_path,
            &msp.token,
            &json!({ "tenant_name": "contoso-east" }),
        )
        .await;
        let problem = assert_problem(taken, StatusCode::CONFLICT, "tenant_name_exists").await;
        assert!(problem["detail"].as_str().unwrap().contains("contoso-east"));

        for (body, field) in [
            (json!({ "tenant_name": "Contoso East" }), "tenant_name"),
            (json!({ "tenant_name": "co" }), "tenant_name"),
            (json!({ "tenant_name": "-contoso" }), "tenant_name"),
            (json!({ "display_name": "   " }), "display_name"),
            (json!({ "display_name": "x".repeat(201) }), "display_name"),
        ] {
            let refused = patch_json(&app, &second_path, &msp.token, &body).await;
            let problem = assert_problem(
                refused,
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
            )
            .await;
            assert_eq!(error_fields(&problem), [field], "{body}");
        }
        let (_, second) = app.get_json(&second_path, &msp.token).await;
        assert_eq!(second["tenant_name"], "fabrikam-inc");

        // The freed name goes to the next customer that makes it.
        let again = create_customer(&app, &msp.token, &customer("Contoso, Ltd")).await;
        assert_eq!(again["tenant_name"], "contoso-ltd");
    }
);

db_test!(
    every_demo_customer_has_its_derived_tenant_name,
    demo,
    |app| async move {
        let token = app
            .sign_in(
                msp_api::demo::DEMO_ADMIN_EMAIL,
                msp_api::demo::DEMO_PASSWORD,
            )
            .await;
        let customers = crate::helpers::all_items(&app, "/api/v1/customers", &token).await;
        assert!(customers.len() >= 6);
        for customer in customers {
            let name = customer["name"].as_str().unwrap();
            assert_eq!(
                customer["tenant_name"],
                domain::CustomerTenantName::derive(name).as_str(),
                "{name}"
            );
            assert_eq!(customer["display_name"], name);
        }
    }
);
