use chrono::Utc;
use domain::{ChurnScore, CustomerDraft, LicenceKey};
use entity::{customer, licence_key, tenant};
use proto::{Customer, TenantType};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait};
use uuid::Uuid;

use super::{CUSTOMER_TYPE, customer_views, uniqueness_conflict};
use crate::{
    audit::{self, AuditRecord},
    auth::{Caller, random_bytes},
    error::{ApiError, is_unique_violation},
    tenancy::{self, NewTenant, PlacementError},
};

/// Creates the customer's tenant, its row, its licence key, its group policies and the audit
/// entry on `db`, which must be a transaction: all of it commits together or not at all.
pub async fn create_customer(
    db: &impl ConnectionTrait,
    caller: &Caller,
    reseller: &tenant::Model,
    draft: CustomerDraft,
) -> Result<Customer, ApiError> {
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
    let customer_tenant = tenancy::create_tenant(
        db,
        NewTenant {
            name: draft.name.clone(),
            tenant_type: TenantType::Corporate,
            parent_id: Some(reseller.id),
            monthly_billing: draft.monthly_billing,
            licensing_options: draft.licensing.to_vec(),
            azure_tenant_id: draft.azure_tenant_id,
        },
    )
    .await
    .map_err(|error| match error {
        PlacementError::Api(error) => error,
        other => ApiError::internal(anyhow::anyhow!("{other}")),
    })?;

    let now = Utc::now();
    let key = LicenceKey::from_random_bytes(random_bytes::<16>()?);
    let expires_at = LicenceKey::expiry_for(now);
    let total = draft.total_licenses.value();
    let row = customer::ActiveModel {
        tenant_id: Set(customer_tenant.id),
        reseller_id: Set(reseller.id),
        name: Set(draft.name.as_str().to_owned()),
        name_key: Set(draft.name.key()),
        customer_type: Set(CUSTOMER_TYPE.to_owned()),
        email: Set(draft.email.as_str().to_owned()),
        details: Set(draft.details.map(|details| details.as_str().to_owned())),
        total_licenses: Set(i32::try_from(total).map_err(ApiError::internal)?),
        active_licenses: Set(0),
        spla: Set(draft.spla),
        opt_in_master_gp: Set(draft.opt_in_master_gp),
        churn_score: Set(i16::from(
            ChurnScore::compute(0, total, expires_at, now).value(),
        )),
        azure_tenant_id: Set(azure_tenant_id.clone()),
        created_at: Set(now),
        created_date: Set(now.format("%Y-%m-%d").to_string()),
    };
    let inserted = match row.insert(db).await {
        Ok(inserted) => inserted,
        // Another request took the name or tenant ID between the check and the insert; the
        // violated index says which (a failed statement ends a PostgreSQL transaction, so no
        // further query can ask).
        Err(error) if is_unique_violation(&error) => {
            return Err(match azure_tenant_id {
                Some(id) if error.to_string().contains("azure_tenant_id") => {
                    super::azure_tenant_id_taken(&id)
                }
                _ => super::name_taken(draft.name.as_str()),
            });
        }
        Err(error) => return Err(error.into()),
    };
    licence_key::ActiveModel {
        id: Set(Uuid::new_v4()),
        customer_id: Set(inserted.tenant_id),
        key: Set(key.as_str().to_owned()),
        created_at: Set(now),
        expires_at: Set(expires_at),
    }
    .insert(db)
    .await?;

    let assigned = if draft.opt_in_master_gp {
        super::assign_master_gps(db, inserted.tenant_id, reseller.id, now).await?
    } else {
        Vec::new()
    };
    audit::record(
        db,
        AuditRecord::by(
            caller,
            "customer.create",
            format!("customer:{}", inserted.tenant_id),
        )
        .with_details(serde_json::json!({
            "name": inserted.name,
            "total_licenses": inserted.total_licenses,
            "azure_tenant_id": inserted.azure_tenant_id,
            "group_policy_ids": assigned,
        })),
    )
    .await?;
    customer_views(db, vec![inserted])
        .await?
        .pop()
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("the created customer vanished")))
}
