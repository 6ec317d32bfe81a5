//! What provisioning does to the product (SPEC §12, §13): deactivation ends sessions and stops
//! API tokens at the next request, the last active admin is kept, and a token reaches its own
//! tenant's users only.

use reqwest::{Method, StatusCode};
use serde_json::json;

use super::support::{Entra, assert_scim_error, entra_user, secret_token, user_in_product};
use crate::{helpers::PASSWORD, technicians::support::team};

db_test!(
    deactivating_a_matched_account_through_scim_ends_its_sessions_and_stops_its_api_tokens,
    |app| async move {
        let team = team(&app).await;
        let api_token = app
            .post_json(
                "/api/v1/api-tokens",
                &team.technician_token,
                &json!({ "name": "script" }),
            )
            .await
            .json::<serde_json::Value>()
            .await
            .unwrap()["token"]
            .as_str()
            .unwrap()
            .to_owned();
        assert_eq!(
            app.get("/api/v1/me", &api_token).await.status(),
            StatusCode::OK
        );
        let entra = Entra::new(&app, secret_token(&app, &team.admin_token).await);
        // Entra matches the existing account by its userName instead of creating one.
        let found = entra.lookup("userName", &team.technician.email).await;
        assert_eq!(found["totalResults"], 1);
        let id = found["Resources"][0]["id"].as_str().unwrap().to_owned();
        let (status, _) = entra
            .patch(
                &id,
                json!([{"op": "Replace", "path": "active", "value": "False"}]),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            app.get("/api/v1/me", &team.technician_token).await.status(),
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            app.get("/api/v1/me", &api_token).await.status(),
            StatusCode::UNAUTHORIZED
        );
        let signed_in = app.login(&team.technician.email, PASSWORD).await;
        assert_eq!(signed_in.status(), StatusCode::FORBIDDEN);
        let (status, _) = entra
            .patch(
                &id,
                json!([{"op": "Replace", "path": "active", "value": "True"}]),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            app.get("/api/v1/me", &api_token).await.status(),
            StatusCode::OK
        );
    }
);

db_test!(
    another_tenants_token_neither_sees_nor_changes_this_tenants_users,
    |app| async move {
        let alpha = team(&app).await;
        let (_, bravo_admin) = app.reseller_with_admin("Bravo Reseller").await;
        let bravo_token = app.sign_in(&bravo_admin.email, PASSWORD).await;
        let alpha_entra = Entra::new(&app, secret_token(&app, &alpha.admin_token).await);
        let bravo_entra = Entra::new(&app, secret_token(&app, &bravo_token).await);
        let (_, created) = alpha_entra
            .post(
                "/Users",
                &entra_user("carol@alpha.test", "c4r0l", "Carol Diaz", "Admin"),
            )
            .await;
        let id = created["id"].as_str().unwrap().to_owned();
        let path = format!("/Users/{id}");

        assert_scim_error(
            &bravo_entra.get(&path, "").await,
            StatusCode::NOT_FOUND,
            None,
        );
        assert_eq!(
            bravo_entra.lookup("userName", "carol@alpha.test").await["totalResults"],
            0
        );
        assert_eq!(
            bravo_entra.lookup("externalId", "c4r0l").await["totalResults"],
            0
        );
        assert_eq!(bravo_entra.lookup("id", &id).await["totalResults"], 0);
        let everyone = bravo_entra.get("/Users", "count=200").await.1.to_string();
        assert!(
            !everyone.contains(&id) && !everyone.contains("alpha.test"),
            "{everyone}"
        );
        let patched = bravo_entra
            .patch(
                &id,
                json!([{"op": "replace", "path": "active", "value": false}]),
            )
            .await;
        assert_scim_error(&patched, StatusCode::NOT_FOUND, None);
        let replaced = bravo_entra
            .send(
                Method::PUT,
                &path,
                "",
                Some(&entra_user("x@bravo.test", "x", "X", "Admin")),
            )
            .await;
        assert_scim_error(&replaced, StatusCode::NOT_FOUND, None);
        assert_eq!(bravo_entra.delete(&id).await, StatusCode::NOT_FOUND);

        let untouched = user_in_product(&app, &alpha.admin_token, &id).await;
        assert_eq!(untouched["active"], true);
        assert_eq!(untouched["email"], "carol@alpha.test");
    }
);

db_test!(
    provisioning_keeps_the_tenants_last_active_admin,
    |app| async move {
        let team = team(&app).await;
        let entra = Entra::new(&app, secret_token(&app, &team.admin_token).await);
        let admin_id = team.admin.id.to_string();
        let disable = json!([{"op": "Replace", "path": "active", "value": "False"}]);
        assert_scim_error(
            &entra.patch(&admin_id, disable.clone()).await,
            StatusCode::BAD_REQUEST,
            Some("mutability"),
        );
        let demote = json!([{"op": "Add", "path": "roles[primary eq \"True\"].value", "value": "Technician"}]);
        assert_scim_error(
            &entra.patch(&admin_id, demote).await,
            StatusCode::BAD_REQUEST,
            Some("mutability"),
        );
        let deleted = entra
            .send(Method::DELETE, &format!("/Users/{admin_id}"), "", None)
            .await;
        assert_scim_error(&deleted, StatusCode::BAD_REQUEST, Some("mutability"));
        assert_eq!(
            user_in_product(&app, &team.admin_token, &admin_id).await["active"],
            true
        );

        // With a second admin from Entra (who signs in with Microsoft), the first may go.
        let (status, _) = entra
            .post(
                "/Users",
                &entra_user("dana@acme-reseller.test", "d4n4", "Dana Lee", "Admin"),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED);
        let (status, after) = entra.patch(&admin_id, disable).await;
        assert_eq!(status, StatusCode::OK, "{after}");
        assert_eq!(after["active"], false);
    }
);

db_test!(
    the_users_page_lists_provisioned_users_with_their_source_and_provisioning_time,
    |app| async move {
        let team = team(&app).await;
        let entra = Entra::new(&app, secret_token(&app, &team.admin_token).await);
        entra
            .post(
                "/Users",
                &entra_user("erin@acme-reseller.test", "e", "Erin Fox", "Technician"),
            )
            .await;
        let (status, page) = app
            .get_json("/api/v1/users?q=erin", &team.admin_token)
            .await;
        assert_eq!(status, StatusCode::OK);
        let erin = &page["items"][0];
        assert_eq!(erin["source"], "scim");
        assert_eq!(erin["display_name"], "Erin Fox");
        assert!(erin["provisioned_at"].is_string());
        let (_, local) = app
            .get_json("/api/v1/users?q=tech@", &team.admin_token)
            .await;
        assert_eq!(local["items"][0]["source"], "local");
        assert!(local["items"][0]["provisioned_at"].is_null());
    }
);
