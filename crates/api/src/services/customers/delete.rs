//! Deleting a customer tenant (SPEC §15): every row that belongs to it goes in the caller's one
//! transaction (customer, licence keys and activations, group policy assignments, its access
//! delegation and turned-down Azure matches, its users with
//! their sessions, tokens and factors, its technician groups, its settings and its own audit log), children before
//! parents so that both databases' foreign keys hold at every step. The MSP's audit log keeps
//! the deletion; the search structures follow the customer row through their triggers.

use entity::{
    activation, api_token, audit_log, customer, customer_delegated_group, customer_delegated_user,
    customer_group_policy, customer_match_rejection, group_policy, idempotency_record, invitation,
    job, job_run, licence_key, provisioning_call, recovery_code, scim_token, security_integration,
    session, sub_tenant_listing, technician_group, technician_group_member, tenant, totp_factor,
    user, user_source, wizard_progress,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, sea_query::Query};
use uuid::Uuid;

use super::CustomerError;
use crate::{
    infra::auth::Caller,
    services::audit::{self, AuditRecord},
};

/// Removes `existing` and everything of its tenant on `db` (a transaction); audits it in the
/// reseller's log.
pub async fn delete_customer(
    db: &impl ConnectionTrait,
    caller: &Caller,
    existing: customer::Model,
) -> Result<(), CustomerError> {
    caller.require_admin()?;
    let tenant_id = existing.tenant_id;
    // The MSP's technicians who are inside it now are put out.
    session::Entity::delete_many()
        .filter(session::Column::CustomerTenantId.eq(tenant_id))
        .exec(db)
        .await?;
    delete_users_of(db, tenant_id).await?;
    let keys = Query::select()
        .column(licence_key::Column::Id)
        .from(licence_key::Entity)
        .and_where(licence_key::Column::CustomerId.eq(tenant_id))
        .to_owned();
    activation::Entity::delete_many()
        .filter(activation::Column::LicenceKeyId.in_subquery(keys))
        .exec(db)
        .await?;
    licence_key::Entity::delete_many()
        .filter(licence_key::Column::CustomerId.eq(tenant_id))
        .exec(db)
        .await?;
    customer_group_policy::Entity::delete_many()
        .filter(customer_group_policy::Column::CustomerId.eq(tenant_id))
        .exec(db)
        .await?;
    customer_delegated_user::Entity::delete_many()
        .filter(customer_delegated_user::Column::CustomerId.eq(tenant_id))
        .exec(db)
        .await?;
    customer_match_rejection::Entity::delete_many()
        .filter(customer_match_rejection::Column::CustomerId.eq(tenant_id))
        .exec(db)
        .await?;
    customer_delegated_group::Entity::delete_many()
        .filter(customer_delegated_group::Column::CustomerId.eq(tenant_id))
        .exec(db)
        .await?;
    delete_settings_of(db, tenant_id).await?;
    // Its just-in-time accounts in Entra outlive it until the expiry job removes them.
    crate::services::jit_accounts::orphan_for_deleted_customer(db, tenant_id).await?;
    // The answers kept for Idempotency-Key replays name the customer: a replay after the
    // deletion must not hand out a customer that no longer exists.
    idempotency_record::Entity::delete_many()
        .filter(idempotency_record::Column::ResponseBody.contains(tenant_id.to_string()))
        .exec(db)
        .await?;
    customer::Entity::delete_by_id(tenant_id).exec(db).await?;
    tenant::Entity::delete_by_id(tenant_id).exec(db).await?;
    audit::record(
        db,
        AuditRecord::by(caller, "customer.delete", format!("customer:{tenant_id}")).with_details(
            serde_json::json!({
                "name": existing.name,
                "reseller_id": existing.reseller_id,
                "azure_tenant_id": existing.azure_tenant_id,
            }),
        ),
    )
    .await?;
    Ok(())
}

