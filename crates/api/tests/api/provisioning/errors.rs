//! Bad SCIM requests get SCIM error bodies with the `scimType` RFC 7644 names, never a 500 or a
//! page of HTML; the discovery documents and paging follow the RFC.

use reqwest::{Method, StatusCode};
use serde_json::json;

use super::support::{Entra, USER_SCHEMA, assert_scim_error, entra_user, secret_token};
use crate::technicians::support::team;

db_test!(
    filters_other_than_eq_on_user_name_external_id_or_id_are_invalid_filters,
    |app| async move {
        let team = team(&app).await;
        let entra = Entra::new(&app, secret_token(&app, &team.admin_token).await);
        for filter in [
            "userName+co+%22a%22",
            "title+eq+%22x%22",
            "userName+eq+%22a%22+or+userName+eq+%22b%22",
            "userName+eq",
            "%22unclosed",
        ] {
            let answer = entra.get("/Users", &format!("filter={filter}")).await;
            assert_scim_error(&answer, StatusCode::BAD_REQUEST, Some("invalidFilter"));
        }
        let both = entra
            .get(
                "/Users",
                "filter=userName+eq+%22a%40b.test%22+and+externalId+eq+%22x%22",
            )
            .await;
        assert_eq!(both.0, StatusCode::OK);
    }
);

db_test!(
    bad_bodies_and_patches_get_the_scim_type_that_names_the_mistake,
    |app| async move {
        let team = team(&app).await;
        let entra = Entra::new(&app, secret_token(&app, &team.admin_token).await);
        let post = |body: serde_json::Value| {
            let entra = &entra;
            async move { entra.post("/Users", &body).await }
        };
        let mut unknown_role = entra_user("a@contoso.com", "a", "A A", "User");
        assert_scim_error(
            &post(unknown_role.clone()).await,
            StatusCode::BAD_REQUEST,
            Some("invalidValue"),
        );
        unknown_role["roles"] = json!([]);
        unknown_role["favouriteColour"] = json!("red");
        assert_scim_error(
            &post(unknown_role).await,
            StatusCode::BAD_REQUEST,
            Some("invalidSyntax"),
        );
        assert_scim_error(
            &post(json!({"schemas": [USER_SCHEMA], "displayName": "No Name"})).await,
            StatusCode::BAD_REQUEST,
            Some("invalidValue"),
        );
        assert_scim_error(
            &post(json!({"userName": "b@contoso.com", "active": "maybe"})).await,
            StatusCode::BAD_REQUEST,
            Some("invalidValue"),
        );
        let not_json = app
            .client
            .post(entra.url("/Users", ""))
            .bearer_auth(&entra.token)
            .header("content-type", "application/scim+json")
            .body("{\"userName\": ")
            .send()
            .await
            .unwrap();
        assert_eq!(not_json.status(), StatusCode::BAD_REQUEST);
        let too_big = app
            .client
            .post(entra.url("/Users", ""))
            .bearer_auth(&entra.token)
            .body(format!("{{\"userName\": \"{}\"}}", "x".repeat(100_000)))
            .send()
            .await
            .unwrap();
        assert_eq!(too_big.status(), StatusCode::PAYLOAD_TOO_LARGE);

        let (status, created) = post(entra_user("c@contoso.com", "c", "C C", "Admin")).await;
        assert_eq!(status, StatusCode::CREATED);
        let id = created["id"].as_str().unwrap().to_owned();
        assert_scim_error(
            &post(entra_user("C@Contoso.com", "other", "C C", "Admin")).await,
            StatusCode::CONFLICT,
            Some("uniqueness"),
        );
        assert_scim_error(
            &post(entra_user("d@contoso.com", "c", "D D", "Admin")).await,
            StatusCode::CONFLICT,
            Some("uniqueness"),
        );
        for (operations, scim_type) in [
            (
                json!([{"op": "Replace", "path": "favouriteColour", "value": "red"}]),
                "invalidPath",
            ),
            (
                json!([{"op": "Replace", "path": "emails[type eq", "value": "x"}]),
                "invalidPath",
            ),
            (
                json!([{"op": "Replace", "path": "id", "value": "x"}]),
                "mutability",
            ),
            (
                json!([{"op": "Move", "path": "displayName", "value": "x"}]),
                "invalidSyntax",
            ),
            (json!([{"op": "Remove"}]), "noTarget"),
            (
                json!([{"op": "Replace", "path": "active", "value": "perhaps"}]),
                "invalidValue",
            ),
            (
                json!([{"op": "Remove", "path": "userName"}]),
                "invalidValue",
            ),
        ] {
            let answer = entra.patch(&id, operations.clone()).await;
            assert_scim_error(&answer, StatusCode::BAD_REQUEST, Some(scim_type));
        }
        let no_operations = entra
            .send(
                Method::PATCH,
                &format!("/Users/{id}"),
                "",
                Some(&json!({"schemas": []})),
            )
            .await;
        assert_scim_error(
            &no_operations,
            StatusCode::BAD_REQUEST,
            Some("invalidSyntax"),
        );
    }
);

