//! Access delegation (SPEC §15, §17): `GET|PUT /api/v1/customers/{id}/delegation` with the MSP's
//! users and technician groups; anyone else's is refused; admins only; audited; a deleted group
//! or user leaves it.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::{
    business::{create_customer, customer, put_json, reseller},
    helpers::{all_items, assert_problem, error_fields},
    technicians::support::team,
};

db_test!(
    an_admin_delegates_a_customer_to_a_technician_and_a_group,
    |app| async move {
        let team = team(&app).await;
        let created = create_customer(&app, &team.admin_token, &customer("Contoso Ltd")).await;
        let path = format!(
            "/api/v1/customers/{}/delegation",
            created["id"].as_str().unwrap()
        );
        let (status, empty) = app.get_json(&path, &team.admin_token).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(empty, json!({ "user_ids": [], "group_ids": [] }));

        let group = app
            .post_json(
                "/api/v1/technician-groups",
                &team.admin_token,
                &json!({ "name": "Level 1 techs", "member_ids": [team.technician.id] }),
            )
            .await;
        let group: Value = group.json().await.unwrap();
        let wanted = json!({ "user_ids": [team.technician.id], "group_ids": [group["id"]] });
        let put = put_json(&app, &path, &team.admin_token, &wanted).await;
        assert_eq!(put.status(), StatusCode::OK);
        let (_, read) = app.get_json(&path, &team.admin_token).await;
        assert_eq!(read, wanted);

        let emptied = put_json(
            &app,
            &path,
            &team.admin_token,
            &json!({ "user_ids": [], "group_ids": [group["id"]] }),
        )
        .await;
        let emptied: Value = emptied.json().await.unwrap();
        assert_eq!(emptied["user_ids"], json!([]));
        let audit = all_items(&app, "/api/v1/audit-log", &team.admin_token).await;
        let changes: Vec<&Value> = audit
            .iter()
            .filter(|entry| entry["action"] == "customer.delegation")
            .collect();
        assert_eq!(changes.len(), 2);
        assert!(
            changes
                .iter()
                .any(|entry| entry["details"]["before"] == wanted)
        );

        let deleted = app
            .delete(
                &format!(
                    "/api/v1/technician-groups/{}",
                    group["id"].as_str().unwrap()
                ),
                &team.admin_token,
            )
            .await;
        assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
        let (_, read) = app.get_json(&path, &team.admin_token).await;
        assert_eq!(
            read["group_ids"],
            json!([]),
            "a deleted group leaves the delegation"
        );
    }
);

