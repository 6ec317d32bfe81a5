//! Asking for an account: the first request creates `<prefix><local part>@<domain>` in the
//! customer's directory with a random password (answered once, never stored) and assigns the
//! roles the technician's groups are mapped to; asking again while it is active extends it and
//! brings its roles in line with the mapping. A failure after the create removes the account
//! again, or leaves it to the expiry job, but never leaves an enabled account forgotten.

use std::collections::BTreeSet;

use chrono::Utc;
use domain::{
    AccountLifetime, AzureTenantId, Email, JitAccountName, JitPrefix, RoleId, expiry_after_request,
};
use entity::{customer, jit_account, technician_group_member, user};
use msp_graph::{
    AccountPassword, CustomerDirectoryError, GraphClient, NewDirectoryAccount, SignInApp,
};
use proto::GrantedJitAccount;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
    SqlErr,
};
use uuid::Uuid;

use super::{
    JitAccountError, StoredRole, accessible_customer, expiry_due_by, not_ready_reason, state,
    stored_roles, view,
};
use crate::{
    infra::{InfraFailure, auth::Caller},
    services::{
        audit::{self, AuditRecord},
        customer_entra, user_source,
    },
};

/// Where a technician signs in with the account: the Azure portal, in the customer's directory.
fn sign_in_url(entra: &AzureTenantId) -> String {
    format!("https://portal.azure.com/{entra}")
}

/// What a request works with once the caller and the connection passed.
struct Ask<'a> {
    caller: &'a Caller,
    user: user::Model,
    customer: customer::Model,
    graph: &'a GraphClient,
    app: &'a SignInApp,
    entra: AzureTenantId,
    lifetime: AccountLifetime,
    roles: Vec<StoredRole>,
}

/// Creates the caller's account in the customer's directory, or extends the active one.
pub async fn request(
    db: &DatabaseConnection,
    caller: &Caller,
    graph: &GraphClient,
    app: Option<&SignInApp>,
    customer_id: Uuid,
) -> Result<GrantedJitAccount, JitAccountError> {
    let (user, customer) = accessible_customer(db, caller, customer_id).await?;
    let connection = customer_entra::stored(db, &customer).await?;
    if let Some(reason) = not_ready_reason(&connection) {
        return Err(JitAccountError::NotReady(reason));
    }
    let app = app.ok_or(JitAccountError::AppNotConfigured)?;
    let entra = customer_entra::connected_tenant(&connection)
        .map_err(|_| JitAccountError::NotReady("the customer's directory is not authorised"))?;
    let mapping = customer_entra::role_mapping(&connection).ok_or(JitAccountError::NotReady(
        "the role mapping cannot be read; save it again",
    ))?;
    let groups: Vec<Uuid> = technician_group_member::Entity::find()
        .filter(technician_group_member::Column::UserId.eq(user.id))
        .all(db)
        .await?
        .into_iter()
        .map(|member| member.group_id)
        .collect();
    let wanted = mapping.roles_for(&groups)?;
    let roles = named_roles(graph, app, &entra, &wanted).await?;
    let lifetime = u32::try_from(connection.lifetime_hours)
        .ok()
        .and_then(|hours| AccountLifetime::from_hours(hours).ok())
        .unwrap_or_default();
    let domain = connection
        .account_domain
        .clone()
        .ok_or(JitAccountError::NotReady(
            "no domain for accounts is chosen",
        ))?;
    let existing = jit_account::Entity::find()
        .filter(jit_account::Column::CustomerId.eq(customer.tenant_id))
        .filter(jit_account::Column::TechnicianId.eq(user.id))
        .one(db)
        .await?;
    let ask = Ask {
        caller,
        user,
        customer,
        graph,
        app,
        entra,
        lifetime,
        roles,
    };
    match existing {
        Some(row) if row.state == state::ACTIVE => match row.object_id.clone() {
            Some(object_id) if ask.still_there(&object_id).await? => {
                extend(db, &ask, row, &object_id).await
            }
            // Someone deleted it in Entra: it is forgotten here too, and made again.
            _ => {
                jit_account::Entity::delete_by_id(row.id).exec(db).await?;
                create(db, &ask, &domain).await
            }
        },
        Some(_) => Err(JitAccountError::Busy),
        None => create(db, &ask, &domain).await,
    }
}

