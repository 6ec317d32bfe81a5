//! Directory roles for just-in-time admins: Entra's built-in roles, assignments made, listed
//! and removed, a repeat that finds the assignment it made, an unknown role, a user not yet
//! replicated, and the missing permission.

use std::time::{Duration, Instant};

use msp_fake_graph::{Fixture, GraphPermission};
use msp_graph::{CustomerDirectoryError, DirectoryPermission, Removal, RoleAssignment};

use super::customer_tenant::{Customer, DANA, GLOBAL_ADMINISTRATOR, USER_ADMINISTRATOR};

const ASSIGN: &str = "POST /v1.0/roleManagement/directory/roleAssignments";

fn assignment_posts(customer: &Customer) -> Vec<String> {
    customer
        .calls()
        .into_iter()
        .filter(|call| call.starts_with(ASSIGN))
        .collect()
}

#[tokio::test]
async fn the_built_in_roles_come_with_their_template_ids_names_and_descriptions() {
    let customer = Customer::consented().await;
    let roles = customer
        .graph
        .built_in_roles(&customer.app, &customer.tenant)
        .await
        .unwrap();
    assert_eq!(roles.len(), 20);
    let global = roles
        .iter()
        .find(|role| role.display_name == "Global Administrator")
        .unwrap();
    assert_eq!(global.id, GLOBAL_ADMINISTRATOR);
    assert!(global.description.starts_with("Can manage all aspects"));
    assert!(roles.iter().any(|role| role.id == USER_ADMINISTRATOR));
    let asked = customer.fake.entra().calls();
    let filter = url::form_urlencoded::parse(asked[0].query.as_bytes())
        .find(|(name, _)| name == "$filter")
        .map(|(_, value)| value.into_owned());
    assert_eq!(filter.as_deref(), Some("isBuiltIn eq true"));
}

#[tokio::test]
async fn an_assigned_role_is_listed_for_its_principal_and_removed_once() {
    let customer = Customer::consented().await;
    let (graph, app, tenant) = (&customer.graph, &customer.app, &customer.tenant);
    let admin = customer.create("msp-alex").await;
    let id = graph
        .assign_role(app, tenant, &admin, GLOBAL_ADMINISTRATOR)
        .await
        .unwrap();
    graph
        .assign_role(app, tenant, DANA, USER_ADMINISTRATOR)
        .await
        .unwrap();
    assert_eq!(
        graph.role_assignments_of(app, tenant, &admin).await,
        Ok(vec![RoleAssignment {
            id: id.clone(),
            role_definition_id: GLOBAL_ADMINISTRATOR.to_owned(),
            directory_scope_id: "/".to_owned(),
        }])
    );
    assert_eq!(
        graph.remove_role_assignment(app, tenant, &id).await,
        Ok(Removal::Removed)
    );
    assert_eq!(
        graph.remove_role_assignment(app, tenant, &id).await,
        Ok(Removal::AlreadyGone)
    );
    assert_eq!(
        graph.role_assignments_of(app, tenant, &admin).await,
        Ok(vec![])
    );
    assert!(customer.fake.entra().roles_of(&admin).is_empty());
}

#[tokio::test]
async fn an_assignment_that_exists_already_is_given_back_rather_than_made_twice() {
    let customer = Customer::consented().await;
    let (graph, app, tenant) = (&customer.graph, &customer.app, &customer.tenant);
    let admin = customer.create("msp-alex").await;
    let first = graph
        .assign_role(app, tenant, &admin, USER_ADMINISTRATOR)
        .await
        .unwrap();
    let repeat = graph
        .assign_role(app, tenant, &admin, USER_ADMINISTRATOR)
        .await
        .unwrap();
    assert_eq!(repeat, first);

    // The answer is lost after Graph made the assignment; the retry meets it as a conflict.
    customer.fake.faults().drop_answer_next(1);
    let global = graph
        .assign_role(app, tenant, &admin, GLOBAL_ADMINISTRATOR)
        .await
        .unwrap();
    let held = graph
        .role_assignments_of(app, tenant, &admin)
        .await
        .unwrap();
    assert_eq!(held.len(), 2, "no duplicate: {held:?}");
    let made = held
        .iter()
        .find(|assignment| assignment.role_definition_id == GLOBAL_ADMINISTRATOR)
        .unwrap();
    assert_eq!(made.id, global);
    assert_eq!(
        assignment_posts(&customer),
        [
            format!("{ASSIGN} -> 201"),
            format!("{ASSIGN} -> 400"),
            format!("{ASSIGN} -> connection cut"),
            format!("{ASSIGN} -> 400"),
        ]
    );
}

