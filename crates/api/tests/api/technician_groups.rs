//! Technician groups (SPEC §15, §17): admins create, rename and delete them and add and remove
//! members, who must be users of the same tenant; technicians may not; every change is audited.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::{
    business::patch_json,
    helpers::{TestApp, all_items, assert_problem, error_fields},
    technicians::support::team,
};

const GROUPS: &str = "/api/v1/technician-groups";

async fn create(app: &TestApp, token: &str, body: Value) -> Value {
    let response = app.post_json(GROUPS, token, &body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.unwrap()
}

async fn put(app: &TestApp, token: &str, path: &str) -> reqwest::Response {
    app.client
        .put(app.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

db_test!(
    an_admin_creates_a_group_with_a_technician_and_renames_it,
    |app| async move {
        let team = team(&app).await;
        let technician = team.technician.id.to_string();
        let created = create(
            &app,
            &team.admin_token,
            json!({ "name": " Level 1 techs ", "member_ids": [technician] }),
        )
        .await;
        assert_eq!(created["name"], "Level 1 techs");
        assert_eq!(created["member_ids"], json!([technician]));
        let path = format!("{GROUPS}/{}", created["id"].as_str().unwrap());

        let renamed =
            patch_json(&app, &path, &team.admin_token, &json!({ "name": "Tier 1" })).await;
        assert_eq!(renamed.status(), StatusCode::OK);
        let (status, read) = app.get_json(&path, &team.admin_token).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(read["name"], "Tier 1");
        assert_eq!(
            read["member_ids"],
            json!([technician]),
            "renaming keeps the members"
        );

        let (_, listed) = app.get_json(GROUPS, &team.admin_token).await;
        assert_eq!(listed.as_array().unwrap().len(), 1);
        let audit = all_items(&app, "/api/v1/audit-log", &team.admin_token).await;
        for action in ["technician_group.create", "technician_group.update"] {
            assert!(
                audit.iter().any(|entry| entry["action"] == action),
                "{action} is audited"
            );
        }
    }
);

db_test!(
    members_are_added_removed_and_replaced_one_membership_each,
    |app| async move {
        let team = team(&app).await;
        let (admin, technician) = (team.admin.id.to_string(), team.technician.id.to_string());
        let created = create(&app, &team.admin_token, json!({ "name": "Level 2 techs" })).await;
        let path = format!("{GROUPS}/{}", created["id"].as_str().unwrap());
        let member = format!("{path}/members/{technician}");
        for _ in 0..2 {
            assert_eq!(
                put(&app, &team.admin_token, &member).await.status(),
                StatusCode::NO_CONTENT
            );
        }
        let (_, read) = app.get_json(&path, &team.admin_token).await;
        assert_eq!(read["member_ids"], json!([technician]), "added once");

        let replaced = patch_json(
            &app,
            &path,
            &team.admin_token,
            &json!({ "member_ids": [admin, admin] }),
        )
        .await;
        let replaced: Value = replaced.json().await.unwrap();
        assert_eq!(replaced["member_ids"], json!([admin]));

        let removed = app
            .delete(&format!("{path}/members/{admin}"), &team.admin_token)
            .await;
        assert_eq!(removed.status(), StatusCode::NO_CONTENT);
        let (_, read) = app.get_json(&path, &team.admin_token).await;
        assert_eq!(read["member_ids"], json!([]));
    }
);

db_test!(
    a_member_must_be_a_user_of_the_same_tenant,
    |app| async move {
        let team = team(&app).await;
        let (_, stranger) = app.reseller_with_admin("Stranger Reseller").await;
        let refused = app
            .post_json(
                GROUPS,
                &team.admin_token,
                &json!({ "name": "Mixed", "member_ids": [stranger.id] }),
            )
            .await;
        let problem = assert_problem(
            refused,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(error_fields(&problem), ["member_ids"]);
        assert_eq!(problem["errors"][0]["code"], "unknown_user");
        let created = create(&app, &team.admin_token, json!({ "name": "Mine" })).await;
        let member = format!(
            "{GROUPS}/{}/members/{}",
            created["id"].as_str().unwrap(),
            stranger.id
        );
        let refused = put(&app, &team.admin_token, &member).await;
        assert_problem(
            refused,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
    }
);

db_test!(
    a_taken_name_is_a_conflict_and_a_bad_one_is_refused,
    |app| async move {
        let team = team(&app).await;
        create(&app, &team.admin_token, json!({ "name": "Level 1 techs" })).await;
        let other = create(&app, &team.admin_token, json!({ "name": "Level 2 techs" })).await;
        let again = app
            .post_json(
                GROUPS,
                &team.admin_token,
                &json!({ "name": "LEVEL 1 TECHS" }),
            )
            .await;
        assert_problem(again, StatusCode::CONFLICT, "name_exists").await;
        let path = format!("{GROUPS}/{}", other["id"].as_str().unwrap());
        let renamed = patch_json(
            &app,
            &path,
            &team.admin_token,
            &json!({ "name": "level 1 techs" }),
        )
        .await;
        assert_problem(renamed, StatusCode::CONFLICT, "name_exists").await;
        for name in [json!("   "), json!("x".repeat(101))] {
            let refused = app
                .post_json(GROUPS, &team.admin_token, &json!({ "name": name }))
                .await;
            let problem = assert_problem(
                refused,
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
            )
            .await;
            assert_eq!(error_fields(&problem), ["name"]);
        }
    }
);

db_test!(
    deleting_a_group_keeps_its_members_and_a_second_delete_is_not_found,
    |app| async move {
        let team = team(&app).await;
        let created = create(
            &app,
            &team.admin_token,
            json!({ "name": "Night shift", "member_ids": [team.technician.id] }),
        )
        .await;
        let path = format!("{GROUPS}/{}", created["id"].as_str().unwrap());
        assert_eq!(
            app.delete(&path, &team.admin_token).await.status(),
            StatusCode::NO_CONTENT
        );
        assert_problem(
            app.delete(&path, &team.admin_token).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
        let (status, _) = app
            .get_json(
                &format!("/api/v1/users/{}", team.technician.id),
                &team.admin_token,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "the member is still a user");
        let audit = all_items(&app, "/api/v1/audit-log", &team.admin_token).await;
        assert!(
            audit
                .iter()
                .any(|entry| entry["action"] == "technician_group.delete")
        );
    }
);

db_test!(
    deleting_a_user_takes_it_out_of_its_groups,
    |app| async move {
        let team = team(&app).await;
        let created = create(
            &app,
            &team.admin_token,
            json!({ "name": "Level 1 techs", "member_ids": [team.technician.id] }),
        )
        .await;
        let deleted = app
            .delete(
                &format!("/api/v1/users/{}", team.technician.id),
                &team.admin_token,
            )
            .await;
        assert!(deleted.status().is_success(), "{}", deleted.status());
        let (_, read) = app
            .get_json(
                &format!("{GROUPS}/{}", created["id"].as_str().unwrap()),
                &team.admin_token,
            )
            .await;
        assert_eq!(read["member_ids"], json!([]));
    }
);

db_test!(
    technicians_neither_see_nor_change_groups,
    |app| async move {
        let team = team(&app).await;
        let created = create(&app, &team.admin_token, json!({ "name": "Admins' own" })).await;
        let path = format!("{GROUPS}/{}", created["id"].as_str().unwrap());
        let token = &team.technician_token;
        assert_problem(
            app.get(GROUPS, token).await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
        assert_problem(
            app.get(&path, token).await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
        let created = app
            .post_json(GROUPS, token, &json!({ "name": "Mine" }))
            .await;
        assert_problem(created, StatusCode::FORBIDDEN, "forbidden").await;
        let member = format!("{path}/members/{}", team.technician.id);
        assert_problem(
            put(&app, token, &member).await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
        assert_problem(
            app.delete(&path, token).await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
    }
);
