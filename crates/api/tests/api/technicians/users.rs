//! The Users API: admins manage their tenant's users; a technician sees and edits only itself;
//! nobody raises their own rights; the last active admin stays; every change is audited.

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::support::{accept, invitation_token, invite, patch_user, team};
use crate::helpers::{PASSWORD, all_items, assert_problem};

db_test!(
    an_admin_invites_a_technician_who_sets_a_password_and_signs_in,
    |app| async move {
        let team = team(&app).await;

        let invited = invite(
            &app,
            &team.admin_token,
            "  New.Tech@Acme-Reseller.test ",
            json!({ "display_name": " New Tech ", "claims": ["view_customers"] }),
        )
        .await;

        let user = &invited["user"];
        assert_eq!(user["email"], "new.tech@acme-reseller.test");
        assert_eq!(user["display_name"], "New Tech");
        assert_eq!(
            user["role"], "technician",
            "invited users default to technician"
        );
        assert_eq!(user["claims"], json!(["view_customers"]));
        assert_eq!(user["source"], "local");
        assert_eq!(user["invitation_pending"], true);
        assert_eq!(user["allow_ui_access"], true);
        let url = invited["invitation_url"].as_str().unwrap();
        assert!(
            url.starts_with(&app.address) && url.contains("/accept-invitation#token="),
            "{url}"
        );
        let expires: chrono::DateTime<chrono::Utc> =
            serde_json::from_value(invited["invitation_expires_at"].clone()).unwrap();
        let days = (expires - chrono::Utc::now()).num_hours() as f64 / 24.0;
        assert!((6.9..=7.0).contains(&days), "valid 7 days: {days}");
        let before = app.login("new.tech@acme-reseller.test", "").await;
        assert_eq!(before.status(), StatusCode::UNPROCESSABLE_ENTITY);

        let token = invitation_token(&invited);
        assert_eq!(
            accept(&app, &token, "correct horse battery staple")
                .await
                .status(),
            StatusCode::NO_CONTENT
        );

        let access = app
            .sign_in(
                "new.tech@acme-reseller.test",
                "correct horse battery staple",
            )
            .await;
        let me = app.me(&access).await;
        assert_eq!(me["user"]["display_name"], "New Tech");
        let listed = all_items(&app, "/api/v1/users?q=new%20tech", &team.admin_token).await;
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0]["invitation_pending"], false);
        assert!(listed[0]["last_sign_in_at"].is_string());
    }
);

db_test!(an_invitation_link_works_once, |app| async move {
    let team = team(&app).await;
    let invited = invite(
        &app,
        &team.admin_token,
        "once@acme-reseller.test",
        json!({}),
    )
    .await;
    let token = invitation_token(&invited);

    let short = accept(&app, &token, "short").await;
    assert_problem(short, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(
        accept(&app, &token, "a-long-enough-password")
            .await
            .status(),
        StatusCode::NO_CONTENT
    );

    let again = accept(&app, &token, "an-attackers-password").await;
    assert_problem(again, StatusCode::GONE, "invitation_invalid").await;
    app.sign_in("once@acme-reseller.test", "a-long-enough-password")
        .await;
    let forged = accept(&app, "not-a-token", "a-long-enough-password").await;
    assert_problem(forged, StatusCode::GONE, "invitation_invalid").await;
});

db_test!(
    an_invitation_link_expires_after_seven_days,
    |app| async move {
        use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
        let team = team(&app).await;
        let invited = invite(
            &app,
            &team.admin_token,
            "late@acme-reseller.test",
            json!({}),
        )
        .await;
        let stored = entity::invitation::Entity::find()
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let mut aged: entity::invitation::ActiveModel = stored.into();
        aged.expires_at = Set(chrono::Utc::now() - chrono::Duration::minutes(1));
        aged.update(&app.db).await.unwrap();

        let late = accept(&app, &invitation_token(&invited), "a-long-enough-password").await;
        assert_problem(late, StatusCode::GONE, "invitation_invalid").await;
    }
);

db_test!(only_admins_invite_edit_and_delete_users, |app| async move {
    let team = team(&app).await;
    let invite = app
        .post_json(
            "/api/v1/users",
            &team.technician_token,
            &json!({ "email": "x@acme-reseller.test" }),
        )
        .await;
    assert_problem(invite, StatusCode::FORBIDDEN, "forbidden").await;
    let edit_admin = patch_user(
        &app,
        &team.technician_token,
        team.admin.id,
        json!({ "display_name": "Boss" }),
    )
    .await;
    assert_problem(edit_admin, StatusCode::NOT_FOUND, "not_found").await;
    let delete = app
        .delete(
            &format!("/api/v1/users/{}", team.admin.id),
            &team.technician_token,
        )
        .await;
    assert_problem(delete, StatusCode::FORBIDDEN, "forbidden").await;
});

db_test!(
    a_technician_sees_and_renames_only_itself,
    |app| async move {
        let team = team(&app).await;
        let listed = all_items(&app, "/api/v1/users", &team.technician_token).await;
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0]["id"], team.technician.id.to_string());
        let hidden = app
            .get(
                &format!("/api/v1/users/{}", team.admin.id),
                &team.technician_token,
            )
            .await;
        assert_problem(hidden, StatusCode::NOT_FOUND, "not_found").await;

        let renamed = patch_user(
            &app,
            &team.technician_token,
            team.technician.id,
            json!({ "display_name": "Tess" }),
        )
        .await;
        assert_eq!(renamed.status(), StatusCode::OK);
        assert_eq!(
            renamed.json::<Value>().await.unwrap()["display_name"],
            "Tess"
        );
    }
);

