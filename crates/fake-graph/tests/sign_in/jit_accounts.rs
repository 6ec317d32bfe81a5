//! Just-in-time admin accounts in a customer's tenant (SPEC §16): Graph's `POST /users`,
//! `GET|PATCH|DELETE /users/{id}` and `revokeSignInSessions`, with each error worded as Graph
//! words it, and the missing permission switch.

use msp_fake_graph::GraphPermission;
use reqwest::Method;
use serde_json::json;

use super::customer_tenant::*;
use super::*;

const DOMAIN_INVALID: &str = "The domain portion of the userPrincipalName property is invalid. \
                              You must use one of the verified domain names in your organization.";
const WEAK_PASSWORD: &str = "The specified password does not comply with password complexity \
                             requirements. Please provide a different password.";

fn delta_path(link: &str) -> String {
    Url::parse(link).unwrap()[url::Position::BeforePath..].to_owned()
}

#[tokio::test]
async fn a_created_admin_answers_201_and_appears_in_users_and_as_a_delta_change() {
    let graph = CustomerGraph::connect().await;
    let mut link = "/v1.0/users/delta".to_owned();
    let delta_link = loop {
        let (_, page) = graph.get(&link).await;
        match page["@odata.nextLink"].as_str() {
            Some(next) => link = delta_path(next),
            None => break delta_path(page["@odata.deltaLink"].as_str().unwrap()),
        }
    };

    let (status, user) = graph
        .post("/v1.0/users", new_user("msp-alex@woodgrovebank.test"))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{user}");
    assert_eq!(
        user["@odata.context"],
        "https://graph.microsoft.com/v1.0/$metadata#users/$entity"
    );
    let id = user["id"].as_str().unwrap();
    assert_eq!(id.len(), 36, "a GUID: {id}");
    assert_eq!(user["userPrincipalName"], "msp-alex@woodgrovebank.test");
    assert_eq!(user["displayName"], "MSP admin (Alex Kim)");
    assert_eq!(user["mail"], Value::Null, "no mailbox yet");
    assert!(
        user.get("accountEnabled").is_none(),
        "not a default property"
    );

    let (status, read) = graph
        .get(&format!(
            "/v1.0/users/{id}?$select=accountEnabled,mailNickname"
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{read}");
    assert_eq!(read["accountEnabled"], true);
    assert_eq!(read["mailNickname"], "msp-alex");
    let (_, by_upn) = graph.get("/v1.0/users/MSP-ALEX@woodgrovebank.test").await;
    assert_eq!(by_upn["id"], id);

    let filter = encoded(&[(
        "$filter",
        "userPrincipalName eq 'msp-alex@woodgrovebank.test'",
    )]);
    let (_, listed) = graph.get(&format!("/v1.0/users?{filter}")).await;
    assert_eq!(listed["value"][0]["id"], id, "{listed}");
    let (_, changes) = graph.get(&delta_link).await;
    assert_eq!(changes["value"].as_array().unwrap().len(), 1, "{changes}");
    assert_eq!(changes["value"][0]["id"], id);
}

#[tokio::test]
async fn a_taken_upn_answers_graphs_object_conflict_on_user_principal_name() {
    let graph = CustomerGraph::connect().await;
    let taken = graph
        .post("/v1.0/users", new_user("DANA.WHITFIELD@woodgrovebank.test"))
        .await;
    let message =
        "Another object with the same value for property userPrincipalName already exists.";
    assert_graph_error(
        &taken,
        StatusCode::BAD_REQUEST,
        "Request_BadRequest",
        message,
    );
    assert_eq!(taken.1["error"]["details"][0]["code"], "ObjectConflict");
    assert_eq!(
        taken.1["error"]["details"][0]["target"],
        "userPrincipalName"
    );

    graph.create_admin("msp-alex").await;
    let again = graph
        .post("/v1.0/users", new_user("msp-alex@woodgrovebank.test"))
        .await;
    assert_graph_error(
        &again,
        StatusCode::BAD_REQUEST,
        "Request_BadRequest",
        message,
    );
}

#[tokio::test]
async fn a_upn_outside_the_tenants_verified_managed_domains_is_refused_as_graph_words_it() {
    let graph = CustomerGraph::connect().await;
    for (upn, message) in [
        ("msp-alex@new.woodgrovebank.test", DOMAIN_INVALID),
        ("msp-alex@demo-reseller.test", DOMAIN_INVALID),
        ("msp-alex@nowhere.test", DOMAIN_INVALID),
        (
            "msp-alex@sso.woodgrovebank.test",
            "One or more properties contains invalid values.",
        ),
        (
            "msp-alex.woodgrovebank.test",
            "Property userPrincipalName is invalid.",
        ),
    ] {
        let refused = graph.post("/v1.0/users", new_user(upn)).await;
        assert_graph_error(
            &refused,
            StatusCode::BAD_REQUEST,
            "Request_BadRequest",
            message,
        );
    }
    let refused = graph
        .post("/v1.0/users", new_user("msp-alex@nowhere.test"))
        .await;
    assert_eq!(
        refused.1["error"]["details"][0]["target"],
        "userPrincipalName"
    );
    let (status, _) = graph
        .post(
            "/v1.0/users",
            new_user("msp-alex@woodgrovebank.onmicrosoft.com"),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "the initial domain is verified"
    );
}

#[tokio::test]
async fn a_password_failing_entras_complexity_is_refused_with_graphs_message() {
    let graph = CustomerGraph::connect().await;
    for weak in ["Sh0rt!", "alllowercase1", "NOLOWER!!!", "Pässw0rd!x"] {
        let mut user = new_user("msp-alex@woodgrovebank.test");
        user["passwordProfile"]["password"] = json!(weak);
        let refused = graph.post("/v1.0/users", user).await;
        assert_graph_error(
            &refused,
            StatusCode::BAD_REQUEST,
            "Request_BadRequest",
            WEAK_PASSWORD,
        );
    }
}

#[tokio::test]
async fn a_create_missing_a_required_property_or_not_json_is_a_bad_request() {
    let graph = CustomerGraph::connect().await;
    for property in [
        "accountEnabled",
        "displayName",
        "mailNickname",
        "passwordProfile",
    ] {
        let mut user = new_user("msp-alex@woodgrovebank.test");
        user.as_object_mut().unwrap().remove(property);
        let refused = graph.post("/v1.0/users", user).await;
        assert_graph_error(
            &refused,
            StatusCode::BAD_REQUEST,
            "Request_BadRequest",
            &format!("A value is required for property '{property}' of resource 'User'."),
        );
    }
    let mut user = new_user("msp-alex@woodgrovebank.test");
    user["mailNickname"] = json!("msp alex");
    let (status, _) = graph.post("/v1.0/users", user).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let broken = answer(
        graph
            .request(Method::POST, "/v1.0/users")
            .header(header::CONTENT_TYPE, "application/json")
            .body("{\"accountEnabled\": tru"),
    )
    .await;
    assert_eq!(broken.0, StatusCode::BAD_REQUEST);
    assert_eq!(broken.1["error"]["code"], "BadRequest");
}

#[tokio::test]
async fn patch_disables_and_renames_a_user_and_an_unknown_id_is_resource_not_found() {
    let graph = CustomerGraph::connect().await;
    let id = graph.create_admin("msp-alex").await;
    let (status, body) = graph
        .patch(
            &format!("/v1.0/users/{id}"),
            json!({ "accountEnabled": false, "displayName": "MSP admin (expired)" }),
        )
        .await;
    assert_eq!((status, body), (StatusCode::NO_CONTENT, Value::Null));
    let (_, read) = graph
        .get(&format!(
            "/v1.0/users/{id}?$select=displayName,accountEnabled"
        ))
        .await;
    assert_eq!(read["accountEnabled"], false);
    assert_eq!(read["displayName"], "MSP admin (expired)");
    assert!(!graph.fake().entra().account(&id).unwrap().account_enabled);

    let unknown = "00000000-0000-4000-8000-000000000001";
    for answer in [
        graph
            .patch(
                &format!("/v1.0/users/{unknown}"),
                json!({ "accountEnabled": false }),
            )
            .await,
        graph.get(&format!("/v1.0/users/{unknown}")).await,
    ] {
        assert_not_found(&answer, unknown);
    }
}

#[tokio::test]
async fn delete_removes_the_user_and_a_second_delete_is_resource_not_found() {
    let graph = CustomerGraph::connect().await;
    let id = graph.create_admin("msp-alex").await;
    assert_eq!(
        graph.delete(&format!("/v1.0/users/{id}")).await,
        (StatusCode::NO_CONTENT, Value::Null)
    );
    assert!(graph.fake().entra().account(&id).is_none());
    let again = graph.delete(&format!("/v1.0/users/{id}")).await;
    assert_not_found(&again, &id);
    let (status, _) = graph.get(&format!("/v1.0/users/{id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // A deleted user's UPN is free again, as in Entra.
    graph.create_admin("msp-alex").await;
}

#[tokio::test]
async fn revoke_sign_in_sessions_answers_true_and_is_recorded() {
    let graph = CustomerGraph::connect().await;
    let id = graph.create_admin("msp-alex").await;
    let revoked = graph
        .call(
            Method::POST,
            &format!("/v1.0/users/{id}/revokeSignInSessions"),
            None,
        )
        .await;
    assert_eq!(
        revoked,
        (
            StatusCode::OK,
            json!({
                "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#Edm.Boolean",
                "value": true,
            })
        )
    );
    assert_eq!(graph.fake().entra().revoked_sessions(), vec![id]);
    let unknown = "00000000-0000-4000-8000-000000000002";
    let missing = graph
        .call(
            Method::POST,
            &format!("/v1.0/users/{unknown}/revokeSignInSessions"),
            None,
        )
        .await;
    assert_not_found(&missing, unknown);
}

#[tokio::test]
async fn without_user_readwrite_all_account_changes_are_denied_but_reads_still_answer() {
    let graph = CustomerGraph::connect().await;
    let id = graph.create_admin("msp-alex").await;
    let faults = graph.fake().faults();
    faults.deny_graph_permission(GraphPermission::UserReadWriteAll, true);
    let user_path = format!("/v1.0/users/{id}");
    let revoke_path = format!("{user_path}/revokeSignInSessions");
    for denied in [
        graph
            .post("/v1.0/users", new_user("msp-jordan@woodgrovebank.test"))
            .await,
        graph
            .patch(&user_path, json!({ "accountEnabled": false }))
            .await,
        graph.call(Method::POST, &revoke_path, None).await,
        graph.delete(&user_path).await,
    ] {
        assert_denied(&denied);
    }
    assert_eq!(graph.get(&user_path).await.0, StatusCode::OK);
    faults.deny_graph_permission(GraphPermission::UserReadWriteAll, false);
    assert_eq!(graph.delete(&user_path).await.0, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn a_customer_tenants_token_neither_sees_nor_changes_another_tenants_users() {
    let graph = CustomerGraph::connect().await;
    let foreign = graph.get(&format!("/v1.0/users/{SAM_OID}")).await;
    assert_not_found(&foreign, SAM_OID);
    let (status, _) = graph.delete(&format!("/v1.0/users/{SAM_OID}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(graph.fake().entra().account(SAM_OID).is_some());
    let (status, _) = graph.get(&format!("/v1.0/users/{DANA}")).await;
    assert_eq!(status, StatusCode::OK);
}
