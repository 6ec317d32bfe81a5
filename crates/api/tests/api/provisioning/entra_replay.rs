//! Entra's provisioning service, replayed request by request in both of its dialects (SPEC §13):
//! Test Connection, create with a role, update the display name, disable, re-enable, change the
//! role, delete. The default dialect capitalises ops and sends `active` as `"False"`; the Tenant
//! URL's `?aadOptscim062020` flag makes it send lower-case ops, booleans and path-less replaces.

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::support::{Entra, entra_user, secret_token, user_in_product};
use crate::{helpers::TestApp, technicians::support::team};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Dialect {
    Default,
    Compliant,
}

impl Dialect {
    fn op(self, op: &str) -> String {
        match self {
            Self::Default => {
                let mut chars = op.chars();
                chars
                    .next()
                    .map(|first| first.to_uppercase().chain(chars).collect())
                    .unwrap_or_default()
            }
            Self::Compliant => op.to_owned(),
        }
    }

    fn active(self, active: bool) -> Value {
        match (self, active) {
            (Self::Default, true) => json!("True"),
            (Self::Default, false) => json!("False"),
            (Self::Compliant, active) => json!(active),
        }
    }
}

async fn audit_actions(app: &TestApp, admin_token: &str, user_id: &str) -> Vec<(String, String)> {
    let (status, page) = app
        .get_json("/api/v1/audit-log?per_page=100", admin_token)
        .await;
    assert_eq!(status, StatusCode::OK);
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|entry| entry["target"] == format!("user:{user_id}"))
        .map(|entry| {
            (
                entry["action"].as_str().unwrap().to_owned(),
                entry["source"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

async fn replay_a_technicians_lifecycle(app: &TestApp, dialect: Dialect) {
    let team = team(app).await;
    let token = secret_token(app, &team.admin_token).await;
    let entra = match dialect {
        Dialect::Default => Entra::new(app, token),
        Dialect::Compliant => Entra::new(app, token).with_flag(),
    };

    // Test Connection: a random GUID as the userName finds nobody.
    let test_connection = entra
        .lookup("userName", "7d420df3-9995-4831-a406-ecf8166f5f6a")
        .await;
    assert_eq!(test_connection["totalResults"], 0);
    assert_eq!(test_connection["Resources"], json!([]));

    // Create with a role: the lookup by the matching attribute, then the POST.
    let upn = "Alice.Smith@Contoso.com";
    let object_id = "0a8c6f3e-1d2b-4c5d-9e8f-7a6b5c4d3e2f";
    assert_eq!(entra.lookup("userName", upn).await["totalResults"], 0);
    let (status, created) = entra
        .post(
            "/Users",
            &entra_user(upn, object_id, "Alice Smith", "Admin"),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(created["userName"], "alice.smith@contoso.com");
    assert_eq!(created["externalId"], object_id);
    assert_eq!(created["roles"][0]["value"], "Admin");
    assert_eq!(
        created["meta"]["location"],
        app.url(&format!("/scim/v2/Users/{id}"))
    );
    let product = user_in_product(app, &team.admin_token, &id).await;
    assert_eq!(product["source"], "scim");
    assert_eq!(product["role"], "admin");
    assert_eq!(product["external_id"], object_id);
    assert_eq!(product["invitation_pending"], false);
    assert!(product["provisioned_at"].is_string());
    // No password: it signs in with Microsoft only.
    assert_eq!(
        app.login("alice.smith@contoso.com", "a-guessed-password")
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );

    // Before each update Entra looks the user up again and compares.
    let found = entra.lookup("userName", upn).await;
    assert_eq!(found["totalResults"], 1);
    assert_eq!(found["Resources"][0]["id"], id.as_str());
    assert_eq!(
        entra.lookup("externalId", object_id).await["totalResults"],
        1
    );

    // Update the display name.
    let rename = match dialect {
        Dialect::Default => {
            json!([{"op": "Replace", "path": "displayName", "value": "Alice Jones"}])
        }
        Dialect::Compliant => json!([{"op": "replace", "value": {
            "displayName": "Alice Jones",
            "name.familyName": "Jones",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber": "42"
        }}]),
    };
    let (status, renamed) = entra.patch(&id, rename).await;
    assert_eq!(status, StatusCode::OK, "{renamed}");
    assert_eq!(renamed["displayName"], "Alice Jones");
    assert_eq!(
        user_in_product(app, &team.admin_token, &id).await["display_name"],
        "Alice Jones"
    );

    // Disable: the user stays readable, inactive.
    let disable =
        json!([{"op": dialect.op("replace"), "path": "active", "value": dialect.active(false)}]);
    let (status, disabled) = entra.patch(&id, disable).await;
    assert_eq!(status, StatusCode::OK, "{disabled}");
    assert_eq!(disabled["active"], false);
    assert_eq!(
        entra.lookup("userName", upn).await["Resources"][0]["active"],
        false
    );
    assert_eq!(
        user_in_product(app, &team.admin_token, &id).await["active"],
        false
    );

    // Re-enable.
    let enable =
        json!([{"op": dialect.op("replace"), "path": "active", "value": dialect.active(true)}]);
    let (status, enabled) = entra.patch(&id, enable).await;
    assert_eq!(status, StatusCode::OK, "{enabled}");
    assert_eq!(enabled["active"], true);

    // Change the role through the primary role's value.
    let demote = json!([{"op": dialect.op("add"), "path": "roles[primary eq \"True\"].value", "value": "Technician"}]);
    let (status, demoted) = entra.patch(&id, demote).await;
    assert_eq!(status, StatusCode::OK, "{demoted}");
    assert_eq!(demoted["roles"][0]["value"], "Technician");
    assert_eq!(demoted["roles"][0]["primary"], true);
    assert_eq!(
        user_in_product(app, &team.admin_token, &id).await["role"],
        "technician"
    );

    // Delete: 204, then the user is gone.
    assert_eq!(entra.delete(&id).await, StatusCode::NO_CONTENT);
    let (status, _) = entra.get(&format!("/Users/{id}"), "").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(entra.lookup("userName", upn).await["totalResults"], 0);
    let (status, _) = app
        .get_json(&format!("/api/v1/users/{id}"), &team.admin_token)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let actions = audit_actions(app, &team.admin_token, &id).await;
    let scim = |action: &str| (action.to_owned(), "scim".to_owned());
    // Newest first.
    assert_eq!(
        actions,
        vec![
            scim("user.delete"),
            scim("user.update"),
            scim("user.reactivate"),
            scim("user.deactivate"),
            scim("user.update"),
            scim("user.provision"),
        ]
    );
}

db_test!(
    entras_default_dialect_provisions_a_technician_from_test_connection_to_deletion,
    |app| async move {
        replay_a_technicians_lifecycle(&app, Dialect::Default).await;
    }
);

db_test!(
    entras_compliant_dialect_provisions_a_technician_from_test_connection_to_deletion,
    |app| async move {
        replay_a_technicians_lifecycle(&app, Dialect::Compliant).await;
    }
);

fn sorted(claims: &Value) -> Vec<String> {
    let mut claims: Vec<String> = claims
        .as_array()
        .unwrap()
        .iter()
        .map(|claim| claim.as_str().unwrap().to_owned())
        .collect();
    claims.sort();
    claims
}

db_test!(
    a_user_created_without_a_role_is_a_technician_with_reading_claims_and_one_made_admin_gains_all,
    |app| async move {
        let team = team(&app).await;
        let entra = Entra::new(&app, secret_token(&app, &team.admin_token).await);
        let mut body = entra_user("bob@contoso.com", "b0b", "Bob Brown", "Technician");
        body["roles"] = json!([]);
        let (status, created) = entra.post("/Users", &body).await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        let id = created["id"].as_str().unwrap().to_owned();
        let product = user_in_product(&app, &team.admin_token, &id).await;
        assert_eq!(product["role"], "technician");
        assert_eq!(
            sorted(&product["claims"]),
            ["view_customers", "view_endpoint_settings"]
        );
        let promote =
            json!([{"op": "Add", "path": "roles[primary eq \"True\"].value", "value": "Admin"}]);
        let (status, _) = entra.patch(&id, promote).await;
        assert_eq!(status, StatusCode::OK);
        let promoted = user_in_product(&app, &team.admin_token, &id).await;
        assert_eq!(promoted["role"], "admin");
        assert_eq!(promoted["claims"].as_array().map(Vec::len), Some(5));
    }
);
