//! `GET /v1.0/roleManagement/directory/roleDefinitions[/{id}]` (Entra's built-in roles, under
//! their real template IDs) and `GET|POST /v1.0/roleManagement/directory/roleAssignments`,
//! `DELETE …/roleAssignments/{id}` in the token's tenant, as Graph answers them.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{
    admin_state::{Assignment, RoleAssignment},
    graph_call::{
        answer, done_or_not_found, filter_clauses, missing_property, not_found, parse_body,
        unsupported_filter, with_context,
    },
};
use crate::{contracts::graph_error, faults::GraphPermission, server::FakeState};

const DEFINITIONS_CONTEXT: &str =
    "https://graph.microsoft.com/v1.0/$metadata#roleManagement/directory/roleDefinitions";
const ASSIGNMENTS_CONTEXT: &str =
    "https://graph.microsoft.com/v1.0/$metadata#roleManagement/directory/roleAssignments";

/// Display name, template ID (a built-in role's ID in every tenant), description, and whether
/// Entra labels it privileged; from Microsoft's "Microsoft Entra built-in roles" reference.
#[rustfmt::skip]
const BUILT_IN_ROLES: [(&str, &str, &str, bool); 20] = [
    ("Application Administrator", "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", "Can create and manage all aspects of app registrations and enterprise apps.", true),
    ("Authentication Administrator", "c4e39bd9-1100-46d3-8c65-fb160da0071f", "Can access to view, set and reset authentication method information for any non-admin user.", true),
    ("Billing Administrator", "b0f54661-2d74-4c50-afa3-1ec803f12efe", "Can perform common billing related tasks like updating payment information.", false),
    ("Cloud Device Administrator", "7698a772-787b-4ac8-901f-60d6b08affd2", "Limited access to manage devices in Microsoft Entra ID.", true),
    ("Conditional Access Administrator", "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9", "Can manage Conditional Access capabilities.", true),
    ("Directory Readers", "88d8e3e3-8f55-4a1e-953a-9b9898b8876b", "Can read basic directory information. Commonly used to grant directory read access to applications and guests.", false),
    ("Exchange Administrator", "29232cdf-9323-42fd-ade2-1d097af3e4de", "Can manage all aspects of the Exchange product.", false),
    ("Global Administrator", "62e90394-69f5-4237-9190-012177145e10", "Can manage all aspects of Microsoft Entra ID and Microsoft services that use Microsoft Entra identities.", true),
    ("Global Reader", "f2ef992c-3afb-46b9-b7cf-a126ee74c451", "Can read everything that a Global Administrator can, but not update anything.", true),
    ("Groups Administrator", "fdd7a751-b60b-444a-984c-02652fe8fa1c", "Members of this role can create/manage groups, create/manage groups settings like naming and expiration policies, and view groups activity and audit reports.", false),
    ("Helpdesk Administrator", "729827e3-9c14-49f7-bb1b-9608f156bbb8", "Can reset passwords for non-administrators and Helpdesk Administrators.", true),
    ("Intune Administrator", "3a2c62db-5318-420d-8d74-23affee5d9d5", "Can manage all aspects of the Intune product.", true),
    ("License Administrator", "4d6ac14f-3453-41d0-bef9-a3e0c569773a", "Can manage product licenses on users and groups.", false),
    ("Password Administrator", "966707d0-3269-4727-9be2-8c3a10f19b9d", "Can reset passwords for non-administrators and Password Administrators.", true),
    ("Privileged Role Administrator", "e8611ab8-c189-46e8-94e1-60213ab1f814", "Can manage role assignments in Microsoft Entra ID, and all aspects of Privileged Identity Management.", true),
    ("Security Administrator", "194ae4cb-b126-40b2-bd5b-6091b380977d", "Can read security information and reports, and manage configuration in Microsoft Entra ID and Office 365.", true),
    ("Security Reader", "5d6b6bb7-de71-4623-b4af-96380a352509", "Can read security information and reports in Microsoft Entra ID and Office 365.", true),
    ("SharePoint Administrator", "f28a1f50-f6e7-4571-818b-6a12f2af6b6c", "Can manage all aspects of the SharePoint service.", false),
    ("Teams Administrator", "69091246-20e8-4a56-aa4d-066075b2a7a8", "Can manage the Microsoft Teams service.", false),
    ("User Administrator", "fe930be7-5e62-47db-91af-98c3a49a38b1", "Can manage all aspects of users and groups, including resetting passwords for limited admins.", true),
];

fn definition_json(role: &(&str, &str, &str, bool)) -> Value {
    let (display_name, template_id, description, privileged) = *role;
    json!({
        "id": template_id,
        "description": description,
        "displayName": display_name,
        "isBuiltIn": true,
        "isEnabled": true,
        "isPrivileged": privileged,
        "resourceScopes": ["/"],
        "templateId": template_id,
        "version": "1",
        "rolePermissions": [],
    })
}

fn built_in(id: &str) -> Option<&'static (&'static str, &'static str, &'static str, bool)> {
    BUILT_IN_ROLES
        .iter()
        .find(|role| role.1.eq_ignore_ascii_case(id))
}

#[derive(Deserialize)]
pub(crate) struct FilterQuery {
    #[serde(rename = "$filter")]
    filter: Option<String>,
}