db_test!(
    only_the_msps_own_users_and_groups_can_be_delegated,
    |app| async move {
        let team = team(&app).await;
        let other = reseller(&app, "Other Reseller").await;
        let theirs = app
            .post_json(
                "/api/v1/technician-groups",
                &other.token,
                &json!({ "name": "Theirs" }),
            )
            .await;
        let theirs: Value = theirs.json().await.unwrap();
        let created = create_customer(&app, &team.admin_token, &customer("Fabrikam Inc")).await;
        let path = format!(
            "/api/v1/customers/{}/delegation",
            created["id"].as_str().unwrap()
        );
        let refused = put_json(
            &app,
            &path,
            &team.admin_token,
            &json!({ "user_ids": [team.technician.id, other.admin.id], "group_ids": [theirs["id"]] }),
        )
        .await;
        let problem = assert_problem(
            refused,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(error_fields(&problem), ["user_ids", "group_ids"]);
        assert!(problem["detail"].as_str().unwrap().contains("user_ids[1]"));
        assert!(!problem.to_string().contains(&other.admin.id.to_string()));
        let (_, read) = app.get_json(&path, &team.admin_token).await;
        assert_eq!(read["user_ids"], json!([]), "nothing was changed");
    }
);

db_test!(
    technicians_and_other_msps_cannot_read_or_change_a_delegation,
    |app| async move {
        let team = team(&app).await;
        let other = reseller(&app, "Other Reseller").await;
        let created = create_customer(&app, &team.admin_token, &customer("Tailspin Toys")).await;
        let path = format!(
            "/api/v1/customers/{}/delegation",
            created["id"].as_str().unwrap()
        );
        let body = json!({ "user_ids": [], "group_ids": [] });
        assert_problem(
            app.get(&path, &team.technician_token).await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
        let put = put_json(&app, &path, &team.technician_token, &body).await;
        assert_problem(put, StatusCode::FORBIDDEN, "forbidden").await;
        assert_problem(
            app.get(&path, &other.token).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
        let put = put_json(&app, &path, &other.token, &body).await;
        assert_problem(put, StatusCode::NOT_FOUND, "not_found").await;
    }
);

db_test!(
    a_customer_counts_its_active_users_and_the_technicians_who_may_go_in,
    |app| async move {
        let team = team(&app).await;
        let created =
            create_customer(&app, &team.admin_token, &customer("Northwind Traders")).await;
        let id = created["id"].as_str().unwrap().to_owned();
        assert_eq!(
            (
                created["active_users"].clone(),
                created["technicians"].clone()
            ),
            (json!(0), json!(1))
        );
        let counts = |app: &crate::helpers::TestApp, token: String| {
            let app_url = app.url("/api/v1/customers?q=northwind");
            let client = app.client.clone();
            async move {
                let listed: Value = client
                    .get(app_url)
                    .bearer_auth(token)
                    .send()
                    .await
                    .unwrap()
                    .json()
                    .await
                    .unwrap();
                let row = &listed["items"][0];
                (
                    row["active_users"].as_u64().unwrap(),
                    row["technicians"].as_u64().unwrap(),
                )
            }
        };

        let group = app
            .post_json(
                "/api/v1/technician-groups",
                &team.admin_token,
                &json!({ "name": "Level 1 techs", "member_ids": [team.technician.id] }),
            )
            .await;
        let group: Value = group.json().await.unwrap();
        let path = format!("/api/v1/customers/{id}/delegation");
        let both =
            json!({ "user_ids": [team.technician.id, team.admin.id], "group_ids": [group["id"]] });
        assert_eq!(
            put_json(&app, &path, &team.admin_token, &both)
                .await
                .status(),
            StatusCode::OK
        );
        assert_eq!(
            counts(&app, team.admin_token.clone()).await,
            (0, 2),
            "each counted once"
        );

        let deactivated = crate::business::patch_json(
            &app,
            &format!("/api/v1/users/{}", team.technician.id),
            &team.admin_token,
            &json!({ "active": false }),
        )
        .await;
        assert_eq!(deactivated.status(), StatusCode::OK);
        assert_eq!(
            counts(&app, team.admin_token.clone()).await,
            (0, 1),
            "an inactive one does not"
        );

        let own_user = app
            .create_user(
                id.parse().unwrap(),
                "staff@northwind.test",
                proto::Role::Technician,
                domain::ClaimSet::all(),
            )
            .await;
        app.sign_in(&own_user.email, crate::helpers::PASSWORD).await;
        assert_eq!(counts(&app, team.admin_token.clone()).await, (1, 1));
        let stale = chrono::Utc::now() - chrono::Duration::days(31);
        use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
        let stored = entity::user::Entity::find_by_id(own_user.id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let mut aged: entity::user::ActiveModel = stored.into();
        aged.last_sign_in_at = Set(Some(stale));
        aged.update(&app.db).await.unwrap();
        assert_eq!(
            counts(&app, team.admin_token.clone()).await,
            (0, 1),
            "a sign-in 31 days ago is not active"
        );
    }
);

db_test!(
    a_distributors_page_counts_each_customers_technicians_among_its_own_resellers_staff,
    |app| async move {
        use domain::ClaimSet;
        use proto::{Role, TenantType};

        let distributor = app
            .create_tenant("Delta Distribution", TenantType::Distributor, None, true)
            .await;
        let distributor_admin = app.admin_of(&distributor).await;
        let distributor_token = app
            .sign_in(&distributor_admin.email, crate::helpers::PASSWORD)
            .await;
        let mut resellers = Vec::new();
        for name in ["North Reseller", "South Reseller"] {
            let tenant = app
                .create_tenant(name, TenantType::Reseller, Some(distributor.id), true)
                .await;
            let admin = app.admin_of(&tenant).await;
            let token = app.sign_in(&admin.email, crate::helpers::PASSWORD).await;
            resellers.push((tenant, token));
        }
        // North has a second admin and a technician delegated to its customer; South's admin is
        // its only technician.
        let (north, north_token) = &resellers[0];
        let (_, south_token) = &resellers[1];
        app.create_user(north.id, "second@north.test", Role::Admin, ClaimSet::all())
            .await;
        let technician = app
            .create_user(
                north.id,
                "tech@north.test",
                Role::Technician,
                ClaimSet::all(),
            )
            .await;
        let north_customer = create_customer(&app, north_token, &customer("North Dental")).await;
        let south_customer = create_customer(&app, south_token, &customer("South Dental")).await;
        let path = format!(
            "/api/v1/customers/{}/delegation",
            north_customer["id"].as_str().unwrap()
        );
        let body = json!({ "user_ids": [technician.id], "group_ids": [] });
        assert_eq!(
            put_json(&app, &path, north_token, &body).await.status(),
            StatusCode::OK
        );
        assert_eq!(south_customer["technicians"], 1);

        let (status, listed) = app
            .get_json("/api/v1/customers?q=dental", &distributor_token)
            .await;
        assert_eq!(status, StatusCode::OK);
        let counted: Vec<(String, u64)> = listed["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|item| {
                (
                    item["name"].as_str().unwrap().to_owned(),
                    item["technicians"].as_u64().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            counted,
            vec![
                ("North Dental".to_owned(), 3),
                ("South Dental".to_owned(), 1)
            ],
            "{listed}"
        );
    }
);