/// The customer tenant's own users and what hangs on them.
async fn delete_users_of(db: &impl ConnectionTrait, tenant_id: Uuid) -> Result<(), CustomerError> {
    let users = || {
        Query::select()
            .column(user::Column::Id)
            .from(user::Entity)
            .and_where(user::Column::TenantId.eq(tenant_id))
            .to_owned()
    };
    api_token::Entity::delete_many()
        .filter(api_token::Column::UserId.in_subquery(users()))
        .exec(db)
        .await?;
    wizard_progress::Entity::delete_many()
        .filter(wizard_progress::Column::UserId.in_subquery(users()))
        .exec(db)
        .await?;
    session::Entity::delete_many()
        .filter(session::Column::UserId.in_subquery(users()))
        .exec(db)
        .await?;
    totp_factor::Entity::delete_many()
        .filter(totp_factor::Column::UserId.in_subquery(users()))
        .exec(db)
        .await?;
    recovery_code::Entity::delete_many()
        .filter(recovery_code::Column::UserId.in_subquery(users()))
        .exec(db)
        .await?;
    invitation::Entity::delete_many()
        .filter(invitation::Column::UserId.in_subquery(users()))
        .exec(db)
        .await?;
    idempotency_record::Entity::delete_many()
        .filter(idempotency_record::Column::UserId.in_subquery(users()))
        .exec(db)
        .await?;
    technician_group_member::Entity::delete_many()
        .filter(technician_group_member::Column::UserId.in_subquery(users()))
        .exec(db)
        .await?;
    sub_tenant_listing::Entity::delete_many()
        .filter(sub_tenant_listing::Column::UserId.in_subquery(users()))
        .exec(db)
        .await?;
    user::Entity::delete_many()
        .filter(user::Column::TenantId.eq(tenant_id))
        .exec(db)
        .await?;
    Ok(())
}

/// The customer tenant's own settings, integrations, policies, scheduled jobs and audit log.
async fn delete_settings_of(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
) -> Result<(), CustomerError> {
    let policies = Query::select()
        .column(group_policy::Column::Id)
        .from(group_policy::Entity)
        .and_where(group_policy::Column::TenantId.eq(tenant_id))
        .to_owned();
    customer_group_policy::Entity::delete_many()
        .filter(customer_group_policy::Column::GroupPolicyId.in_subquery(policies))
        .exec(db)
        .await?;
    group_policy::Entity::delete_many()
        .filter(group_policy::Column::TenantId.eq(tenant_id))
        .exec(db)
        .await?;
    let groups = Query::select()
        .column(technician_group::Column::Id)
        .from(technician_group::Entity)
        .and_where(technician_group::Column::TenantId.eq(tenant_id))
        .to_owned();
    technician_group_member::Entity::delete_many()
        .filter(technician_group_member::Column::GroupId.in_subquery(groups))
        .exec(db)
        .await?;
    technician_group::Entity::delete_many()
        .filter(technician_group::Column::TenantId.eq(tenant_id))
        .exec(db)
        .await?;
    scim_token::Entity::delete_many()
        .filter(scim_token::Column::TenantId.eq(tenant_id))
        .exec(db)
        .await?;
    provisioning_call::Entity::delete_many()
        .filter(provisioning_call::Column::TenantId.eq(tenant_id))
        .exec(db)
        .await?;
    security_integration::Entity::delete_many()
        .filter(security_integration::Column::TenantId.eq(tenant_id))
        .exec(db)
        .await?;
    user_source::Entity::delete_many()
        .filter(user_source::Column::TenantId.eq(tenant_id))
        .exec(db)
        .await?;
    let jobs = Query::select()
        .column(job::Column::Name)
        .from(job::Entity)
        .and_where(job::Column::TenantId.eq(tenant_id))
        .to_owned();
    job_run::Entity::delete_many()
        .filter(job_run::Column::JobName.in_subquery(jobs))
        .exec(db)
        .await?;
    job::Entity::delete_many()
        .filter(job::Column::TenantId.eq(tenant_id))
        .exec(db)
        .await?;
    audit_log::Entity::delete_many()
        .filter(audit_log::Column::TenantId.eq(tenant_id))
        .exec(db)
        .await?;
    Ok(())
}
