//! `Idempotency-Key`: a repeated create with the same key returns the first answer instead of
//! creating twice. Records live in the database, so any replica can replay them.

use actix_web::{HttpRequest, HttpResponse, http::StatusCode};
use chrono::Utc;
use entity::idempotency_record;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, EntityTrait};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::{
    error::{ApiError, RequestError},
    services::storage::is_unique_violation,
};

pub const HEADER: &str = "Idempotency-Key";

/// The first answer to a request, kept for its repeats.
pub struct StoredAnswer {
    pub status: StatusCode,
    /// JSON.
    pub body: String,
}

impl StoredAnswer {
    pub fn replay(self) -> HttpResponse {
        HttpResponse::build(self.status)
            .content_type("application/json")
            .insert_header(("Idempotent-Replayed", "true"))
            .body(self.body)
    }
}
const MAX_KEY_CHARS: usize = 200;

/// A request's idempotency key and the fingerprint of its body.
pub struct IdempotencyKey {
    user_id: Uuid,
    key: String,
    request_hash: String,
}

impl IdempotencyKey {
    /// The key of `request`, if it carries one.
    pub fn of(
        request: &HttpRequest,
        user_id: Uuid,
        body: &impl serde::Serialize,
    ) -> Result<Option<Self>, ApiError> {
        let Some(value) = request.headers().get(HEADER) else {
            return Ok(None);
        };
        let key = value
            .to_str()
            .ok()
            .map(str::trim)
            .filter(|key| !key.is_empty() && key.chars().count() <= MAX_KEY_CHARS)
            .ok_or(RequestError::InvalidIdempotencyKey)?;
        let body = serde_json::to_vec(body).map_err(ApiError::internal)?;
        Ok(Some(Self {
            user_id,
            key: key.to_owned(),
            request_hash: hex::encode(Sha256::digest(body)),
        }))
    }

    /// The key of item `index` of a batch sent with this key: a key of its own, so that each
    /// item is stored with its creation and a repeated batch replays the items created.
    pub fn for_item(&self, index: usize, item: &impl serde::Serialize) -> Result<Self, ApiError> {
        let batch = hex::encode(Sha256::digest(self.key.as_bytes()));
        let item = serde_json::to_vec(item).map_err(ApiError::internal)?;
        Ok(Self {
            user_id: self.user_id,
            key: format!("batch:{}:{index}", &batch[..32]),
            request_hash: hex::encode(Sha256::digest(item)),
        })
    }

    /// The stored answer of an earlier request with this key, if there is one.
    pub async fn stored_answer(
        &self,
        db: &impl ConnectionTrait,
    ) -> Result<Option<StoredAnswer>, ApiError> {
        let Some(record) = idempotency_record::Entity::find_by_id((self.user_id, self.key.clone()))
            .one(db)
            .await?
        else {
            return Ok(None);
        };
        if record.request_hash != self.request_hash {
            return Err(RequestError::IdempotencyKeyReused.into());
        }
        let status = u16::try_from(record.response_status)
            .ok()
            .and_then(|status| StatusCode::from_u16(status).ok())
            .ok_or_else(|| {
                ApiError::internal(anyhow::anyhow!("stored idempotent status is not valid"))
            })?;
        Ok(Some(StoredAnswer {
            status,
            body: record.response_body,
        }))
    }

    /// The stored answer of an earlier request with this key as a response, if there is one.
    pub async fn stored(
        &self,
        db: &impl ConnectionTrait,
    ) -> Result<Option<HttpResponse>, ApiError> {
        Ok(self.stored_answer(db).await?.map(StoredAnswer::replay))
    }

    /// Claims the key inside the creating transaction, before any other write: a concurrent
    /// request with the same key then waits on it and fails, and replays what this one stores.
    pub async fn claim(&self, db: &impl ConnectionTrait) -> Result<(), ApiError> {
        idempotency_record::ActiveModel {
            user_id: Set(self.user_id),
            key: Set(self.key.clone()),
            request_hash: Set(self.request_hash.clone()),
            response_status: Set(0),
            response_body: Set(String::new()),
            created_at: Set(Utc::now()),
        }
        .insert(db)
        .await
        .map_err(|error| {
            if is_unique_violation(&error) {
                ApiError::from(RequestError::IdempotencyKeyInUse)
            } else {
                error.into()
            }
        })?;
        Ok(())
    }

    /// Stores the answer to replay, in the same transaction as the change it describes.
    pub async fn complete(
        &self,
        db: &impl ConnectionTrait,
        status: StatusCode,
        body: &impl serde::Serialize,
    ) -> Result<(), ApiError> {
        idempotency_record::ActiveModel {
            user_id: Set(self.user_id),
            key: Set(self.key.clone()),
            request_hash: Set(self.request_hash.clone()),
            response_status: Set(i16::try_from(status.as_u16()).map_err(ApiError::internal)?),
            response_body: Set(serde_json::to_string(body).map_err(ApiError::internal)?),
            created_at: Set(Utc::now()),
        }
        .update(db)
        .await?;
        Ok(())
    }
}
