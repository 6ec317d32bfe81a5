//! Going into a customer tenant (SPEC §15, issue 16 item 6): its address, opening it from the MSP
//! in a session scoped to it (admins always, technicians by delegation, anyone else a 404),
//! acting there and being audited in both tenants, going back, and being put out when the
//! delegation or the tenant goes.

use reqwest::{StatusCode, header};
use serde_json::{Value, json};

use crate::{
    business::{create_customer, customer, put_json, reseller},
    helpers::{AppOptions, PASSWORD, TestApp, all_items, assert_problem},
    technicians::support::{Team, accept, invitation_token, invite, team},
};

/// Opens customer `id` with `token`; the scoped session's token.
async fn open(app: &TestApp, token: &str, id: &str) -> String {
    let opened = app
        .post_json(&format!("/api/v1/customers/{id}/open"), token, &json!({}))
        .await;
    assert_eq!(opened.status(), StatusCode::OK);
    let opened: Value = opened.json().await.unwrap();
    opened["access_token"].as_str().unwrap().to_owned()
}

/// Contoso under the team's MSP, delegated to its technician through a group.
async fn contoso_delegated_to_a_group(app: &TestApp, team: &Team) -> Value {
    let created = create_customer(app, &team.admin_token, &customer("Contoso Ltd")).await;
    let group = app
        .post_json(
            "/api/v1/technician-groups",
            &team.admin_token,
            &json!({ "name": "Level 1 techs", "member_ids": [team.technician.id] }),
        )
        .await;
    let group: Value = group.json().await.unwrap();
    let delegated = put_json(
        app,
        &format!(
            "/api/v1/customers/{}/delegation",
            created["id"].as_str().unwrap()
        ),
        &team.admin_token,
        &json!({ "user_ids": [], "group_ids": [group["id"]] }),
    )
    .await;
    assert_eq!(delegated.status(), StatusCode::OK);
    created
}

async fn leave(app: &TestApp, token: &str) -> reqwest::Response {
    app.delete("/api/v1/me/customer-tenant", token).await
}

