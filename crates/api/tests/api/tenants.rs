//! Tenant isolation: a caller sees their own tenant and what lies below it, nothing else.

use std::collections::BTreeSet;

use domain::ClaimSet;
use entity::tenant;
use proto::{Role, TenantType};
use reqwest::StatusCode;
use uuid::Uuid;

use crate::helpers::{PASSWORD, TestApp, all_items, assert_problem};

/// Distributor → reseller → two corporates, and an unrelated reseller with a corporate.
struct Trees {
    distributor: tenant::Model,
    reseller: tenant::Model,
    corporates: [tenant::Model; 2],
    other_reseller: tenant::Model,
    other_corporate: tenant::Model,
}

async fn two_trees(app: &TestApp) -> Trees {
    let distributor = app
        .create_tenant("North Distribution", TenantType::Distributor, None, true)
        .await;
    let reseller = app
        .create_tenant(
            "North Reseller",
            TenantType::Reseller,
            Some(distributor.id),
            true,
        )
        .await;
    let corporates = [
        app.create_tenant(
            "North Bakery",
            TenantType::Corporate,
            Some(reseller.id),
            true,
        )
        .await,
        app.create_tenant(
            "North Garage",
            TenantType::Corporate,
            Some(reseller.id),
            true,
        )
        .await,
    ];
    let other_reseller = app
        .create_tenant(
            "Southern Secrets Reseller",
            TenantType::Reseller,
            None,
            true,
        )
        .await;
    let other_corporate = app
        .create_tenant(
            "Southern Hidden Customer",
            TenantType::Corporate,
            Some(other_reseller.id),
            true,
        )
        .await;
    Trees {
        distributor,
        reseller,
        corporates,
        other_reseller,
        other_corporate,
    }
}

/// Signs in a new admin of `tenant`.
async fn admin_of(app: &TestApp, tenant: &tenant::Model, email: &str) -> String {
    app.create_user(tenant.id, email, Role::Admin, ClaimSet::all())
        .await;
    app.sign_in(email, PASSWORD).await
}

async fn listed_ids(app: &TestApp, token: &str) -> BTreeSet<Uuid> {
    all_items(app, "/api/v1/tenants", token)
        .await
        .iter()
        .map(|item| item["id"].as_str().unwrap().parse().unwrap())
        .collect()
}

db_test!(
    another_trees_tenant_is_a_404_that_does_not_reveal_its_name,
    |app| async move {
        let trees = two_trees(&app).await;
        let token = admin_of(&app, &trees.distributor, "admin@north.test").await;

        for hidden in [&trees.other_reseller, &trees.other_corporate] {
            let response = app
                .get(&format!("/api/v1/tenants/{}", hidden.id), &token)
                .await;
            let problem = assert_problem(response, StatusCode::NOT_FOUND, "not_found").await;
            let text = problem.to_string();
            assert!(
                !text.contains("Southern") && !text.contains(&hidden.id.to_string()),
                "the 404 reveals the other tree: {text}"
            );
        }
        // An ID that exists nowhere gets exactly the same answer.
        let nowhere = app
            .get(&format!("/api/v1/tenants/{}", Uuid::new_v4()), &token)
            .await;
        assert_problem(nowhere, StatusCode::NOT_FOUND, "not_found").await;
    }
);

db_test!(
    the_tenant_listing_never_includes_another_tree,
    |app| async move {
        let trees = two_trees(&app).await;
        let north = admin_of(&app, &trees.distributor, "admin@north.test").await;
        let south = admin_of(&app, &trees.other_reseller, "admin@south.test").await;

        let response = app.get("/api/v1/tenants?per_page=100", &north).await;
        assert_eq!(response.status(), StatusCode::OK);
        let text = response.text().await.unwrap();
        assert!(!text.contains("Southern"), "{text}");
        let north_ids = listed_ids(&app, &north).await;
        assert!(!north_ids.contains(&trees.other_reseller.id));
        assert!(!north_ids.contains(&trees.other_corporate.id));

        let south_ids = listed_ids(&app, &south).await;
        assert_eq!(
            south_ids,
            BTreeSet::from([trees.other_reseller.id, trees.other_corporate.id])
        );
    }
);

db_test!(
    a_distributor_admin_sees_its_resellers_and_their_corporates,
    |app| async move {
        let trees = two_trees(&app).await;
        let token = admin_of(&app, &trees.distributor, "admin@north.test").await;

        let ids = listed_ids(&app, &token).await;

        let expected = BTreeSet::from([
            trees.distributor.id,
            trees.reseller.id,
            trees.corporates[0].id,
            trees.corporates[1].id,
        ]);
        assert_eq!(ids, expected);
        for below in [&trees.reseller, &trees.corporates[0]] {
            let (status, body) = app
                .get_json(&format!("/api/v1/tenants/{}", below.id), &token)
                .await;
            assert_eq!(status, StatusCode::OK);
            assert_eq!(body["name"], below.name.as_str());
        }
        let (_, page) = app.get_json("/api/v1/tenants?per_page=2", &token).await;
        assert_eq!(page["total"], 4);
        assert_eq!(page["items"].as_array().unwrap().len(), 2);
    }
);

db_test!(
    a_reseller_admin_does_not_see_its_parent_distributor,
    |app| async move {
        let trees = two_trees(&app).await;
        let token = admin_of(&app, &trees.reseller, "admin@north-reseller.test").await;

        let ids = listed_ids(&app, &token).await;
        let parent = app
            .get(&format!("/api/v1/tenants/{}", trees.distributor.id), &token)
            .await;

        assert_eq!(
            ids,
            BTreeSet::from([
                trees.reseller.id,
                trees.corporates[0].id,
                trees.corporates[1].id
            ])
        );
        let problem = assert_problem(parent, StatusCode::NOT_FOUND, "not_found").await;
        assert!(!problem.to_string().contains("North Distribution"));
    }
);