db_test!(nobody_raises_their_own_rights, |app| async move {
    let team = team(&app).await;
    for change in [
        json!({ "role": "admin" }),
        json!({ "claims": [] }),
        json!({ "use_mfa": true }),
    ] {
        let response = patch_user(
            &app,
            &team.technician_token,
            team.technician.id,
            change.clone(),
        )
        .await;
        assert_problem(response, StatusCode::FORBIDDEN, "forbidden").await;
    }
    let lowered = patch_user(
        &app,
        &team.admin_token,
        team.admin.id,
        json!({ "claims": ["view_customers"] }),
    )
    .await;
    assert_eq!(lowered.status(), StatusCode::OK);
    let raised = patch_user(
        &app,
        &team.admin_token,
        team.admin.id,
        json!({ "claims": ["view_customers", "create_customer"] }),
    )
    .await;
    assert_problem(raised, StatusCode::FORBIDDEN, "raises_own_rights").await;
});

db_test!(
    the_last_active_admin_is_never_demoted_deactivated_or_deleted,
    |app| async move {
        let team = team(&app).await;
        for change in [json!({ "role": "technician" }), json!({ "active": false })] {
            let response = patch_user(&app, &team.admin_token, team.admin.id, change).await;
            let problem = assert_problem(response, StatusCode::CONFLICT, "last_active_admin").await;
            assert!(
                problem["detail"]
                    .as_str()
                    .unwrap()
                    .contains("last active admin"),
                "{problem}"
            );
        }
        let delete = app
            .delete(
                &format!("/api/v1/users/{}", team.admin.id),
                &team.admin_token,
            )
            .await;
        assert_problem(delete, StatusCode::CONFLICT, "last_active_admin").await;

        let promoted = patch_user(
            &app,
            &team.admin_token,
            team.technician.id,
            json!({ "role": "admin" }),
        )
        .await;
        assert_eq!(promoted.status(), StatusCode::OK);
        let demoted = patch_user(
            &app,
            &team.admin_token,
            team.admin.id,
            json!({ "role": "technician" }),
        )
        .await;
        assert_eq!(demoted.status(), StatusCode::OK);
    }
);

db_test!(
    nobody_deactivates_deletes_or_shuts_itself_out,
    |app| async move {
        let team = team(&app).await;
        let promoted = patch_user(
            &app,
            &team.admin_token,
            team.technician.id,
            json!({ "role": "admin" }),
        )
        .await;
        assert_eq!(promoted.status(), StatusCode::OK);
        for change in [
            json!({ "active": false }),
            json!({ "allow_ui_access": false }),
        ] {
            let response = patch_user(&app, &team.admin_token, team.admin.id, change).await;
            assert_problem(response, StatusCode::CONFLICT, "locks_out_self").await;
        }
        let delete = app
            .delete(
                &format!("/api/v1/users/{}", team.admin.id),
                &team.admin_token,
            )
            .await;
        assert_problem(delete, StatusCode::CONFLICT, "locks_out_self").await;
        let by_the_other = app
            .delete(
                &format!("/api/v1/users/{}", team.admin.id),
                &team.technician_token,
            )
            .await;
        assert_eq!(by_the_other.status(), StatusCode::NO_CONTENT);
    }
);

