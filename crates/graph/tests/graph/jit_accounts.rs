//! Just-in-time admin accounts in a customer's directory: created, read, disabled, cut off and
//! deleted, each of Graph's refusals as its own error, and throttling, cut answers and an
//! unreachable Graph as the client meets them.

use std::time::{Duration, Instant};

use msp_fake_graph::GraphPermission;
use msp_graph::{
    AccountPassword, CustomerDirectoryError, DirectoryPermission, GraphClient, GraphError, Removal,
    Url,
};

use super::customer_tenant::{Customer, DANA, account};

#[tokio::test]
async fn a_new_account_is_created_enabled_with_its_password_and_read_back_by_object_id() {
    let customer = Customer::consented().await;
    let wanted = account("msp-alex@woodgrovebank.test");
    let created = customer
        .graph
        .create_user(&customer.app, &customer.tenant, &wanted)
        .await
        .unwrap();
    assert_eq!(created.user_principal_name, "msp-alex@woodgrovebank.test");
    assert_eq!(created.object_id.len(), 36, "a GUID: {}", created.object_id);

    let read = customer
        .graph
        .get_user_by_id(&customer.app, &customer.tenant, &created.object_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(read.object_id, created.object_id);
    assert_eq!(read.user_principal_name, "msp-alex@woodgrovebank.test");
    assert!(read.enabled);
    let stored = customer.fake.entra().account(&created.object_id).unwrap();
    assert_eq!(stored.display_name, "MSP admin (Alex Kim)");
    assert_eq!(customer.calls()[0], "POST /v1.0/users -> 201");
}

#[tokio::test]
async fn a_user_principal_name_someone_holds_is_upn_taken_and_their_account_is_left_alone() {
    let customer = Customer::consented().await;
    let taken = customer
        .graph
        .create_user(
            &customer.app,
            &customer.tenant,
            &account("dana.whitfield@woodgrovebank.test"),
        )
        .await;
    assert_eq!(
        taken,
        Err(CustomerDirectoryError::UpnTaken {
            after_lost_answer: false
        })
    );
    let dana = customer.fake.entra().account(DANA).unwrap();
    assert_eq!(dana.display_name, "Dana Whitfield");
    assert!(dana.account_enabled);
}

#[tokio::test]
async fn a_create_whose_answer_was_lost_meets_its_own_conflict_and_is_not_adopted() {
    let customer = Customer::consented().await;
    customer.fake.faults().drop_answer_next(1);
    let outcome = customer
        .graph
        .create_user(
            &customer.app,
            &customer.tenant,
            &account("msp-alex@woodgrovebank.test"),
        )
        .await;
    assert_eq!(
        outcome,
        Err(CustomerDirectoryError::UpnTaken {
            after_lost_answer: true
        })
    );
    assert_eq!(
        customer.calls(),
        [
            "POST /v1.0/users -> connection cut",
            "POST /v1.0/users -> 400"
        ]
    );
    // The account exists: the caller decides what becomes of it.
    assert!(
        customer
            .fake
            .entra()
            .account("msp-alex@woodgrovebank.test")
            .is_some()
    );
}

#[tokio::test]
async fn a_domain_the_directory_has_not_verified_is_domain_not_verified() {
    let customer = Customer::consented().await;
    for upn in ["msp-alex@new.woodgrovebank.test", "msp-alex@nowhere.test"] {
        let refused = customer
            .graph
            .create_user(&customer.app, &customer.tenant, &account(upn))
            .await;
        assert_eq!(
            refused,
            Err(CustomerDirectoryError::DomainNotVerified),
            "{upn}"
        );
    }
}

#[tokio::test]
async fn a_federated_domain_is_refused_in_graphs_own_words() {
    let customer = Customer::consented().await;
    let refused = customer
        .graph
        .create_user(
            &customer.app,
            &customer.tenant,
            &account("msp-alex@sso.woodgrovebank.test"),
        )
        .await;
    assert_eq!(
        refused,
        Err(CustomerDirectoryError::Refused(
            "One or more properties contains invalid values.".to_owned()
        ))
    );
}

#[tokio::test]
async fn a_password_entra_finds_too_simple_is_password_refused() {
    let customer = Customer::consented().await;
    let mut weak = account("msp-alex@woodgrovebank.test");
    weak.password = AccountPassword::new("alllowercase1".to_owned());
    let refused = customer
        .graph
        .create_user(&customer.app, &customer.tenant, &weak)
        .await;
    assert_eq!(refused, Err(CustomerDirectoryError::PasswordRefused));
}

#[tokio::test]
async fn an_expired_account_is_disabled_cut_off_and_deleted_and_each_step_may_repeat() {
    let customer = Customer::consented().await;
    let (graph, app, tenant) = (&customer.graph, &customer.app, &customer.tenant);
    let id = customer.create("msp-alex").await;

    graph
        .set_account_enabled(app, tenant, &id, false)
        .await
        .unwrap();
    assert!(!customer.fake.entra().account(&id).unwrap().account_enabled);
    let read = graph
        .get_user_by_id(app, tenant, &id)
        .await
        .unwrap()
        .unwrap();
    assert!(!read.enabled);
    graph
        .revoke_sign_in_sessions(app, tenant, &id)
        .await
        .unwrap();
    assert_eq!(customer.fake.entra().revoked_sessions(), vec![id.clone()]);
    assert_eq!(
        graph.delete_user(app, tenant, &id).await,
        Ok(Removal::Removed)
    );

    assert_eq!(
        graph.delete_user(app, tenant, &id).await,
        Ok(Removal::AlreadyGone)
    );
    assert_eq!(
        graph.set_account_enabled(app, tenant, &id, false).await,
        Err(CustomerDirectoryError::NotFound)
    );
    assert_eq!(
        graph.revoke_sign_in_sessions(app, tenant, &id).await,
        Err(CustomerDirectoryError::NotFound)
    );
    assert_eq!(graph.get_user_by_id(app, tenant, &id).await, Ok(None));
}

#[tokio::test]
async fn an_id_that_names_no_object_never_reaches_another_resource() {
    let customer = Customer::consented().await;
    let (graph, app, tenant) = (&customer.graph, &customer.app, &customer.tenant);
    assert_eq!(
        graph.delete_user(app, tenant, "..").await,
        Err(CustomerDirectoryError::NotFound)
    );
    assert_eq!(graph.get_user_by_id(app, tenant, "").await, Ok(None));
    // A slash stays inside the one path segment: Graph looks up a user of that odd name.
    assert_eq!(
        graph
            .set_account_enabled(app, tenant, "x/revokeSignInSessions", false)
            .await,
        Err(CustomerDirectoryError::NotFound)
    );
    assert_eq!(
        customer.calls(),
        ["PATCH /v1.0/users/x%2FrevokeSignInSessions -> 404"]
    );
}

#[tokio::test]
async fn without_user_readwrite_all_every_account_change_is_permission_denied() {
    let customer = Customer::consented().await;
    let (graph, app, tenant) = (&customer.graph, &customer.app, &customer.tenant);
    let id = customer.create("msp-alex").await;
    customer
        .fake
        .faults()
        .deny_graph_permission(GraphPermission::UserReadWriteAll, true);
    let refusal = CustomerDirectoryError::PermissionDenied {
        permission: DirectoryPermission::UserReadWriteAll,
    };
    let message = refusal.to_string();
    assert!(message.contains("User.ReadWrite.All"), "{message}");
    let denied = Err(refusal);
    let jordan = account("msp-jordan@woodgrovebank.test");
    assert_eq!(
        graph.create_user(app, tenant, &jordan).await.map(|_| ()),
        denied
    );
    assert_eq!(
        graph.set_account_enabled(app, tenant, &id, false).await,
        denied
    );
    assert_eq!(
        graph.revoke_sign_in_sessions(app, tenant, &id).await,
        denied
    );
    assert_eq!(
        graph.delete_user(app, tenant, &id).await.map(|_| ()),
        denied
    );
}

#[tokio::test]
async fn a_throttled_create_waits_out_retry_after_then_succeeds() {
    let customer = Customer::consented().await;
    customer.fake.faults().throttle_next(1, Some(1));
    let started = Instant::now();
    customer.create("msp-alex").await;
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After was not honoured"
    );
    assert_eq!(
        customer.calls(),
        ["POST /v1.0/users -> 429", "POST /v1.0/users -> 201"]
    );
}

