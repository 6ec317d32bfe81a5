use chrono::Utc;
use domain::CustomerDraft;
use entity::tenant;
use proto::{Customer, LicenceKeyInfo, TenantType};
use sea_orm::ConnectionTrait;

use super::{
    CustomerError,
    listing::{Listed, TenantTerms},
    people::people_of_new_customer,
    record::{CustomerRecord, insert_record},
    uniqueness_conflict, view_of,
};
use crate::{
    infra::auth::Caller,
    services::{
        audit::{self, AuditRecord},
        tenancy::{self, NewTenant},
    },
};

/// Creates the customer's tenant, its row, its licence key, its group policies and the audit
/// entry on `db`, which must be a transaction: all of it commits together or not at all.
/// `reseller` is the caller's reseller as read before the transaction.
pub async fn create_customer(
    db: &impl ConnectionTrait,
    caller: &Caller,
    reseller: &tenant::Model,
    draft: CustomerDraft,
) -> Result<Customer, CustomerError> {
    let azure_tenant_id = draft.azure_tenant_id.map(|id| id.to_string());
    if let Some(conflict) = uniqueness_conflict(
        db,
        reseller.id,
        Some(&draft.name),
        azure_tenant_id.as_deref(),
        None,
    )
    .await?
    {
        return Err(conflict);
    }
    let customer_tenant = tenancy::create_tenant_under(
        db,
        reseller,
        NewTenant {
            name: draft.name.clone(),
            tenant_type: TenantType::Corporate,
            parent_id: Some(reseller.id),
            monthly_billing: draft.monthly_billing,
            licensing_options: draft.licensing.to_vec(),
            azure_tenant_id: draft.azure_tenant_id,
        },
    )
    .await?;

    // PostgreSQL's triggers count the new customer and its name's parts per reseller, and those
    // count rows stay locked until the commit, so every other create of the reseller waits from
    // the customer's insert on: the reads and the audit entry come before it, and only the rows
    // that reference the customer after it.
    let now = Utc::now();
    let policies = if draft.opt_in_master_gp {
        super::enabled_master_gps(db, reseller.id).await?
    } else {
        Vec::new()
    };
    let people = people_of_new_customer(db, reseller.id).await?;
    audit::record(
        db,
        AuditRecord::by(
            caller,
            "customer.create",
            format!("customer:{}", customer_tenant.id),
        )
        .with_details(serde_json::json!({
            "name": draft.name.as_str(),
            "total_licenses": draft.total_licenses.value(),
            "azure_tenant_id": azure_tenant_id,
            "group_policy_ids": policies,
        })),
    )
    .await?;
    let (inserted, key) = insert_record(
        db,
        CustomerRecord {
            tenant_id: customer_tenant.id,
            reseller_id: reseller.id,
            name: &draft.name,
            tenant_name: draft.tenant_name.as_ref(),
            display_name: draft.display_name.as_ref().map(|name| name.as_str()),
            email: draft.email.as_str().to_owned(),
            details: draft.details.map(|details| details.as_str().to_owned()),
            total_licenses: draft.total_licenses.value(),
            active_licenses: 0,
            spla: draft.spla,
            opt_in_master_gp: draft.opt_in_master_gp,
            azure_tenant_id,
            created_at: now,
        },
    )
    .await?;
    super::assign_group_policies(db, inserted.tenant_id, &policies, now).await?;
    // Built from what was just written rather than read back: each statement here holds the
    // database's one writer (SQLite) while every other write waits.
    let listed = Listed {
        customer: inserted,
        terms: TenantTerms {
            monthly_billing: customer_tenant.monthly_billing,
            licensing_options: customer_tenant.licensing_options,
        },
        licence_key: Some(LicenceKeyInfo {
            key: key.key,
            expires_at: key.expires_at,
        }),
    };
    Ok(view_of(listed, reseller, people, policies)?)
}
