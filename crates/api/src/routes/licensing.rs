use actix_web::{HttpResponse, post, web};
use domain::LicenceKey;
use proto::{Claim, DeviceActivation, FieldError, LicenceUsage};
use sea_orm::TransactionTrait;

use crate::{
    error::{ApiError, RequestError},
    infra::{auth::Caller, state::AppState},
    routes::json_object::JsonObject,
    services::licensing::{self, Activated},
};

fn parse(body: &DeviceActivation) -> Result<licensing::DeviceActivation, ApiError> {
    let mut errors = Vec::new();
    let key = LicenceKey::parse(&body.licence_key)
        .map_err(|error| {
            errors.push(FieldError::new(
                "licence_key",
                "invalid_licence_key",
                error.to_string(),
            ))
        })
        .ok();
    let device_id = body.device_id.trim();
    let device_ok = !device_id.is_empty() && device_id.chars().count() <= 200;
    if !device_ok {
        errors.push(FieldError::new(
            "device_id",
            "invalid_device_id",
            "a device ID has 1–200 characters".to_owned(),
        ));
    }
    match key {
        Some(key) if device_ok => Ok(licensing::DeviceActivation {
            key,
            device_id: device_id.to_owned(),
        }),
        _ => Err(RequestError::Validation(errors).into()),
    }
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
        (status = 403, description = "Needs `create_customer`", body = proto::Problem, content_type = "application/problem+json"),
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
    // A device's licence use changes the customer, as editing it does.
    caller.require(Claim::CreateCustomer)?;
    let device = parse(&body)?;
    let transaction = state.db.begin().await?;
    let Activated { usage, newly } = licensing::activate(&transaction, &caller, device).await?;
    transaction.commit().await?;
    Ok(if newly {
        HttpResponse::Created().json(usage)
    } else {
        HttpResponse::Ok().json(usage)
    })
}

/// Deactivates a device: its licence is free again. Deactivating a device that is not active
/// changes nothing.
#[utoipa::path(
    tag = "customers",
    request_body = DeviceActivation,
    responses(
        (status = 200, description = "Deactivated (or was not active)", body = LicenceUsage),
        (status = 400, description = "Malformed body", body = proto::Problem, content_type = "application/problem+json"),
        (status = 403, description = "Needs `create_customer`", body = proto::Problem, content_type = "application/problem+json"),
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
    // A device's licence use changes the customer, as editing it does.
    caller.require(Claim::CreateCustomer)?;
    let device = parse(&body)?;
    let transaction = state.db.begin().await?;
    let usage = licensing::deactivate(&transaction, &caller, device).await?;
    transaction.commit().await?;
    Ok(web::Json(usage))
}
