use std::{future::Future, pin::Pin};

use actix_web::{FromRequest, HttpRequest, dev::Payload, http::header, web};
use chrono::Utc;
use domain::ClaimSet;
use entity::{api_token, user};
use proto::{Claim, Role};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::ApiTokenSecret;
use crate::{
    error::{ApiError, RequestError},
    infra::state::AppState,
    services::access::AccessDenied,
};

/// The cookie that carries the web app's access token (HttpOnly: scripts never see it).
pub const SESSION_COOKIE: &str = "msp_session";

/// How long a token's `last_used_at` may lag behind, so that a busy script does not write on
/// every request.
const LAST_USED_RESOLUTION_SECS: i64 = 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthMethod {
    /// A signed-in user's access token (header or cookie).
    AccessToken,
    /// A third-party caller's API token.
    ApiToken { token_id: Uuid },
}

/// The authenticated caller of a request: user, tenant, role and claims.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user_id: Uuid,
    pub tenant_id: Uuid,
    pub role: Role,
    pub claims: ClaimSet,
    pub method: AuthMethod,
    pub source_ip: Option<String>,
}

impl Caller {
    pub fn require(&self, claim: Claim) -> Result<(), AccessDenied> {
        if self.claims.contains(claim) {
            Ok(())
        } else {
            Err(AccessDenied::MissingClaim(claim))
        }
    }

    pub fn require_admin(&self) -> Result<(), AccessDenied> {
        match self.role {
            Role::Admin => Ok(()),
            Role::Technician => Err(AccessDenied::NotAdmin),
        }
    }
}

pub use crate::infra::client_address::client_ip as source_ip;

fn presented_token(request: &HttpRequest) -> Result<Option<String>, ApiError> {
    if let Some(value) = request.headers().get(header::AUTHORIZATION) {
        let value = value.to_str().map_err(|_| RequestError::Unauthenticated)?;
        let (scheme, token) = value.split_once(' ').ok_or(RequestError::Unauthenticated)?;
        if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
            return Err(RequestError::Unauthenticated.into());
        }
        return Ok(Some(token.trim().to_owned()));
    }
    Ok(request
        .cookie(SESSION_COOKIE)
        .map(|cookie| cookie.value().to_owned()))
}

async fn caller_from_api_token(
    state: &AppState,
    token: &str,
    source_ip: Option<String>,
) -> Result<Caller, ApiError> {
    let stored = api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(ApiTokenSecret::hash_of(token)))
        .one(&state.db)
        .await?
        .filter(|stored| stored.revoked_at.is_none())
        .ok_or(RequestError::Unauthenticated)?;
    let owner = user::Entity::find_by_id(stored.user_id)
        .one(&state.db)
        .await?
        .ok_or(RequestError::Unauthenticated)?;
    let now = Utc::now();
    let stale = stored
        .last_used_at
        .is_none_or(|last| (now - last).num_seconds() >= LAST_USED_RESOLUTION_SECS);
    let token_id = stored.id;
    if stale {
        let mut touched: api_token::ActiveModel = stored.into();
        touched.last_used_at = Set(Some(now));
        touched.update(&state.db).await?;
    }
    Ok(Caller {
        user_id: owner.id,
        tenant_id: owner.tenant_id,
        role: owner.role,
        claims: owner.claims.0.into_iter().collect(),
        method: AuthMethod::ApiToken { token_id },
        source_ip,
    })
}

async fn authenticate(request: HttpRequest) -> Result<Caller, ApiError> {
    let state = request
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("application state missing")))?;
    let source_ip = source_ip(&request);
    let token = presented_token(&request)?.ok_or(RequestError::Unauthenticated)?;
    if ApiTokenSecret::looks_like_one(&token) {
        return caller_from_api_token(state, &token, source_ip).await;
    }
    let claims = state.jwt.verify(&token)?;
    Ok(Caller {
        user_id: claims.sub,
        tenant_id: claims.tid,
        role: claims.role,
        claims: claims.claims.into_iter().collect(),
        method: AuthMethod::AccessToken,
        source_ip,
    })
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(request: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        Box::pin(authenticate(request.clone()))
    }
}