/// Whether a built-in role meets every clause of a `$filter`; `None` for a clause on a property
/// the fake does not filter on.
fn definition_matches(
    role: &(&str, &str, &str, bool),
    clauses: &[(String, String)],
) -> Option<bool> {
    clauses.iter().try_fold(true, |all, (property, value)| {
        let matches = match property.as_str() {
            "isBuiltIn" => value == "true",
            "isEnabled" => value == "true",
            "displayName" => role.0.eq_ignore_ascii_case(value),
            "id" | "templateId" => role.1.eq_ignore_ascii_case(value),
            _ => return None,
        };
        Some(all && matches)
    })
}

pub(crate) async fn list_definitions(
    state: web::Data<FakeState>,
    request: HttpRequest,
    query: web::Query<FilterQuery>,
) -> HttpResponse {
    answer(&state, &request, &[], |_| {
        let clauses = match filter_clauses(query.filter.as_deref(), "UnifiedRoleDefinition") {
            Ok(clauses) => clauses,
            Err(refusal) => return *refusal,
        };
        let mut value = Vec::new();
        for role in &BUILT_IN_ROLES {
            match definition_matches(role, &clauses) {
                Some(true) => value.push(definition_json(role)),
                Some(false) => {}
                None => return unsupported_filter("UnifiedRoleDefinition"),
            }
        }
        HttpResponse::Ok().json(json!({ "@odata.context": DEFINITIONS_CONTEXT, "value": value }))
    })
    .await
}

pub(crate) async fn get_definition(
    state: web::Data<FakeState>,
    request: HttpRequest,
    id: web::Path<String>,
) -> HttpResponse {
    answer(&state, &request, &[], |_| match built_in(&id) {
        Some(role) => HttpResponse::Ok().json(with_context(
            &format!("{DEFINITIONS_CONTEXT}/$entity"),
            definition_json(role),
        )),
        None => not_found(&id),
    })
    .await
}

fn assignment_json(assignment: &RoleAssignment) -> Value {
    json!({
        "id": assignment.id,
        "roleDefinitionId": assignment.role_definition_id,
        "principalId": assignment.principal_id,
        "directoryScopeId": assignment.directory_scope_id,
    })
}

pub(crate) async fn list_assignments(
    state: web::Data<FakeState>,
    request: HttpRequest,
    query: web::Query<FilterQuery>,
) -> HttpResponse {
    answer(&state, &request, &[], |tenant| {
        let clauses = match filter_clauses(query.filter.as_deref(), "UnifiedRoleAssignment") {
            Ok(clauses) => clauses,
            Err(refusal) => return *refusal,
        };
        if clauses.iter().any(|(property, _)| {
            !matches!(
                property.as_str(),
                "principalId" | "roleDefinitionId" | "directoryScopeId"
            )
        }) {
            return unsupported_filter("UnifiedRoleAssignment");
        }
        let value: Vec<Value> = state
            .entra
            .role_assignments(tenant)
            .iter()
            .filter(|assignment| {
                clauses.iter().all(|(property, value)| {
                    let actual = match property.as_str() {
                        "principalId" => &assignment.principal_id,
                        "roleDefinitionId" => &assignment.role_definition_id,
                        _ => &assignment.directory_scope_id,
                    };
                    actual.eq_ignore_ascii_case(value)
                })
            })
            .map(assignment_json)
            .collect();
        HttpResponse::Ok().json(json!({ "@odata.context": ASSIGNMENTS_CONTEXT, "value": value }))
    })
    .await
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AssignmentCreate {
    role_definition_id: Option<String>,
    principal_id: Option<String>,
    directory_scope_id: Option<String>,
}

pub(crate) async fn create_assignment(
    state: web::Data<FakeState>,
    request: HttpRequest,
    body: web::Bytes,
) -> HttpResponse {
    answer(
        &state,
        &request,
        &[GraphPermission::RoleManagementReadWriteDirectory],
        |tenant| {
            let create = match parse_body::<AssignmentCreate>(&body) {
                Ok(create) => create,
                Err(refusal) => return *refusal,
            };
            let Some(role_definition_id) = create.role_definition_id else {
                return missing_property("roleDefinitionId", "UnifiedRoleAssignment");
            };
            let Some(principal_id) = create.principal_id else {
                return missing_property("principalId", "UnifiedRoleAssignment");
            };
            let Some(scope) = create.directory_scope_id else {
                return missing_property("directoryScopeId", "UnifiedRoleAssignment");
            };
            if built_in(&role_definition_id).is_none() {
                return not_found(&role_definition_id);
            }
            if state.faults.take_principal_not_found() {
                return not_found(&principal_id);
            }
            match state
                .entra
                .assign_role(tenant, &role_definition_id, &principal_id, &scope)
            {
                Assignment::Created(assignment) => HttpResponse::Created().json(with_context(
                    &format!("{ASSIGNMENTS_CONTEXT}/$entity"),
                    assignment_json(&assignment),
                )),
                Assignment::PrincipalNotFound => not_found(&principal_id),
                Assignment::Conflict => graph_error(
                    400,
                    "Request_BadRequest",
                    "A conflicting object with one or more of the specified property values is \
                     present in the directory.",
                ),
            }
        },
    )
    .await
}

pub(crate) async fn delete_assignment(
    state: web::Data<FakeState>,
    request: HttpRequest,
    id: web::Path<String>,
) -> HttpResponse {
    answer(
        &state,
        &request,
        &[GraphPermission::RoleManagementReadWriteDirectory],
        |tenant| done_or_not_found(state.entra.unassign_role(tenant, &id), &id),
    )
    .await
}