db_test!(
    an_invited_admin_who_has_not_accepted_does_not_count_as_another_admin,
    |app| async move {
        let team = team(&app).await;
        invite(
            &app,
            &team.admin_token,
            "pending-admin@acme-reseller.test",
            json!({ "role": "admin" }),
        )
        .await;
        let demoted = patch_user(
            &app,
            &team.admin_token,
            team.admin.id,
            json!({ "role": "technician" }),
        )
        .await;
        assert_problem(demoted, StatusCode::CONFLICT, "last_active_admin").await;
    }
);

db_test!(
    deactivated_users_are_reactivated_by_an_admin,
    |app| async move {
        let team = team(&app).await;
        let off = patch_user(
            &app,
            &team.admin_token,
            team.technician.id,
            json!({ "active": false }),
        )
        .await;
        assert_eq!(off.json::<Value>().await.unwrap()["active"], false);
        let on = patch_user(
            &app,
            &team.admin_token,
            team.technician.id,
            json!({ "active": true }),
        )
        .await;
        assert_eq!(on.json::<Value>().await.unwrap()["active"], true);
        app.sign_in(&team.technician.email, PASSWORD).await;
    }
);

db_test!(every_change_to_a_user_is_audited, |app| async move {
    let team = team(&app).await;
    let invited = invite(
        &app,
        &team.admin_token,
        "audited@acme-reseller.test",
        json!({}),
    )
    .await;
    let id = invited["user"]["id"].as_str().unwrap().to_owned();
    patch_user(
        &app,
        &team.admin_token,
        &id,
        json!({ "claims": ["view_customers"] }),
    )
    .await;
    patch_user(&app, &team.admin_token, &id, json!({ "active": false })).await;
    patch_user(&app, &team.admin_token, &id, json!({ "active": true })).await;
    let unchanged = patch_user(&app, &team.admin_token, &id, json!({})).await;
    assert_eq!(unchanged.status(), StatusCode::OK);
    app.delete(&format!("/api/v1/users/{id}/mfa"), &team.admin_token)
        .await;
    app.delete(&format!("/api/v1/users/{id}"), &team.admin_token)
        .await;

    let entries = all_items(&app, "/api/v1/audit-log", &team.admin_token).await;
    let target = format!("user:{id}");
    let mut actions: Vec<&str> = entries
        .iter()
        .filter(|entry| entry["target"] == target.as_str())
        .map(|entry| entry["action"].as_str().unwrap())
        .collect();
    actions.reverse();
    assert_eq!(
        actions,
        [
            "user.invite",
            "user.update",
            "user.deactivate",
            "user.reactivate",
            "user.reset_mfa",
            "user.delete"
        ]
    );
});

db_test!(another_tenants_users_are_invisible, |app| async move {
    let team = team(&app).await;
    let (_, other_admin) = app.reseller_with_admin("Bravo Reseller").await;
    let other_token = app.sign_in(&other_admin.email, PASSWORD).await;
    let listed = all_items(&app, "/api/v1/users", &other_token).await;
    assert!(
        listed
            .iter()
            .all(|user| user["id"] != team.technician.id.to_string())
    );
    for response in [
        app.get(
            &format!("/api/v1/users/{}", team.technician.id),
            &other_token,
        )
        .await,
        patch_user(
            &app,
            &other_token,
            team.technician.id,
            json!({ "active": false }),
        )
        .await,
        app.delete(
            &format!("/api/v1/users/{}", team.technician.id),
            &other_token,
        )
        .await,
    ] {
        assert_problem(response, StatusCode::NOT_FOUND, "not_found").await;
    }
});

db_test!(bad_user_input_gets_a_clear_error, |app| async move {
    let team = team(&app).await;
    let taken = app
        .post_json(
            "/api/v1/users",
            &team.admin_token,
            &json!({ "email": team.technician.email }),
        )
        .await;
    assert_problem(taken, StatusCode::CONFLICT, "email_taken").await;
    let invalid = app
        .post_json(
            "/api/v1/users",
            &team.admin_token,
            &json!({ "email": "not an address" }),
        )
        .await;
    assert_problem(
        invalid,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let long_name = patch_user(
        &app,
        &team.admin_token,
        team.technician.id,
        json!({ "display_name": "x".repeat(201) }),
    )
    .await;
    assert_problem(
        long_name,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let unknown_role = patch_user(
        &app,
        &team.admin_token,
        team.technician.id,
        json!({ "role": "owner" }),
    )
    .await;
    assert_eq!(unknown_role.status(), StatusCode::BAD_REQUEST);
    let long_q = app
        .get(
            &format!("/api/v1/users?q={}", "a".repeat(201)),
            &team.admin_token,
        )
        .await;
    assert_problem(
        long_q,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
});