db_test!(
    a_customers_address_is_its_tenant_name_and_the_msps_name,
    |app| async move {
        let msp = reseller(&app, "Acme Reseller").await;
        let created = create_customer(&app, &msp.token, &customer("Contoso Ltd")).await;
        assert_eq!(created["address"], "contoso-ltd-acme-reseller");
        assert_eq!(created["url"], "/t/contoso-ltd-acme-reseller");
        let (status, found) = app
            .get_json(
                "/api/v1/customer-tenants/Contoso-Ltd-Acme-Reseller",
                &msp.token,
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(found["customer_id"], created["id"]);
        assert_eq!(found["display_name"], "Contoso Ltd");
        for unknown in [
            "fabrikam-acme-reseller",
            "contoso-ltd-other",
            "x",
            "contoso ltd",
        ] {
            let response = app
                .get(&format!("/api/v1/customer-tenants/{unknown}"), &msp.token)
                .await;
            assert_eq!(response.status(), StatusCode::NOT_FOUND, "{unknown}");
        }
    }
);

db_test!(
    a_technician_delegated_through_a_group_opens_the_customer_tenant_acts_there_and_goes_back,
    |app| async move {
        let team = team(&app).await;
        let contoso = contoso_delegated_to_a_group(&app, &team).await;
        let id = contoso["id"].as_str().unwrap();
        let found = all_items(
            &app,
            "/api/v1/customer-tenants?q=CONTOSO%20l",
            &team.admin_token,
        )
        .await;
        assert_eq!(found.len(), 1, "the search ignores case on both databases");
        let yours = all_items(&app, "/api/v1/customer-tenants", &team.technician_token).await;
        assert_eq!(yours.len(), 1);
        assert_eq!(yours[0]["address"], "contoso-ltd-acme-reseller");

        let opened = app
            .post_json(
                &format!("/api/v1/customers/{id}/open"),
                &team.technician_token,
                &json!({}),
            )
            .await;
        assert_eq!(opened.status(), StatusCode::OK);
        let cookie = opened
            .headers()
            .get(header::SET_COOKIE)
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned();
        let opened: Value = opened.json().await.unwrap();
        let inside = opened["access_token"].as_str().unwrap().to_owned();
        assert!(cookie.starts_with(&format!("msp_session={inside}")));
        assert_eq!(
            opened["customer_tenant"]["url"],
            "/t/contoso-ltd-acme-reseller"
        );

        let me = app.me(&inside).await;
        assert_eq!(me["tenant"]["id"], contoso["id"]);
        assert_eq!(me["tenant"]["type"], "corporate");
        assert_eq!(me["user"]["id"], json!(team.technician.id));
        assert_eq!(
            me["customer_tenant"]["customer_tenant"]["display_name"],
            "Contoso Ltd"
        );
        assert_eq!(me["customer_tenant"]["msp"]["name"], "Acme Reseller");
        let (_, tenants) = app.get_json("/api/v1/tenants", &inside).await;
        let ids: Vec<&Value> = tenants["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|tenant| &tenant["id"])
            .collect();
        assert_eq!(
            ids,
            [&contoso["id"]],
            "inside, only the customer tenant is seen"
        );
        assert_eq!(
            app.me(&team.technician_token).await["customer_tenant"],
            Value::Null
        );

        let back = leave(&app, &inside).await;
        assert_eq!(back.status(), StatusCode::OK);
        let back: Value = back.json().await.unwrap();
        let home = back["access_token"].as_str().unwrap();
        assert_eq!(app.me(home).await["tenant"]["name"], "Acme Reseller");
        let ended = app.get("/api/v1/me", &inside).await;
        assert_eq!(
            ended.status(),
            StatusCode::UNAUTHORIZED,
            "the scoped session ended"
        );
        let audit = all_items(&app, "/api/v1/audit-log", &team.admin_token).await;
        for action in ["customer_tenant.open", "customer_tenant.leave"] {
            let entries: Vec<&Value> = audit
                .iter()
                .filter(|entry| entry["action"] == action)
                .collect();
            assert_eq!(entries.len(), 1, "{action} is listed once in the MSP's log");
            assert_eq!(entries[0]["in_tenant_id"], contoso["id"]);
        }
    }
);

db_test!(
    a_technician_without_delegation_and_another_msp_are_told_the_tenant_does_not_exist,
    |app| async move {
        let team = team(&app).await;
        let created = create_customer(&app, &team.admin_token, &customer("Fabrikam Inc")).await;
        let id = created["id"].as_str().unwrap();
        let refused = app
            .post_json(
                &format!("/api/v1/customers/{id}/open"),
                &team.technician_token,
                &json!({}),
            )
            .await;
        assert_problem(refused, StatusCode::NOT_FOUND, "not_found").await;
        let address = format!(
            "/api/v1/customer-tenants/{}",
            created["address"].as_str().unwrap()
        );
        let hidden = app.get(&address, &team.technician_token).await;
        assert_eq!(hidden.status(), StatusCode::NOT_FOUND);
        assert!(
            all_items(&app, "/api/v1/customer-tenants", &team.technician_token)
                .await
                .is_empty()
        );

        let other = reseller(&app, "Other Reseller").await;
        let foreign = app
            .post_json(
                &format!("/api/v1/customers/{id}/open"),
                &other.token,
                &json!({}),
            )
            .await;
        assert_problem(foreign, StatusCode::NOT_FOUND, "not_found").await;
        let foreign = app.get(&address, &other.token).await;
        assert_eq!(foreign.status(), StatusCode::NOT_FOUND);
        // The admin of the customer's own MSP always may.
        open(&app, &team.admin_token, id).await;
    }
);

db_test!(
    taking_the_delegation_away_puts_the_technician_out_on_the_next_request,
    |app| async move {
        let team = team(&app).await;
        let contoso = contoso_delegated_to_a_group(&app, &team).await;
        let id = contoso["id"].as_str().unwrap();
        let inside = open(&app, &team.technician_token, id).await;
        assert_eq!(
            app.get("/api/v1/me", &inside).await.status(),
            StatusCode::OK
        );
        let emptied = put_json(
            &app,
            &format!("/api/v1/customers/{id}/delegation"),
            &team.admin_token,
            &json!({ "user_ids": [], "group_ids": [] }),
        )
        .await;
        assert_eq!(emptied.status(), StatusCode::OK);
        assert_eq!(
            app.get("/api/v1/me", &inside).await.status(),
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            app.get("/api/v1/me", &team.technician_token).await.status(),
            StatusCode::OK,
            "the MSP session goes on"
        );
    }
);

db_test!(
    an_admin_inside_a_customer_tenant_invites_its_own_user_who_sees_only_that_tenant,
    |app| async move {
        let team = team(&app).await;
        let created = create_customer(&app, &team.admin_token, &customer("Contoso Ltd")).await;
        let id = created["id"].as_str().unwrap();
        let inside = open(&app, &team.admin_token, id).await;
        let invited = invite(
            &app,
            &inside,
            "alice@contoso.test",
            json!({ "display_name": "Alice", "role": "admin" }),
        )
        .await;
        assert_eq!(
            accept(&app, &invitation_token(&invited), PASSWORD)
                .await
                .status(),
            StatusCode::NO_CONTENT
        );
        let alice = app.sign_in("alice@contoso.test", PASSWORD).await;
        let me = app.me(&alice).await;
        assert_eq!(me["tenant"]["id"], created["id"]);
        assert_eq!(me["customer_tenant"], Value::Null);
        let msp_tenant = app
            .get(&format!("/api/v1/tenants/{}", team.admin.tenant_id), &alice)
            .await;
        assert_eq!(
            msp_tenant.status(),
            StatusCode::NOT_FOUND,
            "the customer's own user does not see its MSP"
        );
        let users = all_items(&app, "/api/v1/users", &alice).await;
        let emails: Vec<&str> = users
            .iter()
            .map(|user| user["email"].as_str().unwrap())
            .collect();
        assert_eq!(
            emails,
            ["alice@contoso.test"],
            "the MSP's technicians are not its users"
        );
        let refused = app
            .post_json(&format!("/api/v1/customers/{id}/open"), &alice, &json!({}))
            .await;
        assert_problem(refused, StatusCode::NOT_FOUND, "not_found").await;

        // Audited in both tenants: once in the MSP's log (its copy), once in the customer's.
        let msp_log = all_items(&app, "/api/v1/audit-log", &team.admin_token).await;
        let invites: Vec<&Value> = msp_log
            .iter()
            .filter(|entry| entry["action"] == "user.invite")
            .collect();
        assert_eq!(invites.len(), 1);
        assert_eq!(invites[0]["tenant_id"], json!(team.admin.tenant_id));
        assert_eq!(invites[0]["in_tenant_id"], created["id"]);
        assert_eq!(invites[0]["actor_user_id"], json!(team.admin.id));
        let own_log = all_items(&app, "/api/v1/audit-log", &alice).await;
        let invites: Vec<&Value> = own_log
            .iter()
            .filter(|entry| entry["action"] == "user.invite")
            .collect();
        assert_eq!(invites.len(), 1);
        assert_eq!(invites[0]["tenant_id"], created["id"]);

        let (_, counted) = app
            .get_json(&format!("/api/v1/customers/{id}"), &team.admin_token)
            .await;
        assert_eq!(counted["active_users"], 1, "Alice signed in");
    }
);

db_test!(
    only_a_signed_in_session_opens_a_customer_tenant_and_only_one_inside_goes_back,
    |app| async move {
        let team = team(&app).await;
        let created = create_customer(&app, &team.admin_token, &customer("Contoso Ltd")).await;
        let id = created["id"].as_str().unwrap();
        let token = app
            .post_json(
                "/api/v1/api-tokens",
                &team.admin_token,
                &json!({ "name": "script" }),
            )
            .await;
        let token: Value = token.json().await.unwrap();
        let script = token["token"].as_str().unwrap();
        let refused = app
            .post_json(&format!("/api/v1/customers/{id}/open"), script, &json!({}))
            .await;
        assert_problem(refused, StatusCode::FORBIDDEN, "session_required").await;
        let outside = leave(&app, &team.admin_token).await;
        assert_problem(outside, StatusCode::CONFLICT, "not_in_customer_tenant").await;
    }
);

db_test!(
    signing_out_of_the_msp_or_deleting_the_customer_ends_the_sessions_inside,
    |app| async move {
        let team = team(&app).await;
        let contoso = contoso_delegated_to_a_group(&app, &team).await;
        let id = contoso["id"].as_str().unwrap();
        let inside = open(&app, &team.technician_token, id).await;
        let signed_out = app
            .post_json("/api/v1/auth/logout", &team.technician_token, &json!({}))
            .await;
        assert_eq!(signed_out.status(), StatusCode::NO_CONTENT);
        assert_eq!(
            app.get("/api/v1/me", &inside).await.status(),
            StatusCode::UNAUTHORIZED
        );

        let inside = open(&app, &team.admin_token, id).await;
        let deleted = app
            .delete(&format!("/api/v1/customers/{id}"), &team.admin_token)
            .await;
        assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
        assert_eq!(
            app.get("/api/v1/me", &inside).await.status(),
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            app.get("/api/v1/me", &team.admin_token).await.status(),
            StatusCode::OK
        );
    }
);

db_test!(
    switching_from_one_customer_tenant_to_another_keeps_the_way_back_to_the_msp,
    |app| async move {
        let team = team(&app).await;
        let first = create_customer(&app, &team.admin_token, &customer("Contoso Ltd")).await;
        let second = create_customer(&app, &team.admin_token, &customer("Fabrikam Inc")).await;
        let in_first = open(&app, &team.admin_token, first["id"].as_str().unwrap()).await;
        let in_second = open(&app, &in_first, second["id"].as_str().unwrap()).await;
        assert_eq!(
            app.get("/api/v1/me", &in_first).await.status(),
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(app.me(&in_second).await["tenant"]["id"], second["id"]);
        let back = leave(&app, &in_second).await;
        let back: Value = back.json().await.unwrap();
        assert_eq!(
            app.me(back["access_token"].as_str().unwrap()).await["tenant"]["name"],
            "Acme Reseller"
        );
    }
);

db_test!(
    a_customer_is_added_by_hand_with_its_display_name_and_tenant_name,
    |app| async move {
        let msp = reseller(&app, "Acme Reseller").await;
        let mut body = customer("Northwind Traders Ltd");
        body["display_name"] = json!("  Northwind (HQ) ");
        body["tenant_name"] = json!("northwind");
        let created = create_customer(&app, &msp.token, &body).await;
        assert_eq!(created["display_name"], "Northwind (HQ)");
        assert_eq!(created["tenant_name"], "northwind");
        assert_eq!(created["address"], "northwind-acme-reseller");

        let mut taken = customer("Northwind Europe");
        taken["tenant_name"] = json!("northwind");
        let refused = app.post_json("/api/v1/customers", &msp.token, &taken).await;
        assert_problem(refused, StatusCode::CONFLICT, "tenant_name_exists").await;
        let mut broken = customer("Northwind Europe");
        broken["tenant_name"] = json!("North Wind");
        let refused = app
            .post_json("/api/v1/customers", &msp.token, &broken)
            .await;
        let problem = assert_problem(
            refused,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(problem["errors"][0]["field"], "tenant_name");
    }
);

db_test!(@expand
    with_a_public_domain_a_tenants_host_names_it_and_any_other_host_is_not_found,
    AppOptions { public_domain: Some("msp.example.test".to_owned()), ..Default::default() },
    |app| async move {
        let msp = reseller(&app, "Acme Reseller").await;
        let created = create_customer(&app, &msp.token, &customer("Contoso Ltd")).await;
        assert_eq!(created["url"], "https://contoso-ltd-acme-reseller.msp.example.test");
        let host_address = |host: &'static str| {
            app.client
                .get(app.url("/api/v1/host-address"))
                .header(header::HOST, host)
                .send()
        };
        let found = host_address("Contoso-Ltd-Acme-Reseller.msp.example.test:443").await.unwrap();
        assert_eq!(found.status(), StatusCode::OK);
        let found: Value = found.json().await.unwrap();
        assert_eq!(found["address"], "contoso-ltd-acme-reseller");
        for host in [
            "fabrikam-acme-reseller.msp.example.test",
            "msp.example.test",
            "contoso-ltd-acme-reseller.other.test",
            "127.0.0.1",
        ] {
            let missing = host_address(host).await.unwrap();
            assert_eq!(missing.status(), StatusCode::NOT_FOUND, "{host}");
        }
        let signed_in = app.login(&msp.admin.email, PASSWORD).await;
        let cookie = signed_in.headers().get(header::SET_COOKIE).unwrap().to_str().unwrap();
        assert!(
            cookie.to_ascii_lowercase().contains("domain=msp.example.test"),
            "the session follows the technician to the tenants' hosts: {cookie}"
        );
    }
);

db_test!(
    without_a_public_domain_no_host_names_a_tenant,
    |app| async move {
        let msp = reseller(&app, "Acme Reseller").await;
        create_customer(&app, &msp.token, &customer("Contoso Ltd")).await;
        let missing = app
            .client
            .get(app.url("/api/v1/host-address"))
            .header(header::HOST, "contoso-ltd-acme-reseller.msp.example.test")
            .send()
            .await
            .unwrap();
        assert_problem(missing, StatusCode::NOT_FOUND, "not_found").await;
    }
);

db_test!(
    your_customers_searches_as_the_customers_page_for_admins_and_by_name_or_display_name_for_technicians,
    |app| async move {
        let team = team(&app).await;
        let contoso = contoso_delegated_to_a_group(&app, &team).await;
        let created = create_customer(
            &app,
            &team.admin_token,
            &json!({ "name": "Northwind Traders", "display_name": "NW Shop", "total_licenses": 5, "email": "it@nw.example" }),
        )
        .await;
        let names = |items: Vec<Value>| -> Vec<String> {
            items
                .iter()
                .map(|item| item["display_name"].as_str().unwrap().to_owned())
                .collect()
        };
        // Admins: every customer tenant, by name, through the Customers page's search.
        let all = all_items(&app, "/api/v1/customer-tenants", &team.admin_token).await;
        assert_eq!(names(all), ["Contoso Ltd", "NW Shop"]);
        let by_part = all_items(&app, "/api/v1/customer-tenants?q=WIND", &team.admin_token).await;
        assert_eq!(names(by_part), ["NW Shop"]);
        let today = created["created_at"].as_str().unwrap()[..10].to_owned();
        let by_date = all_items(
            &app,
            &format!("/api/v1/customer-tenants?q={today}"),
            &team.admin_token,
        )
        .await;
        assert_eq!(by_date.len(), 2, "a date reads as the creation date");
        // Technicians: the delegated ones only, by a part of either name.
        let by_display = all_items(
            &app,
            "/api/v1/customer-tenants?q=toso",
            &team.technician_token,
        )
        .await;
        assert_eq!(by_display[0]["customer_id"], contoso["id"]);
        let not_delegated = all_items(
            &app,
            "/api/v1/customer-tenants?q=shop",
            &team.technician_token,
        )
        .await;
        assert!(not_delegated.is_empty());
    }
);
