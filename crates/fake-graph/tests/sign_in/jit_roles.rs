//! Directory roles for just-in-time admins (SPEC §16): Entra's built-in role definitions under
//! their real template IDs, role assignments with Graph's errors, the faults Graph produces
//! without bad input (throttling, cut connections, replication delay, missing permission), and
//! the call log an expiry test reads the teardown's order from.

use msp_fake_graph::GraphPermission;
use reqwest::Method;
use serde_json::json;

use super::customer_tenant::*;
use super::*;

const ASSIGNMENTS: &str = "/v1.0/roleManagement/directory/roleAssignments";
const CONFLICT: &str = "A conflicting object with one or more of the specified property values is present in the directory.";

#[tokio::test]
async fn built_in_role_definitions_carry_entras_real_template_ids() {
    let graph = CustomerGraph::connect().await;
    let filter = encoded(&[("$filter", "isBuiltIn eq true")]);
    let (status, roles) = graph
        .get(&format!(
            "/v1.0/roleManagement/directory/roleDefinitions?{filter}"
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{roles}");
    assert_eq!(
        roles["@odata.context"],
        "https://graph.microsoft.com/v1.0/$metadata#roleManagement/directory/roleDefinitions"
    );
    let listed = roles["value"].as_array().unwrap();
    for (name, template_id) in [
        ("Global Administrator", GLOBAL_ADMINISTRATOR),
        ("User Administrator", USER_ADMINISTRATOR),
        (
            "Helpdesk Administrator",
            "729827e3-9c14-49f7-bb1b-9608f156bbb8",
        ),
        (
            "Exchange Administrator",
            "29232cdf-9323-42fd-ade2-1d097af3e4de",
        ),
        (
            "SharePoint Administrator",
            "f28a1f50-f6e7-4571-818b-6a12f2af6b6c",
        ),
        (
            "Intune Administrator",
            "3a2c62db-5318-420d-8d74-23affee5d9d5",
        ),
        (
            "Security Administrator",
            "194ae4cb-b126-40b2-bd5b-6091b380977d",
        ),
        ("Global Reader", "f2ef992c-3afb-46b9-b7cf-a126ee74c451"),
        (
            "Cloud Device Administrator",
            "7698a772-787b-4ac8-901f-60d6b08affd2",
        ),
        (
            "Authentication Administrator",
            "c4e39bd9-1100-46d3-8c65-fb160da0071f",
        ),
        (
            "Billing Administrator",
            "b0f54661-2d74-4c50-afa3-1ec803f12efe",
        ),
        (
            "Teams Administrator",
            "69091246-20e8-4a56-aa4d-066075b2a7a8",
        ),
    ] {
        let role = listed
            .iter()
            .find(|role| role["displayName"] == name)
            .unwrap_or_else(|| panic!("{name} missing from {roles}"));
        assert_eq!(role["id"], template_id);
        assert_eq!(role["templateId"], template_id);
        assert_eq!(role["isBuiltIn"], true);
        assert_eq!(role["isEnabled"], true);
        assert!(
            role["description"]
                .as_str()
                .is_some_and(|text| !text.is_empty())
        );
    }
    let (_, all) = graph
        .get("/v1.0/roleManagement/directory/roleDefinitions")
        .await;
    assert_eq!(all["value"], roles["value"]);
    let none = encoded(&[("$filter", "isBuiltIn eq false")]);
    let (_, custom) = graph
        .get(&format!(
            "/v1.0/roleManagement/directory/roleDefinitions?{none}"
        ))
        .await;
    assert_eq!(custom["value"], json!([]));

    let (status, one) = graph
        .get(&format!(
            "/v1.0/roleManagement/directory/roleDefinitions/{USER_ADMINISTRATOR}"
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(one["displayName"], "User Administrator");
    let unknown = "00000000-0000-4000-8000-00000000000a";
    let missing = graph
        .get(&format!(
            "/v1.0/roleManagement/directory/roleDefinitions/{unknown}"
        ))
        .await;
    assert_not_found(&missing, unknown);
}

#[tokio::test]
async fn a_role_assignment_lists_by_principal_a_repeat_conflicts_and_a_delete_removes_it() {
    let graph = CustomerGraph::connect().await;
    let admin = graph.create_admin("msp-alex").await;
    let (status, created) = graph
        .post(ASSIGNMENTS, assignment(GLOBAL_ADMINISTRATOR, &admin))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(
        created["@odata.context"],
        "https://graph.microsoft.com/v1.0/$metadata#roleManagement/directory/roleAssignments/$entity"
    );
    let id = created["id"].as_str().unwrap().to_owned();
    assert!(id.ends_with("-1") && id.len() == 45, "Graph-shaped: {id}");
    assert_eq!(created["principalId"], admin.as_str());
    assert_eq!(created["roleDefinitionId"], GLOBAL_ADMINISTRATOR);
    assert_eq!(created["directoryScopeId"], "/");

    let repeat = graph
        .post(ASSIGNMENTS, assignment(GLOBAL_ADMINISTRATOR, &admin))
        .await;
    assert_graph_error(
        &repeat,
        StatusCode::BAD_REQUEST,
        "Request_BadRequest",
        CONFLICT,
    );
    graph.assign(USER_ADMINISTRATOR, DANA).await;
    let filter = encoded(&[("$filter", format!("principalId eq '{admin}'"))]);
    let (status, listed) = graph.get(&format!("{ASSIGNMENTS}?{filter}")).await;
    assert_eq!(status, StatusCode::OK, "{listed}");
    assert_eq!(listed["value"].as_array().unwrap().len(), 1, "{listed}");
    assert_eq!(listed["value"][0]["id"], id.as_str());
    assert_eq!(
        graph.fake().entra().roles_of(&admin),
        vec![GLOBAL_ADMINISTRATOR]
    );

    assert_eq!(
        graph.delete(&format!("{ASSIGNMENTS}/{id}")).await,
        (StatusCode::NO_CONTENT, Value::Null)
    );
    let again = graph.delete(&format!("{ASSIGNMENTS}/{id}")).await;
    assert_not_found(&again, &id);
    assert!(graph.fake().entra().roles_of(&admin).is_empty());
}

#[tokio::test]
async fn an_unknown_role_or_principal_is_resource_not_found_naming_it() {
    let graph = CustomerGraph::connect().await;
    let unknown_role = "00000000-0000-4000-8000-00000000000b";
    let role = graph
        .post(ASSIGNMENTS, assignment(unknown_role, DANA))
        .await;
    assert_not_found(&role, unknown_role);
    // Another tenant's user is no principal here.
    let principal = graph
        .post(ASSIGNMENTS, assignment(USER_ADMINISTRATOR, SAM_OID))
        .await;
    assert_not_found(&principal, SAM_OID);
}

#[tokio::test]
async fn a_user_created_moments_before_is_not_found_until_the_directory_replicates_it() {
    let graph = CustomerGraph::connect().await;
    let admin = graph.create_admin("msp-alex").await;
    graph.fake().faults().principal_not_found_next(1);
    let early = graph
        .post(ASSIGNMENTS, assignment(USER_ADMINISTRATOR, &admin))
        .await;
    assert_not_found(&early, &admin);
    graph.assign(USER_ADMINISTRATOR, &admin).await;
}

#[tokio::test]
async fn without_role_management_permission_assignments_are_denied() {
    let graph = CustomerGraph::connect().await;
    let id = graph.assign(USER_ADMINISTRATOR, DANA).await;
    let faults = graph.fake().faults();
    faults.deny_graph_permission(GraphPermission::RoleManagementReadWriteDirectory, true);
    for denied in [
        graph
            .post(ASSIGNMENTS, assignment(GLOBAL_ADMINISTRATOR, DANA))
            .await,
        graph.delete(&format!("{ASSIGNMENTS}/{id}")).await,
    ] {
        assert_denied(&denied);
    }
    assert_eq!(
        graph.fake().entra().roles_of(DANA),
        vec![USER_ADMINISTRATOR]
    );
}

#[tokio::test]
async fn throttling_outages_and_cut_connections_reach_these_endpoints_and_are_logged() {
    let graph = CustomerGraph::connect().await;
    let faults = graph.fake().faults();
    faults.throttle_next(1, Some(7));
    let response = graph
        .request(Method::POST, "/v1.0/users")
        .header(header::CONTENT_TYPE, "application/json")
        .body(new_user("msp-alex@woodgrovebank.test").to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(response.headers()[header::RETRY_AFTER], "7");
    faults.unavailable_next(1);
    let (status, _) = graph.get(&format!("/v1.0/users/{DANA}")).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);

    faults.drop_next(1);
    let cut = graph
        .request(Method::GET, &format!("/v1.0/users/{DANA}"))
        .send()
        .await;
    assert!(
        match cut {
            Ok(response) => response.bytes().await.is_err(),
            Err(_) => true,
        },
        "the answer was cut"
    );
    // The create went through although its answer was lost: a retry meets its own success.
    faults.drop_answer_next(1);
    let lost = graph
        .request(Method::POST, "/v1.0/users")
        .header(header::CONTENT_TYPE, "application/json")
        .body(new_user("msp-alex@woodgrovebank.test").to_string())
        .send()
        .await;
    assert!(match lost {
        Ok(response) => response.bytes().await.is_err(),
        Err(_) => true,
    });
    let retry = graph
        .post("/v1.0/users", new_user("msp-alex@woodgrovebank.test"))
        .await;
    assert_eq!(retry.1["error"]["details"][0]["code"], "ObjectConflict");

    let log: Vec<String> = graph
        .fake()
        .entra()
        .calls()
        .iter()
        .map(ToString::to_string)
        .collect();
    let user = format!("/v1.0/users/{DANA}");
    assert_eq!(
        log,
        vec![
            "POST /v1.0/users -> 429".to_owned(),
            format!("GET {user} -> 503"),
            format!("GET {user} -> connection cut"),
            "POST /v1.0/users -> connection cut".to_owned(),
            "POST /v1.0/users -> 400".to_owned(),
        ]
    );
}

#[tokio::test]
async fn an_expired_admins_teardown_is_logged_disable_revoke_unassign_delete_in_order() {
    let graph = CustomerGraph::connect().await;
    let admin = graph.create_admin("msp-alex").await;
    let first = graph.assign(GLOBAL_ADMINISTRATOR, &admin).await;
    let second = graph.assign(USER_ADMINISTRATOR, &admin).await;
    let before = graph.fake().entra().calls().len();

    let user = format!("/v1.0/users/{admin}");
    let (status, _) = graph.patch(&user, json!({ "accountEnabled": false })).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let revoke = format!("{user}/revokeSignInSessions");
    assert_eq!(
        graph.call(Method::POST, &revoke, None).await.0,
        StatusCode::OK
    );
    for id in [&first, &second] {
        assert_eq!(
            graph.delete(&format!("{ASSIGNMENTS}/{id}")).await.0,
            StatusCode::NO_CONTENT
        );
    }
    assert_eq!(graph.delete(&user).await.0, StatusCode::NO_CONTENT);

    let teardown: Vec<String> = graph.fake().entra().calls()[before..]
        .iter()
        .map(|call| call.request_line())
        .collect();
    assert_eq!(
        teardown,
        vec![
            format!("PATCH {user}"),
            format!("POST {revoke}"),
            format!("DELETE {ASSIGNMENTS}/{first}"),
            format!("DELETE {ASSIGNMENTS}/{second}"),
            format!("DELETE {user}"),
        ]
    );
    assert_eq!(graph.fake().entra().revoked_sessions(), vec![admin.clone()]);
    assert!(graph.fake().entra().account(&admin).is_none());
}
