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
    services::{access::AccessDenied, customer_tenants, sessions},
};

/// The cookie that carries the web app's access token (HttpOnly: scripts never see it).
pub const SESSION_COOKIE: &str = "msp_session";

/// How long a token's `last_used_at` may lag behind, so that a busy script does not write on
/// every request.
const LAST_USED_RESOLUTION_SECS: i64 = 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthMethod {
    /// A signed-in user's access token (header or cookie), naming its server-side session.
    Session { session_id: Uuid },
    /// A third-party caller's API token.
    ApiToken { token_id: Uuid },
}

/// The authenticated caller of a request: user, tenant, role and claims as they are now.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user_id: Uuid,
    /// The tenant the caller acts in: its own, or the customer tenant its session is scoped to.
    pub tenant_id: Uuid,
    /// The tenant the user belongs to (its MSP, when it acts in a customer tenant).
    pub home_tenant_id: Uuid,
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

    /// API tokens are minted from a signed-in session only, never by another token.
    pub fn require_session(&self) -> Result<Uuid, AccessDenied> {
        match self.method {
            AuthMethod::Session { session_id } => Ok(session_id),
            AuthMethod::ApiToken { .. } => Err(AccessDenied::SessionRequired),
        }
    }

    /// The customer tenant this caller's session is scoped to, if any (SPEC §15).
    pub fn customer_tenant_id(&self) -> Option<Uuid> {
        (self.tenant_id != self.home_tenant_id).then_some(self.tenant_id)
    }

    /// The same caller acting inside `customer_tenant` (for what it does on going in).
    pub fn inside(&self, customer_tenant: Uuid) -> Self {
        Self {
            tenant_id: customer_tenant,
            ..self.clone()
        }
    }

    fn of(user: &user::Model, method: AuthMethod, source_ip: Option<String>) -> Self {
        Self {
            user_id: user.id,
            tenant_id: user.tenant_id,
            home_tenant_id: user.tenant_id,
            role: user.role,
            claims: user.claims.0.iter().copied().collect(),
            method,
            source_ip,
        }
    }
}

/// A caller whose session may be waiting for a second factor to be enrolled (Use MFA on, no
/// factor yet). Only enrolment, `/me` and sign-out take it; every other route takes [`Caller`],
/// which refuses such a session.
#[derive(Debug, Clone)]
pub struct EnrollingCaller {
    pub caller: Caller,
    pub enrolment_pending: bool,
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
    let (stored, owner) = api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(ApiTokenSecret::hash_of(token)))
        .find_also_related(user::Entity)
        .one(&state.reads)
        .await?
        .and_then(|(stored, owner)| owner.map(|owner| (stored, owner)))
        .ok_or(RequestError::Unauthenticated)?;
    let now = Utc::now();
    let usable = stored.revoked_at.is_none()
        && stored.expires_at.is_none_or(|expires| expires > now)
        && owner.active;
    if !usable {
        return Err(RequestError::Unauthenticated.into());
    }
    let stale = stored
        .last_used_at
        .is_none_or(|last| (now - last).num_seconds() >= LAST_USED_RESOLUTION_SECS);
    let token_id = stored.id;
    if stale {
        let mut touched: api_token::ActiveModel = stored.into();
        touched.last_used_at = Set(Some(now));
        touched.update(&state.db).await?;
    }
    Ok(Caller::of(
        &owner,
        AuthMethod::ApiToken { token_id },
        source_ip,
    ))
}

async fn authenticate(request: HttpRequest) -> Result<EnrollingCaller, ApiError> {
    let state = request
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("application state missing")))?;
    let source_ip = source_ip(&request);
    let token = presented_token(&request)?.ok_or(RequestError::Unauthenticated)?;
    if ApiTokenSecret::looks_like_one(&token) {
        let caller = caller_from_api_token(state, &token, source_ip).await?;
        return Ok(EnrollingCaller {
            caller,
            enrolment_pending: false,
        });
    }
    let claims = state.jwt.verify(&token)?;
    let live = sessions::live(&state.reads, claims.sid, claims.sub)
        .await?
        .ok_or(RequestError::Unauthenticated)?;
    let mut caller = Caller::of(
        &live.user,
        AuthMethod::Session {
            session_id: live.session.id,
        },
        source_ip,
    );
    if let Some(customer_tenant) = live.session.customer_tenant_id {
        // Delegation holds from the next request: a session scoped to a customer tenant its
        // user may no longer go into authenticates no more.
        customer_tenants::enterable(&state.reads, &live.user, customer_tenant)
            .await?
            .ok_or(RequestError::Unauthenticated)?;
        caller = caller.inside(customer_tenant);
    }
    Ok(EnrollingCaller {
        caller,
        enrolment_pending: live.session.enrolment_pending,
    })
}

/// The session a request's access token names, if any: sign-out ends it even when it no longer
/// authenticates.
pub fn presented_session(request: &HttpRequest, state: &AppState) -> Option<Uuid> {
    let token = presented_token(request).ok().flatten()?;
    state.jwt.verify(&token).ok().map(|claims| claims.sid)
}

impl FromRequest for EnrollingCaller {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(request: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        Box::pin(authenticate(request.clone()))
    }
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(request: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let request = request.clone();
        Box::pin(async move {
            let enrolling = authenticate(request).await?;
            if enrolling.enrolment_pending {
                return Err(AccessDenied::MfaEnrolmentRequired.into());
            }
            Ok(enrolling.caller)
        })
    }
}
