//! Users → User source (SPEC §16): Microsoft Entra as the tenant's source of technicians, its
//! admin consent round trip, the directory's domains, and Sync now (admins).

use actix_web::{HttpRequest, HttpResponse, get, http::StatusCode, post, put, web};
use proto::{ConsentRedirect, EntraDomain, Page, UpdateUserSource, UserSourceSettings};
use sea_orm::TransactionTrait;
use serde::Deserialize;

use crate::{
    error::ApiError,
    infra::{auth::Caller, state::AppState},
    routes::{json_object::JsonObject, redirects},
    services::user_source::{
        self,
        consent::{self, ConsentAnswer},
    },
};

const CALLBACK_PATH: &str = "/api/v1/settings/user-source/consent-callback";
/// The web app's page, where the browser lands after the consent.
const PAGE: &str = "/user-source";

/// The tenant's user source: local or Microsoft Entra, the consented directory and who
/// authorised it, the onboarding domain and username prefix, and the last and next sync.
#[utoipa::path(
    tag = "user-source",
    responses(
        (status = 200, description = "The user source", body = UserSourceSettings),
        (status = 403, description = "Admins only", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[get("/settings/user-source")]
pub async fn get_user_source(
    state: web::Data<AppState>,
    caller: Caller,
) -> Result<web::Json<UserSourceSettings>, ApiError> {
    Ok(web::Json(
        user_source::settings(&state.reads, &caller).await?,
    ))
}

/// Chooses the user source (audited). `azuread` needs the authorised connection, at most one
/// user in the tenant (409 `too_many_users` says how many to remove), and a verified onboarding
/// domain that Entra manages (422 `federated_domain`, `unverified_domain`, `unknown_domain`); its
/// offboarding sync then runs at once and every `APP_USER_SOURCE_SYNC_INTERVAL` seconds.
#[utoipa::path(
    tag = "user-source",
    request_body = UpdateUserSource,
    responses(
        (status = 200, description = "Saved", body = UserSourceSettings),
        (status = 400, description = "Malformed body", body = proto::Problem, content_type = "application/problem+json"),
        (status = 403, description = "Admins only", body = proto::Problem, content_type = "application/problem+json"),
        (status = 409, description = "No Entra app configured, not authorised yet, or too many users", body = proto::Problem, content_type = "application/problem+json"),
        (status = 422, description = "The prefix or the domain breaks a rule, or Entra refused", body = proto::Problem, content_type = "application/problem+json"),
        (status = 502, description = "Microsoft Graph is unreachable or answered unexpectedly", body = proto::Problem, content_type = "application/problem+json"),
        (status = 503, description = "Microsoft Graph is throttling", body = proto::Problem, content_type = "application/problem+json"),
        (status = 504, description = "Microsoft Graph did not answer in time", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[put("/settings/user-source")]
pub async fn put_user_source(
    state: web::Data<AppState>,
    caller: Caller,
    body: JsonObject<UpdateUserSource>,
) -> Result<web::Json<UserSourceSettings>, ApiError> {
    let transaction = state.db.begin().await?;
    let saved = user_source::update(
        &transaction,
        &caller,
        &state.graph,
        state.operator_app(),
        body.into_inner(),
        state.user_source_sync_interval,
    )
    .await?;
    transaction.commit().await?;
    state.jobs_due.notify_one();
    Ok(web::Json(saved))
}

/// **Authorize**: where to send the admin's browser for Microsoft Entra's admin consent; it comes
/// back to `/api/v1/settings/user-source/consent-callback` and then to the web app's page.
#[utoipa::path(
    tag = "user-source",
    responses(
        (status = 200, description = "Entra's admin consent URL", body = ConsentRedirect),
        (status = 403, description = "Admins only", body = proto::Problem, content_type = "application/problem+json"),
        (status = 409, description = "No Entra app is configured for this server", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[post("/settings/user-source/authorize")]
pub async fn authorize_user_source(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
) -> Result<web::Json<ConsentRedirect>, ApiError> {
    let transaction = state.db.begin().await?;
    let redirect_url = consent::begin(
        &transaction,
        &caller,
        &state.graph,
        state.operator_app(),
        &redirects::back_to(&request, CALLBACK_PATH),
    )
    .await?;
    transaction.commit().await?;
    Ok(web::Json(ConsentRedirect { redirect_url }))
}

/// What Entra adds to a consent's way back (every Entra connection's callback takes it).
#[derive(Deserialize, utoipa::IntoParams)]
pub struct ConsentCallbackQuery {
    state: Option<String>,
    tenant: Option<String>,
    admin_consent: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

impl From<ConsentCallbackQuery> for ConsentAnswer {
    fn from(query: ConsentCallbackQuery) -> Self {
        Self {
            state: query.state,
            tenant: query.tenant,
            admin_consent: query.admin_consent,
            error: query.error,
            error_description: query.error_description,
        }
    }
}

/// Where Microsoft Entra sends the browser back after the admin consent: records the consented
/// directory (or the refusal) and redirects to the web app's User source page with
/// `?consent=granted` or `?consent=refused&reason=…`. Only a `state` this server issued in the
/// last 10 minutes counts.
#[utoipa::path(
    tag = "user-source",
    params(ConsentCallbackQuery),
    security(()),
    responses(
        (status = 302, description = "To the web app's User source page with the outcome")
    )
)]
#[get("/settings/user-source/consent-callback")]
pub async fn user_source_consent_callback(
    state: web::Data<AppState>,
    query: web::Query<ConsentCallbackQuery>,
) -> Result<HttpResponse, ApiError> {
    let transaction = state.db.begin().await?;
    let outcome = consent::complete(&transaction, query.into_inner().into()).await?;
    transaction.commit().await?;
    let location = format!("{PAGE}?{}", outcome.page_query());
    Ok(redirects::redirect(&location).finish())
}

/// The consented directory's domains, each with whether it can be the onboarding domain (only
/// verified domains that Entra manages; federated ones with the reason).
#[utoipa::path(
    tag = "user-source",
    responses(
        (status = 200, description = "The directory's domains, default first", body = Page<EntraDomain>),
        (status = 403, description = "Admins only", body = proto::Problem, content_type = "application/problem+json"),
        (status = 409, description = "No Entra app configured, or not authorised yet", body = proto::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Entra refused the app's token", body = proto::Problem, content_type = "application/problem+json"),
        (status = 502, description = "Microsoft Graph is unreachable or answered unexpectedly", body = proto::Problem, content_type = "application/problem+json"),
        (status = 503, description = "Microsoft Graph is throttling", body = proto::Problem, content_type = "application/problem+json"),
        (status = 504, description = "Microsoft Graph did not answer in time", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[get("/settings/user-source/domains")]
pub async fn user_source_domains(
    state: web::Data<AppState>,
    caller: Caller,
) -> Result<web::Json<Page<EntraDomain>>, ApiError> {
    let items =
        user_source::domains(&state.reads, &caller, &state.graph, state.operator_app()).await?;
    Ok(web::Json(Page::whole(items)))
}

/// **Sync now**: the offboarding sync runs at once (the answer comes before it ends: read
/// `last_sync` again).
#[utoipa::path(
    tag = "user-source",
    responses(
        (status = 202, description = "The sync is due now", body = UserSourceSettings),
        (status = 403, description = "Admins only", body = proto::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The user source is not Microsoft Entra", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[post("/settings/user-source/sync")]
pub async fn sync_user_source(
    state: web::Data<AppState>,
    caller: Caller,
) -> Result<HttpResponse, ApiError> {
    let transaction = state.db.begin().await?;
    let settings = user_source::sync_now(&transaction, &caller).await?;
    transaction.commit().await?;
    state.jobs_due.notify_one();
    Ok(HttpResponse::build(StatusCode::ACCEPTED).json(settings))
}
