use actix_web::{HttpResponse, post, web};
use chrono::Utc;
use domain::{ChurnScore, LicenceKey};
use entity::{activation, customer, licence_key};
use proto::{DeviceActivation, LicenceUsage};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionTrait,
    sea_query::{Expr, ExprTrait},
};
use uuid::Uuid;

use crate::json_object::JsonObject;
use crate::{
    audit::{self, AuditRecord},
    auth::Caller,
    customers,
    error::{ApiError, is_unique_violation},
    state::AppState,
    tenancy,
};

struct Parsed {
    key: LicenceKey,
    device_id: String,
}

fn parse(body: &DeviceActivation) -> Result<Parsed, ApiError> {
    let mut errors = Vec::new();
    let key = LicenceKey::parse(&body.licence_key)
        .map_err(|error| {
            errors.push(field(
                "licence_key",
                "invalid_licence_key",
                error.to_string(),
            ))
        })
        .ok();
    let device_id = body.device_id.trim();
    let device_ok = !device_id.is_empty() && device_id.chars().count() <= 200;
    if !device_ok {
        errors.push(field(
            "device_id",
            "invalid_device_id",
            "a device ID has 1–200 characters".to_owned(),
        ));
    }
    match key {
        Some(key) if device_ok => Ok(Parsed {
            key,
            device_id: device_id.to_owned(),
        }),
        _ => Err(ApiError::Validation(errors)),
    }
}

fn field(field: &str, code: &str, message: String) -> proto::FieldError {
    proto::FieldError {
        field: field.to_owned(),
        code: code.to_owned(),
        message,
    }
}

/// The key and its customer, if the caller may see them; otherwise a 404 that does not tell
/// whether the key exists.
async fn find_key(
    db: &impl ConnectionTrait,
    caller: &Caller,
    key: &LicenceKey,
) -> Result<(licence_key::Model, customer::Model), ApiError> {
    let stored = licence_key::Entity::find()
        .filter(licence_key::Column::Key.eq(key.as_str()))
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)?;
    let own = tenancy::find_tenant(db, caller.tenant_id).await?;
    let owner = customers::find_visible_customer(db, &own, stored.customer_id).await?;
    Ok((stored, owner))
}

/// Recomputes the churn score after the active count changed, and reports the usage.
async fn settle(
    db: &impl ConnectionTrait,
    customer_id: Uuid,
    key: &licence_key::Model,
    device_active: bool,
) -> Result<LicenceUsage, ApiError> {
    let row = customer::Entity::find_by_id(customer_id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)?;
    let active = u32::try_from(row.active_licenses).unwrap_or(0);
    let total = u32::try_from(row.total_licenses).unwrap_or(0);
    let churn = ChurnScore::compute(active, total, key.expires_at, Utc::now()).value();
    if i16::from(churn) != row.churn_score {
        let mut changed: customer::ActiveModel = row.into();
        changed.churn_score = Set(i16::from(churn));
        changed.update(db).await?;
    }
    Ok(LicenceUsage {
        customer_id,
        active_licenses: active,
        total_licenses: total,
        churn_score: churn,
        device_active,
    })
}