#[tokio::test]
async fn throttling_that_outlasts_the_tries_is_reported_with_graphs_wait() {
    let customer = Customer::consented_with(msp_fake_graph::Fixture::demo().unwrap(), |settings| {
        settings.max_attempts = 2;
    })
    .await;
    customer.fake.faults().throttle_next(100, Some(1));
    let outcome = customer
        .graph
        .delete_user(&customer.app, &customer.tenant, DANA)
        .await;
    assert_eq!(
        outcome,
        Err(CustomerDirectoryError::Graph(GraphError::Throttled {
            retry_after: Duration::from_secs(1)
        }))
    );
    assert_eq!(customer.calls().len(), 2);
    assert!(customer.fake.entra().account(DANA).is_some());
}

#[tokio::test]
async fn a_connection_cut_on_every_try_ends_as_graph_unreachable() {
    let customer = Customer::consented_with(msp_fake_graph::Fixture::demo().unwrap(), |settings| {
        settings.max_attempts = 3;
    })
    .await;
    customer.fake.faults().drop_next(100);
    let outcome = customer
        .graph
        .revoke_sign_in_sessions(&customer.app, &customer.tenant, DANA)
        .await;
    assert_eq!(
        outcome,
        Err(CustomerDirectoryError::Graph(GraphError::Unreachable))
    );
    assert_eq!(customer.calls().len(), 3);
}

#[tokio::test]
async fn a_graph_nobody_listens_on_is_graph_unreachable() {
    let customer = Customer::consented().await;
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let mut settings = customer.graph.settings().clone();
    settings.graph_url = Url::parse(&format!("https://127.0.0.1:{port}")).unwrap();
    let unreachable = GraphClient::new(settings).unwrap();
    let outcome = unreachable
        .create_user(
            &customer.app,
            &customer.tenant,
            &account("msp-alex@woodgrovebank.test"),
        )
        .await;
    assert_eq!(
        outcome,
        Err(CustomerDirectoryError::Graph(GraphError::Unreachable))
    );
}
