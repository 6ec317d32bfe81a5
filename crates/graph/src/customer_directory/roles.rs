//! Directory roles for just-in-time admins: Entra's built-in role definitions, and role
//! assignments over the whole directory (`directoryScopeId: "/"`) made, listed and removed.

use std::time::Duration;

use domain::AzureTenantId;
use reqwest::{Method, StatusCode};
use serde::Deserialize;
use serde_json::json;

use super::{CustomerDirectoryError, DirectoryPermission, Removal, refused};
use crate::{GraphClient, SignInApp, request::Patience, token::AccessToken};

const DEFINITIONS: &str = "v1.0/roleManagement/directory/roleDefinitions";
const ASSIGNMENTS: &str = "v1.0/roleManagement/directory/roleAssignments";
const PERMISSION: DirectoryPermission = DirectoryPermission::RoleManagementReadWriteDirectory;
const WHOLE_DIRECTORY: &str = "/";

/// A built-in role; its ID is its template ID, the same in every directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleDefinition {
    pub id: String,
    pub display_name: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleAssignment {
    pub id: String,
    pub role_definition_id: String,
    pub directory_scope_id: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DefinitionJson {
    id: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    description: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AssignmentJson {
    id: String,
    #[serde(default)]
    role_definition_id: String,
    #[serde(default)]
    directory_scope_id: String,
}

impl From<AssignmentJson> for RoleAssignment {
    fn from(json: AssignmentJson) -> Self {
        Self {
            id: json.id,
            role_definition_id: json.role_definition_id,
            directory_scope_id: json.directory_scope_id,
        }
    }
}

impl GraphClient {
    /// Every built-in role of the directory, every page.
    pub async fn built_in_roles(
        &self,
        app: &SignInApp,
        tenant_id: &AzureTenantId,
    ) -> Result<Vec<RoleDefinition>, CustomerDirectoryError> {
        let token = self.directory_token(app, tenant_id).await?;
        let mut patience = Patience::new(&self.settings);
        let mut url = self.graph_path(DEFINITIONS)?;
        url.query_pairs_mut()
            .append_pair("$filter", "isBuiltIn eq true")
            .append_pair("$select", "id,displayName,description");
        let roles: Vec<DefinitionJson> = self
            .every_page(url, &token, &mut patience, PERMISSION)
            .await?;
        Ok(roles
            .into_iter()
            .map(|role| RoleDefinition {
                id: role.id,
                display_name: role.display_name,
                description: role.description.unwrap_or_default(),
            })
            .collect())
    }

    /// Assigns the role over the whole directory; the assignment's ID. A principal Graph does
    /// not know yet (a user created moments before, not replicated) is tried again, backing off,
    /// for [`GraphSettings::replication_wait`](crate::GraphSettings::replication_wait); a role
    /// it does not know is [`CustomerDirectoryError::RoleNotFound`] at once. An assignment
    /// that exists already (an earlier try whose answer was lost) is the one returned.
    pub async fn assign_role(
        &self,
        app: &SignInApp,
        tenant_id: &AzureTenantId,
        principal_id: &str,
        role_definition_id: &str,
    ) -> Result<String, CustomerDirectoryError> {
        let token = self.directory_token(app, tenant_id).await?;
        let mut patience = Patience::new(&self.settings);
        let url = self.graph_path(ASSIGNMENTS)?;
        let body = json!({
            "@odata.type": "#microsoft.graph.unifiedRoleAssignment",
            "roleDefinitionId": role_definition_id,
            "principalId": principal_id,
            "directoryScopeId": WHOLE_DIRECTORY,
        });
        let mut waited = Duration::ZERO;
        let mut retry = 0u32;
        loop {
            let answer = self
                .send(Method::POST, &url, &token, Some(&body), &mut patience)
                .await?;
            match answer.status {
                status if status.is_success() => {
                    let created: AssignmentJson = answer.json("a role assignment")?;
                    return Ok(created.id);
                }
                StatusCode::NOT_FOUND => {
                    let refusal = answer.refusal();
                    if refusal.names(role_definition_id) && !refusal.names(principal_id) {
                        return Err(CustomerDirectoryError::RoleNotFound);
                    }
                    let wait = self.settings.backoff(retry);
                    waited = waited.saturating_add(wait);
                    if waited > self.settings.replication_wait {
                        return Err(CustomerDirectoryError::NotFound);
                    }
                    tracing::info!(
                        principal_id,
                        wait_ms = wait.as_millis(),
                        "the new principal is not replicated yet"
                    );
                    retry += 1;
                    tokio::time::sleep(wait).await;
                }
                StatusCode::BAD_REQUEST if is_conflict(&answer.refusal().message) => {
                    return self
                        .existing_assignment(
                            &token,
                            &mut patience,
                            principal_id,
                            role_definition_id,
                        )
                        .await;
                }
                _ => return Err(refused(&answer, PERMISSION)),
            }
        }
    }

    /// The principal's role assignments, every page.
    pub async fn role_assignments_of(
        &self,
        app: &SignInApp,
        tenant_id: &AzureTenantId,
        principal_id: &str,
    ) -> Result<Vec<RoleAssignment>, CustomerDirectoryError> {
        let token = self.directory_token(app, tenant_id).await?;
        let mut patience = Patience::new(&self.settings);
        self.assignments_of(&token, &mut patience, principal_id)
            .await
    }

    pub async fn remove_role_assignment(
        &self,
        app: &SignInApp,
        tenant_id: &AzureTenantId,
        assignment_id: &str,
    ) -> Result<Removal, CustomerDirectoryError> {
        let url = match self.object_url(ASSIGNMENTS, assignment_id, None) {
            Ok(url) => url,
            Err(CustomerDirectoryError::NotFound) => return Ok(Removal::AlreadyGone),
            Err(error) => return Err(error),
        };
        let token = self.directory_token(app, tenant_id).await?;
        let mut patience = Patience::new(&self.settings);
        let answer = self
            .send(Method::DELETE, &url, &token, None, &mut patience)
            .await?;
        match answer.status {
            status if status.is_success() => Ok(Removal::Removed),
            StatusCode::NOT_FOUND => Ok(Removal::AlreadyGone),
            _ => Err(refused(&answer, PERMISSION)),
        }
    }

    async fn assignments_of(
        &self,
        token: &AccessToken,
        patience: &mut Patience,
        principal_id: &str,
    ) -> Result<Vec<RoleAssignment>, CustomerDirectoryError> {
        let mut url = self.graph_path(ASSIGNMENTS)?;
        let quoted = principal_id.replace('\'', "''");
        url.query_pairs_mut()
            .append_pair("$filter", &format!("principalId eq '{quoted}'"));
        let assignments: Vec<AssignmentJson> =
            self.every_page(url, token, patience, PERMISSION).await?;
        Ok(assignments.into_iter().map(RoleAssignment::from).collect())
    }

    /// The assignment that made a create conflict: the same role, principal and scope.
    async fn existing_assignment(
        &self,
        token: &AccessToken,
        patience: &mut Patience,
        principal_id: &str,
        role_definition_id: &str,
    ) -> Result<String, CustomerDirectoryError> {
        let assignments = self.assignments_of(token, patience, principal_id).await?;
        assignments
            .into_iter()
            .find(|assignment| {
                assignment
                    .role_definition_id
                    .eq_ignore_ascii_case(role_definition_id)
                    && assignment.directory_scope_id == WHOLE_DIRECTORY
            })
            .map(|assignment| assignment.id)
            .ok_or_else(|| {
                CustomerDirectoryError::Refused(
                    "the role assignment conflicts with one that cannot be found".to_owned(),
                )
            })
    }
}

/// Graph's words for an assignment that exists already.
fn is_conflict(message: &str) -> bool {
    message.to_ascii_lowercase().contains("conflicting object")
}
