use chrono::Utc;
use domain::{ChurnScore, CustomerChanges};
use entity::{LicensingOptions, customer, customer_group_policy, licence_key, tenant};
use proto::{Customer, FieldError};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, sea_query::Expr,
};

use super::{CustomerError, conflict_of_violation, customer_views, uniqueness_conflict};
use crate::{
    infra::auth::Caller,
    services::{
        audit::{self, AuditRecord},
        storage::{self, StorageError},
        sub_tenant_news,
    },
};

/// Applies `changes` to `existing` on `db` (a transaction), with the audit entry.
pub async fn update_customer(
    db: &impl ConnectionTrait,
    caller: &Caller,
    existing: customer::Model,
    changes: CustomerChanges,
) -> Result<Customer, CustomerError> {
    // Nothing to change, nothing to write or audit.
    if changes.is_empty() {
        return customer_views(db, &[existing.tenant_id])
            .await?
            .pop()
            .ok_or(CustomerError::NotFound);
    }
    let azure_tenant_id = changes
        .azure_tenant_id
        .map(|id| id.map(|id| id.to_string()));
    let new_azure = azure_tenant_id.clone().flatten();
    if let Some(conflict) = uniqueness_conflict(
        db,
        existing.reseller_id,
        changes.name.as_ref(),
        new_azure.as_deref(),
        Some(existing.tenant_id),
    )
    .await?
    {
        return Err(conflict);
    }
    let own_tenant = tenant::Entity::find_by_id(existing.tenant_id)
        .one(db)
        .await?
        .ok_or(CustomerError::NotFound)?;
    let before = serde_json::json!({
        "name": existing.name, "tenant_name": existing.tenant_name, "display_name": existing.display_name, "total_licenses": existing.total_licenses, "email": existing.email,
        "monthly_billing": own_tenant.monthly_billing, "licensing_options": own_tenant.licensing_options.0,
        "azure_tenant_id": existing.azure_tenant_id, "spla": existing.spla, "opt_in_master_gp": existing.opt_in_master_gp,
    });
    let now = Utc::now();

    let mut tenant_row: tenant::ActiveModel = own_tenant.into();
    if let Some(name) = &changes.name {
        tenant_row.name = Set(name.as_str().to_owned());
    }
    if let Some(monthly_billing) = changes.monthly_billing {
        tenant_row.monthly_billing = Set(monthly_billing);
    }
    if let Some(licensing) = &changes.licensing {
        tenant_row.licensing_options = Set(LicensingOptions(licensing.to_vec()));
    }
    if let Some(azure) = &azure_tenant_id {
        tenant_row.azure_tenant_id = Set(azure.clone());
    }
    tenant_row.update(db).await?;

    let customer_id = existing.tenant_id;
    let reseller_id = existing.reseller_id;
    let active = storage::count("active licences", existing.active_licenses)?;
    // Linked to another sub-tenant (or unlinked): a rename in Azure is judged from the name the
    // new sub-tenant has now, not from the old one's.
    let relinked_name = match &azure_tenant_id {
        Some(wanted) if *wanted != existing.azure_tenant_id => Some(match wanted {
            Some(id) => sub_tenant_news::seen_name(db, reseller_id, id).await?,
            None => None,
        }),
        _ => None,
    };
    let mut row: customer::ActiveModel = existing.into();
    if let Some(azure_name) = relinked_name {
        row.azure_name = Set(azure_name);
    }
    if let Some(name) = &changes.name {
        row.name = Set(name.as_str().to_owned());
        row.name_key = Set(name.key());
    }
    if let Some(total) = changes.total_licenses {
        lower_total_only_above_active(db, customer_id, total.value(), active).await?;
        row.total_licenses = Set(storage::count_column("total licences", total.value())?);
        let key = current_key(db, customer_id).await?;
        row.churn_score = Set(i16::from(
            ChurnScore::compute(active, total.value(), key.expires_at, now).value(),
        ));
    }
    if let Some(email) = &changes.email {
        row.email = Set(email.as_str().to_owned());
    }
    if let Some(wanted) = &changes.tenant_name {
        // A rename is exactly the name asked for: another customer's name is a conflict, not
        // a reason to pick a numbered one.
        let free = super::free_tenant_name(db, reseller_id, wanted, Some(customer_id)).await?;
        if &free != wanted {
            return Err(CustomerError::TenantNameTaken {
                tenant_name: wanted.as_str().to_owned(),
            });
        }
        row.tenant_name = Set(wanted.as_str().to_owned());
    }
    if let Some(display_name) = &changes.display_name {
        row.display_name = Set(display_name.as_str().to_owned());
    }
    if let Some(details) = &changes.details {
        row.details = Set(details.as_ref().map(|details| details.as_str().to_owned()));
    }
    if let Some(azure) = &azure_tenant_id {
        row.azure_tenant_id = Set(azure.clone());
    }
    if let Some(spla) = changes.spla {
        row.spla = Set(spla);
    }
    if let Some(opt_in) = changes.opt_in_master_gp {
        row.opt_in_master_gp = Set(opt_in);
        customer_group_policy::Entity::delete_many()
            .filter(customer_group_policy::Column::CustomerId.eq(customer_id))
            .exec(db)
            .await?;
        if opt_in {
            super::assign_master_gps(db, customer_id, reseller_id, now).await?;
        }
    }
    let updated = row.update(db).await.map_err(|error| {
        match conflict_of_violation(&error, changes.name.as_ref(), new_azure.as_deref()) {
            Some(CustomerError::TenantNameTaken { .. }) => CustomerError::TenantNameTaken {
                tenant_name: changes
                    .tenant_name
                    .as_ref()
                    .map(|name| name.as_str().to_owned())
                    .unwrap_or_default(),
            },
            Some(conflict) => conflict,
            None => error.into(),
        }
    })?;
    audit::record(
        db,
        AuditRecord::by(caller, "customer.update", format!("customer:{customer_id}"))
            .with_details(serde_json::json!({ "before": before })),
    )
    .await?;
    customer_views(db, &[updated.tenant_id])
        .await?
        .pop()
        .ok_or(CustomerError::NotFound)
}

pub async fn current_key(
    db: &impl ConnectionTrait,
    customer_id: uuid::Uuid,
) -> Result<licence_key::Model, StorageError> {
    licence_key::Entity::find()
        .filter(licence_key::Column::CustomerId.eq(customer_id))
        .order_by_desc(licence_key::Column::CreatedAt)
        .one(db)
        .await?
        .ok_or_else(|| StorageError::Corrupt {
            what: "licence key",
            value: format!("missing for customer {customer_id}"),
        })
}

/// Sets the total only where it still covers the licences in use, in one conditional update,
/// so that an activation racing this change cannot leave more licences active than bought.
async fn lower_total_only_above_active(
    db: &impl ConnectionTrait,
    customer_id: uuid::Uuid,
    total: u32,
    active: u32,
) -> Result<(), CustomerError> {
    let column = storage::count_column("total licences", total)?;
    let set = customer::Entity::update_many()
        .col_expr(customer::Column::TotalLicenses, Expr::value(column))
        .filter(customer::Column::TenantId.eq(customer_id))
        .filter(customer::Column::ActiveLicenses.lte(column))
        .exec(db)
        .await?;
    if set.rows_affected == 0 {
        return Err(CustomerError::Invalid(vec![FieldError::new(
            "total_licenses",
            "below_active",
            format!(
                "{active} licences are in use; deactivate devices before lowering the total below that"
            ),
        )]));
    }
    Ok(())
}