db_test!(
    unknown_users_paths_and_methods_and_groups_answer_with_scim_errors,
    |app| async move {
        let team = team(&app).await;
        let entra = Entra::new(&app, secret_token(&app, &team.admin_token).await);
        assert_scim_error(
            &entra.get("/Users/not-a-uuid", "").await,
            StatusCode::NOT_FOUND,
            None,
        );
        assert_scim_error(
            &entra
                .get(&format!("/Users/{}", uuid::Uuid::new_v4()), "")
                .await,
            StatusCode::NOT_FOUND,
            None,
        );
        assert_scim_error(
            &entra.get("/Groups", "").await,
            StatusCode::NOT_IMPLEMENTED,
            None,
        );
        assert_scim_error(
            &entra.post("/Groups", &json!({})).await,
            StatusCode::NOT_IMPLEMENTED,
            None,
        );
        assert_scim_error(
            &entra.get("/Nonsense", "").await,
            StatusCode::NOT_FOUND,
            None,
        );
        assert_scim_error(
            &entra
                .send(Method::POST, "/Schemas", "", Some(&json!({})))
                .await,
            StatusCode::METHOD_NOT_ALLOWED,
            None,
        );
        let anonymous = app
            .client
            .get(app.url("/scim/v2/Users"))
            .send()
            .await
            .unwrap();
        assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
        assert!(crate::helpers::content_type_of(&anonymous).starts_with("application/scim+json"));
    }
);

db_test!(
    the_discovery_documents_describe_users_only_with_patch_and_filters,
    |app| async move {
        let team = team(&app).await;
        let entra = Entra::new(&app, secret_token(&app, &team.admin_token).await);
        let (status, config) = entra.get("/ServiceProviderConfig", "").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(config["patch"]["supported"], true);
        assert_eq!(config["filter"]["supported"], true);
        assert_eq!(config["bulk"]["supported"], false);
        assert_eq!(config["etag"]["supported"], false);
        let (_, types) = entra.get("/ResourceTypes", "").await;
        assert_eq!(types["totalResults"], 1);
        assert_eq!(types["Resources"][0]["endpoint"], "/Users");
        let (_, schema) = entra.get(&format!("/Schemas/{USER_SCHEMA}"), "").await;
        let names: Vec<&str> = schema["attributes"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|attribute| attribute["name"].as_str())
            .collect();
        assert_eq!(
            names,
            [
                "userName",
                "name",
                "displayName",
                "active",
                "emails",
                "roles"
            ]
        );
    }
);

db_test!(
    listing_pages_with_start_index_and_count_over_the_whole_total,
    |app| async move {
        let team = team(&app).await;
        let entra = Entra::new(&app, secret_token(&app, &team.admin_token).await);
        for name in ["f", "g", "h"] {
            let upn = format!("{name}@contoso.com");
            let (status, _) = entra
                .post("/Users", &entra_user(&upn, name, "Some One", "Technician"))
                .await;
            assert_eq!(status, StatusCode::CREATED);
        }
        // The team's admin and technician, and the three.
        let (_, page) = entra.get("/Users", "startIndex=2&count=2").await;
        assert_eq!(page["totalResults"], 5);
        assert_eq!(page["startIndex"], 2);
        assert_eq!(page["itemsPerPage"], 2);
        let (_, all) = entra.get("/Users", "").await;
        assert_eq!(page["Resources"][0]["id"], all["Resources"][1]["id"]);
        let (_, none) = entra.get("/Users", "count=0").await;
        assert_eq!(none["totalResults"], 5);
        assert_eq!(none["Resources"], json!([]));
        let (_, beyond) = entra.get("/Users", "startIndex=99").await;
        assert_eq!(beyond["Resources"], json!([]));
        assert_scim_error(
            &entra.get("/Users", "count=many").await,
            StatusCode::BAD_REQUEST,
            Some("invalidValue"),
        );
    }
);