#[tokio::test]
async fn a_role_the_directory_does_not_know_is_role_not_found_without_waiting() {
    let customer = Customer::consented().await;
    let admin = customer.create("msp-alex").await;
    let started = Instant::now();
    let outcome = customer
        .graph
        .assign_role(
            &customer.app,
            &customer.tenant,
            &admin,
            "00000000-0000-4000-8000-00000000000b",
        )
        .await;
    assert_eq!(outcome, Err(CustomerDirectoryError::RoleNotFound));
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(assignment_posts(&customer).len(), 1);
}

#[tokio::test]
async fn a_user_created_moments_before_is_assigned_once_the_directory_has_replicated_it() {
    let customer = Customer::consented().await;
    let admin = customer.create("msp-alex").await;
    customer.fake.faults().principal_not_found_next(2);
    customer
        .graph
        .assign_role(&customer.app, &customer.tenant, &admin, USER_ADMINISTRATOR)
        .await
        .unwrap();
    assert_eq!(
        assignment_posts(&customer),
        [
            format!("{ASSIGN} -> 404"),
            format!("{ASSIGN} -> 404"),
            format!("{ASSIGN} -> 201"),
        ]
    );
    assert_eq!(
        customer.fake.entra().roles_of(&admin),
        vec![USER_ADMINISTRATOR]
    );
}

#[tokio::test]
async fn a_principal_that_never_appears_is_not_found_after_the_replication_wait() {
    let customer = Customer::consented_with(Fixture::demo().unwrap(), |settings| {
        settings.replication_wait = Duration::from_millis(400);
    })
    .await;
    let started = Instant::now();
    let outcome = customer
        .graph
        .assign_role(
            &customer.app,
            &customer.tenant,
            "00000000-0000-4000-8000-0000000000aa",
            USER_ADMINISTRATOR,
        )
        .await;
    assert_eq!(outcome, Err(CustomerDirectoryError::NotFound));
    let waited = started.elapsed();
    // 50, 100 and 200 ms fit in 400; 400 more would not.
    assert_eq!(assignment_posts(&customer).len(), 4);
    assert!(waited >= Duration::from_millis(350), "{waited:?}");
    assert!(waited < Duration::from_secs(2), "{waited:?}");
}

#[tokio::test]
async fn without_role_management_permission_assignments_are_permission_denied() {
    let customer = Customer::consented().await;
    let (graph, app, tenant) = (&customer.graph, &customer.app, &customer.tenant);
    let id = graph
        .assign_role(app, tenant, DANA, USER_ADMINISTRATOR)
        .await
        .unwrap();
    customer
        .fake
        .faults()
        .deny_graph_permission(GraphPermission::RoleManagementReadWriteDirectory, true);
    let denied = CustomerDirectoryError::PermissionDenied {
        permission: DirectoryPermission::RoleManagementReadWriteDirectory,
    };
    assert_eq!(
        graph
            .assign_role(app, tenant, DANA, GLOBAL_ADMINISTRATOR)
            .await,
        Err(denied.clone())
    );
    assert_eq!(
        graph.remove_role_assignment(app, tenant, &id).await,
        Err(denied)
    );
    assert_eq!(
        customer.fake.entra().roles_of(DANA),
        vec![USER_ADMINISTRATOR]
    );
}

#[tokio::test]
async fn a_throttled_assignment_waits_out_retry_after_then_succeeds() {
    let customer = Customer::consented().await;
    let admin = customer.create("msp-alex").await;
    customer.fake.faults().throttle_next(1, Some(1));
    let started = Instant::now();
    customer
        .graph
        .assign_role(
            &customer.app,
            &customer.tenant,
            &admin,
            GLOBAL_ADMINISTRATOR,
        )
        .await
        .unwrap();
    assert!(started.elapsed() >= Duration::from_secs(1));
    assert_eq!(
        assignment_posts(&customer),
        [format!("{ASSIGN} -> 429"), format!("{ASSIGN} -> 201")]
    );
}