/// The wanted roles with their names; a role the directory lacks is refused.
async fn named_roles(
    graph: &GraphClient,
    app: &SignInApp,
    entra: &AzureTenantId,
    wanted: &BTreeSet<RoleId>,
) -> Result<Vec<StoredRole>, JitAccountError> {
    let known = graph.built_in_roles(app, entra).await?;
    wanted
        .iter()
        .map(|role| {
            known
                .iter()
                .find(|known| known.id.eq_ignore_ascii_case(&role.to_string()))
                .map(|known| StoredRole {
                    id: role.uuid(),
                    display_name: known.display_name.clone(),
                })
                .ok_or(JitAccountError::Directory(
                    CustomerDirectoryError::RoleNotFound,
                ))
        })
        .collect()
}

impl Ask<'_> {
    async fn still_there(&self, object_id: &str) -> Result<bool, JitAccountError> {
        Ok(self
            .graph
            .get_user_by_id(self.app, &self.entra, object_id)
            .await?
            .is_some())
    }

    fn audit(&self, action: &'static str, row: &jit_account::Model) -> AuditRecord {
        AuditRecord::by(
            &self.caller.inside(self.customer.tenant_id),
            action,
            format!("jit_account:{}", row.id),
        )
        .with_details(serde_json::json!({
            "user_principal_name": row.user_principal_name,
            "technician": row.technician_email,
            "roles": self.roles.iter().map(|role| &role.display_name).collect::<Vec<_>>(),
            "expires_at": row.expires_at,
        }))
    }
}

async fn create(
    db: &DatabaseConnection,
    ask: &Ask<'_>,
    domain: &str,
) -> Result<GrantedJitAccount, JitAccountError> {
    let prefix = user_source::stored(db, ask.caller.home_tenant_id)
        .await?
        .jit_prefix;
    let prefix = JitPrefix::parse(&prefix)
        .or_else(|_| JitPrefix::parse(JitPrefix::DEFAULT))
        .map_err(|error| InfraFailure::from(anyhow::anyhow!("the JIT prefix: {error}")))?;
    let email = Email::parse(&ask.user.email)
        .map_err(|error| InfraFailure::from(anyhow::anyhow!("a stored e-mail: {error}")))?;
    let name = JitAccountName::for_technician(&prefix, &email, domain)?;
    // An account of that name that is not ours is never taken over.
    if ask
        .graph
        .get_user_by_id(ask.app, &ask.entra, name.user_principal_name())
        .await?
        .is_some()
    {
        return Err(CustomerDirectoryError::UpnTaken {
            after_lost_answer: false,
        }
        .into());
    }
    let now = Utc::now();
    // Written before Entra is asked, so that a process that dies mid-way leaves a row the expiry
    // job finds. The unique index refuses a second request racing this one.
    let row = jit_account::ActiveModel {
        id: Set(Uuid::new_v4()),
        reseller_id: Set(ask.customer.reseller_id),
        customer_id: Set(Some(ask.customer.tenant_id)),
        technician_id: Set(ask.user.id),
        technician_email: Set(ask.user.email.clone()),
        entra_tenant_id: Set(ask.entra.to_string()),
        user_principal_name: Set(name.user_principal_name().to_owned()),
        object_id: Set(None),
        roles: Set(stored_roles::to_text(&ask.roles)),
        state: Set(state::CREATING.to_owned()),
        created_at: Set(now),
        expires_at: Set(expiry_after_request(now, None, ask.lifetime)),
        ended_by: Set(None),
        teardown_step: Set(None),
        last_error: Set(None),
        last_attempt_at: Set(None),
    }
    .insert(db)
    .await
    .map_err(|error| match error.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => JitAccountError::Busy,
        _ => error.into(),
    })?;
    let password = AccountPassword::generate()
        .map_err(|_| InfraFailure::from(anyhow::anyhow!("no randomness for a password")))?;
    let account = NewDirectoryAccount {
        user_principal_name: name.user_principal_name().to_owned(),
        display_name: format!("{} (just-in-time)", ask.user.display_name),
        mail_nickname: name.mail_nickname().to_owned(),
        password: password.clone(),
    };
    let created = match ask.graph.create_user(ask.app, &ask.entra, &account).await {
        Ok(created) => created,
        Err(error) => {
            match &error {
                // The answer never came: the account may exist, and only the expiry job can
                // find out (the name was free a moment before, so one found is this one).
                CustomerDirectoryError::Graph(_) => leave_to_expiry(db, &row, &error).await?,
                // The retry met the name taken, most likely by its own lost create (the name was
                // free a moment before): never handed out, removed by the expiry job.
                CustomerDirectoryError::UpnTaken {
                    after_lost_answer: true,
                } => {
                    leave_to_expiry(db, &row, &error).await?;
                    return Err(JitAccountError::AnswerLost);
                }
                _ => {
                    jit_account::Entity::delete_by_id(row.id).exec(db).await?;
                }
            }
            return Err(error.into());
        }
    };
    let mut stored: jit_account::ActiveModel = row.clone().into();
    stored.object_id = Set(Some(created.object_id.clone()));
    let row = stored.update(db).await?;
    for role in &ask.roles {
        if let Err(error) = ask
            .graph
            .assign_role(
                ask.app,
                &ask.entra,
                &created.object_id,
                &role.id.to_string(),
            )
            .await
        {
            roll_back(db, ask, &row, &created.object_id, &error).await?;
            return Err(error.into());
        }
    }
    let mut active: jit_account::ActiveModel = row.into();
    active.state = Set(state::ACTIVE.to_owned());
    let row = active.update(db).await?;
    audit::record(db, ask.audit("jit_account.create", &row)).await?;
    expiry_due_by(db, row.reseller_id, row.expires_at).await?;
    Ok(GrantedJitAccount {
        account: view(&row, Some(&ask.customer.display_name)),
        password: Some(password.expose().to_owned()),
        sign_in_url: sign_in_url(&ask.entra),
        extended: false,
    })
}