/// Activates a device against a licence key: one more active licence. Refused when the key has
/// expired or every licence is in use; activating the same device again changes nothing.
#[utoipa::path(
    tag = "customers",
    request_body = DeviceActivation,
    responses(
        (status = 201, description = "Activated", body = LicenceUsage),
        (status = 200, description = "The device was already active", body = LicenceUsage),
        (status = 400, description = "Malformed body", body = proto::Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = proto::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such key in your tree", body = proto::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The key has expired, or no licence is free", body = proto::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Malformed key or device ID", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[post("/licensing/activations")]
pub async fn activate(
    state: web::Data<AppState>,
    caller: Caller,
    body: JsonObject<DeviceActivation>,
) -> Result<HttpResponse, ApiError> {
    let Parsed { key, device_id } = parse(&body)?;
    let transaction = state.db.begin().await?;
    let (stored, owner) = find_key(&transaction, &caller, &key).await?;
    let already = activation::Entity::find()
        .filter(activation::Column::LicenceKeyId.eq(stored.id))
        .filter(activation::Column::DeviceId.eq(device_id.clone()))
        .one(&transaction)
        .await?;
    if already.is_some() {
        let usage = settle(&transaction, owner.tenant_id, &stored, true).await?;
        transaction.commit().await?;
        return Ok(HttpResponse::Ok().json(usage));
    }
    if stored.expires_at <= Utc::now() {
        return Err(ApiError::Conflict {
            code: "licence_expired",
            detail: format!(
                "this licence key expired on {}; renew it to activate devices",
                stored.expires_at.format("%Y-%m-%d")
            ),
        });
    }
    // One conditional update: two activations racing for the last licence cannot both win.
    let counted = customer::Entity::update_many()
        .col_expr(
            customer::Column::ActiveLicenses,
            Expr::col(customer::Column::ActiveLicenses).add(1),
        )
        .filter(customer::Column::TenantId.eq(owner.tenant_id))
        .filter(
            Expr::col(customer::Column::ActiveLicenses)
                .lt(Expr::col(customer::Column::TotalLicenses)),
        )
        .exec(&transaction)
        .await?;
    if counted.rows_affected == 0 {
        return Err(ApiError::Conflict {
            code: "no_free_licences",
            detail: format!(
                "all {} licences are in use; deactivate a device or buy more licences",
                owner.total_licenses
            ),
        });
    }
    activation::ActiveModel {
        id: Set(Uuid::new_v4()),
        licence_key_id: Set(stored.id),
        device_id: Set(device_id.clone()),
        activated_at: Set(Utc::now()),
    }
    .insert(&transaction)
    .await
    .map_err(|error| {
        if is_unique_violation(&error) {
            ApiError::Conflict {
                code: "activation_in_progress",
                detail: "this device is being activated by another request".to_owned(),
            }
        } else {
            error.into()
        }
    })?;
    let usage = settle(&transaction, owner.tenant_id, &stored, true).await?;
    audit::record(
        &transaction,
        AuditRecord::by(
            &caller,
            "licence.activate",
            format!("customer:{}", owner.tenant_id),
        )
        .with_details(
            serde_json::json!({ "device_id": device_id, "active_licenses": usage.active_licenses }),
        ),
    )
    .await?;
    transaction.commit().await?;
    Ok(HttpResponse::Created().json(usage))
}

/// Deactivates a device: its licence is free again. Deactivating a device that is not active
/// changes nothing.
#[utoipa::path(
    tag = "customers",
    request_body = DeviceActivation,
    responses(
        (status = 200, description = "Deactivated (or was not active)", body = LicenceUsage),
        (status = 400, description = "Malformed body", body = proto::Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = proto::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such key in your tree", body = proto::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Malformed key or device ID", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[post("/licensing/deactivations")]
pub async fn deactivate(
    state: web::Data<AppState>,
    caller: Caller,
    body: JsonObject<DeviceActivation>,
) -> Result<web::Json<LicenceUsage>, ApiError> {
    let Parsed { key, device_id } = parse(&body)?;
    let transaction = state.db.begin().await?;
    let (stored, owner) = find_key(&transaction, &caller, &key).await?;
    let removed = activation::Entity::delete_many()
        .filter(activation::Column::LicenceKeyId.eq(stored.id))
        .filter(activation::Column::DeviceId.eq(device_id.clone()))
        .exec(&transaction)
        .await?;
    if removed.rows_affected > 0 {
        customer::Entity::update_many()
            .col_expr(
                customer::Column::ActiveLicenses,
                Expr::col(customer::Column::ActiveLicenses).sub(1),
            )
            .filter(customer::Column::TenantId.eq(owner.tenant_id))
            .filter(customer::Column::ActiveLicenses.gt(0))
            .exec(&transaction)
            .await?;
    }
    let usage = settle(&transaction, owner.tenant_id, &stored, false).await?;
    if removed.rows_affected > 0 {
        audit::record(
            &transaction,
            AuditRecord::by(&caller, "licence.deactivate", format!("customer:{}", owner.tenant_id))
                .with_details(serde_json::json!({ "device_id": device_id, "active_licenses": usage.active_licenses })),
        )
        .await?;
    }
    transaction.commit().await?;
    Ok(web::Json(usage))
}
