//! Settings → User Management → SSO (SPEC §13): the Tenant URL and a secret token shown once,
//! stored hashed, rotated (the old token stops at once) and revoked; the provisioning log.

use reqwest::StatusCode;
use serde_json::json;

use super::support::{Entra, assert_scim_error, secret_token};
use crate::technicians::support::team;

db_test!(
    the_secret_token_is_shown_once_and_the_settings_show_only_its_prefix_and_last_use,
    |app| async move {
        let team = team(&app).await;
        let (status, before) = app
            .get_json("/api/v1/settings/scim", &team.admin_token)
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            before,
            json!({ "tenant_url": app.url("/scim/v2"), "token": null })
        );
        let token = secret_token(&app, &team.admin_token).await;
        assert!(token.starts_with("scim_"), "{token}");
        let (_, settings) = app
            .get_json("/api/v1/settings/scim", &team.admin_token)
            .await;
        assert_eq!(settings["token"]["prefix"], token[..12]);
        assert!(settings["token"]["last_used_at"].is_null());
        assert!(!settings.to_string().contains(&token));
        let entra = Entra::new(&app, token);
        assert_eq!(entra.get("/Users", "").await.0, StatusCode::OK);
        let (_, settings) = app
            .get_json("/api/v1/settings/scim", &team.admin_token)
            .await;
        assert!(settings["token"]["last_used_at"].is_string(), "{settings}");
    }
);

db_test!(
    rotating_the_secret_token_stops_the_old_one_at_once_and_revoking_stops_provisioning,
    |app| async move {
        let team = team(&app).await;
        let old = Entra::new(&app, secret_token(&app, &team.admin_token).await);
        assert_eq!(old.get("/Users", "").await.0, StatusCode::OK);
        let new = Entra::new(&app, secret_token(&app, &team.admin_token).await);
        assert_scim_error(&old.get("/Users", "").await, StatusCode::UNAUTHORIZED, None);
        assert_eq!(new.get("/Users", "").await.0, StatusCode::OK);
        let revoked = app
            .delete("/api/v1/settings/scim-token", &team.admin_token)
            .await;
        assert_eq!(revoked.status(), StatusCode::NO_CONTENT);
        assert_scim_error(&new.get("/Users", "").await, StatusCode::UNAUTHORIZED, None);
        let (_, settings) = app
            .get_json("/api/v1/settings/scim", &team.admin_token)
            .await;
        assert!(settings["token"].is_null());
        let actions: Vec<String> =
            app.get_json("/api/v1/audit-log", &team.admin_token).await.1["items"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|entry| entry["action"].as_str())
                .filter(|action| action.starts_with("scim_token."))
                .map(str::to_owned)
                .collect();
        assert_eq!(
            actions,
            [
                "scim_token.revoke",
                "scim_token.rotate",
                "scim_token.create"
            ]
        );
    }
);

db_test!(
    an_api_token_or_a_session_is_not_a_scim_token_and_a_scim_token_opens_no_other_api,
    |app| async move {
        let team = team(&app).await;
        let scim = secret_token(&app, &team.admin_token).await;
        let as_session = Entra::new(&app, team.admin_token.clone());
        assert_scim_error(
            &as_session.get("/Users", "").await,
            StatusCode::UNAUTHORIZED,
            None,
        );
        let response = app.get("/api/v1/users", &scim).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
);

db_test!(
    only_admins_see_or_change_the_sso_settings,
    |app| async move {
        let team = team(&app).await;
        let token = &team.technician_token;
        for (method, path) in [
            (reqwest::Method::GET, "/api/v1/settings/scim"),
            (reqwest::Method::POST, "/api/v1/settings/scim-token"),
            (reqwest::Method::DELETE, "/api/v1/settings/scim-token"),
            (reqwest::Method::GET, "/api/v1/settings/scim/calls"),
        ] {
            let response = app
                .client
                .request(method.clone(), app.url(path))
                .bearer_auth(token)
                .send()
                .await
                .unwrap();
            crate::helpers::assert_problem(response, StatusCode::FORBIDDEN, "forbidden").await;
        }
    }
);

db_test!(
    the_provisioning_log_lists_entras_calls_newest_first_with_their_answers,
    |app| async move {
        let team = team(&app).await;
        let entra = Entra::new(&app, secret_token(&app, &team.admin_token).await);
        entra.lookup("userName", "nobody@contoso.com").await;
        let refused = entra.get("/Users", "filter=title+eq+%22x%22").await;
        assert_eq!(refused.0, StatusCode::BAD_REQUEST);
        let (status, calls) = app
            .get_json("/api/v1/settings/scim/calls", &team.admin_token)
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(calls["total"], 2);
        let newest = &calls["items"][0];
        assert_eq!(newest["method"], "GET");
        assert_eq!(newest["status"], 400);
        assert!(
            newest["path"]
                .as_str()
                .unwrap()
                .starts_with("/scim/v2/Users?filter=")
        );
        assert!(
            newest["detail"].as_str().unwrap().contains("title"),
            "{newest}"
        );
        assert_eq!(calls["items"][1]["status"], 200);
        assert!(calls["items"][1]["detail"].is_null());
    }
);