/// The account was made but cannot be finished: delete it now, or else leave it to the expiry
/// job, which disables it first.
async fn roll_back(
    db: &DatabaseConnection,
    ask: &Ask<'_>,
    row: &jit_account::Model,
    object_id: &str,
    cause: &CustomerDirectoryError,
) -> Result<(), JitAccountError> {
    match ask.graph.delete_user(ask.app, &ask.entra, object_id).await {
        Ok(_) => {
            jit_account::Entity::delete_by_id(row.id).exec(db).await?;
            Ok(())
        }
        Err(_) => leave_to_expiry(db, row, cause).await,
    }
}

async fn leave_to_expiry(
    db: &DatabaseConnection,
    row: &jit_account::Model,
    cause: &CustomerDirectoryError,
) -> Result<(), JitAccountError> {
    let now = Utc::now();
    let mut ending: jit_account::ActiveModel = row.clone().into();
    ending.state = Set(state::ENDING.to_owned());
    ending.expires_at = Set(now);
    ending.last_error = Set(Some(format!("the request failed: {cause}")));
    ending.last_attempt_at = Set(Some(now));
    ending.update(db).await?;
    expiry_due_by(db, row.reseller_id, now).await?;
    Ok(())
}

/// A request while the account is active: the later expiry, and the roles as mapped now.
async fn extend(
    db: &DatabaseConnection,
    ask: &Ask<'_>,
    row: jit_account::Model,
    object_id: &str,
) -> Result<GrantedJitAccount, JitAccountError> {
    let held = ask
        .graph
        .role_assignments_of(ask.app, &ask.entra, object_id)
        .await?;
    for role in &ask.roles {
        let wanted = role.id.to_string();
        if !held
            .iter()
            .any(|assignment| assignment.role_definition_id.eq_ignore_ascii_case(&wanted))
        {
            ask.graph
                .assign_role(ask.app, &ask.entra, object_id, &wanted)
                .await?;
        }
    }
    for assignment in &held {
        let still_wanted = ask.roles.iter().any(|role| {
            assignment
                .role_definition_id
                .eq_ignore_ascii_case(&role.id.to_string())
        });
        if !still_wanted {
            ask.graph
                .remove_role_assignment(ask.app, &ask.entra, &assignment.id)
                .await?;
        }
    }
    let expires_at = expiry_after_request(Utc::now(), Some(row.expires_at), ask.lifetime);
    let mut extended: jit_account::ActiveModel = row.into();
    extended.expires_at = Set(expires_at);
    extended.roles = Set(stored_roles::to_text(&ask.roles));
    let row = extended.update(db).await?;
    audit::record(db, ask.audit("jit_account.extend", &row)).await?;
    expiry_due_by(db, row.reseller_id, row.expires_at).await?;
    Ok(GrantedJitAccount {
        account: view(&row, Some(&ask.customer.display_name)),
        password: None,
        sign_in_url: sign_in_url(&ask.entra),
        extended: true,
    })
}
