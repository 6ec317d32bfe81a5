//! The JSON body extractor of every handler.

use std::{future::Future, ops::Deref, pin::Pin};

use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use serde::de::DeserializeOwned;

use crate::error::{self, ApiError, RequestError};

/// A request body that must be a JSON object, as every body in the OpenAPI document is. serde
/// also reads a struct from an array, field by field in order, so `[null, null]` passed as a
/// group-policy update (schema fuzzing found it); reading the JSON value first lets anything but
/// an object be refused. Size limit, content type and syntax errors come from `web::Json`.
#[derive(Debug)]
pub struct JsonObject<T>(pub T);

impl<T> JsonObject<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> Deref for JsonObject<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for JsonObject<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let value = web::Json::<serde_json::Value>::from_request(request, payload);
        Box::pin(async move {
            let web::Json(value) = value.await?;
            object_of(value).map(JsonObject)
        })
    }
}

/// `value` as `T` if it is a JSON object that reads as one.
fn object_of<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, actix_web::Error> {
    if !value.is_object() {
        return Err(ApiError::from(RequestError::InvalidBody(
            "the body must be a JSON object".to_owned(),
        ))
        .into());
    }
    serde_json::from_value(value)
        .map_err(|serde_error| ApiError::from(error::body_error(&serde_error)).into())
}

/// The body of a batch (`POST /api/v1/customers/batch`): a [`JsonObject`] allowed up to
/// [`BATCH_BODY_LIMIT_BYTES`], as 500 customers need more than every other body's 64 KiB.
#[derive(Debug)]
pub struct BatchJsonObject<T>(pub T);

/// What a batch body may weigh: 500 customers of about 2 KiB each at the most.
pub const BATCH_BODY_LIMIT_BYTES: usize = 1024 * 1024;

impl<T: DeserializeOwned + 'static> FromRequest for BatchJsonObject<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let body = actix_web::dev::JsonBody::<serde_json::Value>::new(request, payload, None, true)
            .limit(BATCH_BODY_LIMIT_BYTES);
        let request = request.clone();
        Box::pin(async move {
            let value = body
                .await
                .map_err(|failure| error::json_error_handler(failure, &request))?;
            object_of(value).map(BatchJsonObject)
        })
    }
}
