//! The reseller's CSP sub-tenants from Microsoft Graph, each marked with whether it can become
//! a customer here. The client secret in the body is used for one Graph call and dropped.

use actix_web::{HttpResponse, post, web};
use domain::{AzureClientId, AzureTenantId, ClientSecret, GraphCredentialsError};
use proto::{AzureCustomer, AzureCustomersRequest, Customer, FieldError, MatchedCustomer, Page};
use sea_orm::TransactionTrait;

use crate::{
    error::{ApiError, RequestError},
    infra::{auth::Caller, state::AppState},
    routes::json_object::JsonObject,
    services::{
        azure_customers::{self, AzureCustomersQuery},
        azure_matches, sub_tenant_news,
    },
};
/// A name search longer than any tenant name cannot match.
const MAX_QUERY_CHARS: usize = 200;

impl TryFrom<AzureCustomersRequest> for AzureCustomersQuery {
    type Error = ApiError;

    fn try_from(request: AzureCustomersRequest) -> Result<Self, ApiError> {
        let mut problems = Vec::new();
        let client_id = AzureClientId::parse(&request.client_id)
            .map_err(|error| problems.push(credential_problem("client_id", &error)))
            .ok();
        let client_secret = ClientSecret::parse(&request.client_secret)
            .map_err(|error| problems.push(credential_problem("client_secret", &error)))
            .ok();
        let name_filter = request
            .q
            .map(|q| q.trim().to_lowercase())
            .filter(|q| !q.is_empty());
        if name_filter
            .as_ref()
            .is_some_and(|q| q.chars().count() > MAX_QUERY_CHARS)
        {
            problems.push(FieldError::new(
                "q",
                "too_long",
                format!("a name search is at most {MAX_QUERY_CHARS} characters"),
            ));
        }
        match (client_id, client_secret) {
            (Some(client_id), Some(client_secret)) if problems.is_empty() => Ok(Self {
                client_id,
                client_secret,
                name_filter,
            }),
            _ => Err(RequestError::Validation(problems).into()),
        }
    }
}

fn credential_problem(field: &str, error: &GraphCredentialsError) -> FieldError {
    let code = match error {
        GraphCredentialsError::ClientIdNotAGuid => "not_a_guid",
        GraphCredentialsError::SecretMissing => "required",
        GraphCredentialsError::SecretTooLong { .. } => "too_long",
        GraphCredentialsError::SecretIsAnId => "secret_id_not_value",
    };
    FieldError::new(field, code, error.to_string())
}

/// Lists the caller's CSP sub-tenants from Microsoft Graph, sorted by name ignoring case, each
/// with whether a customer can be created from it. The client ID and secret are used for this
/// one call and never stored.
#[utoipa::path(
    tag = "msp-onboarding",
    request_body = AzureCustomersRequest,
    responses(
        (status = 200, description = "Every sub-tenant (matching `q`), by name", body = Page<AzureCustomer>),
        (status = 400, description = "Malformed body", body = proto::Problem, content_type = "application/problem+json"),
        (status = 403, description = "Needs the feature (reseller or distributor with monthly billing, `manage_customer_settings`) and `view_customers`", body = proto::Problem, content_type = "application/problem+json"),
        (status = 409, description = "No Azure tenant ID saved under Azure Login", body = proto::Problem, content_type = "application/problem+json"),
        (status = 422, description = "A credential is malformed or refused by Microsoft Entra, the saved tenant ID is unknown, or the app lacks Directory.Read.All", body = proto::Problem, content_type = "application/problem+json"),
        (status = 502, description = "Microsoft Graph is unreachable or answered unexpectedly", body = proto::Problem, content_type = "application/problem+json"),
        (status = 503, description = "Microsoft Graph is throttling; see Retry-After", body = proto::Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 504, description = "Microsoft Graph did not answer in time", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[post("/msp-onboarding/azure-customers")]
pub async fn list_azure_customers(
    state: web::Data<AppState>,
    caller: Caller,
    body: JsonObject<AzureCustomersRequest>,
) -> Result<web::Json<Page<AzureCustomer>>, ApiError> {
    let own = azure_customers::check_access(&state.db, &caller).await?;
    let query = AzureCustomersQuery::try_from(body.into_inner())?;
    Ok(web::Json(
        azure_customers::list(&state.db, &state.graph, &caller, &own, query).await?,
    ))
}

/// The sub-tenant's tenant ID from the path, any case.
fn path_tenant_id(raw: &str) -> Result<AzureTenantId, ApiError> {
    AzureTenantId::parse(raw).map_err(|error| {
        RequestError::Validation(vec![FieldError::new(
            "tenant_id",
            "not_a_guid",
            error.to_string(),
        )])
        .into()
    })
}

/// **Link**: the customer of yours becomes this sub-tenant's, taking its tenant ID (audited as
/// an update of the customer). Linking the same pair again changes nothing.
#[utoipa::path(
    tag = "msp-onboarding",
    params(("tenant_id" = String, Path, description = "The sub-tenant's Azure tenant ID (a GUID)")),
    request_body = MatchedCustomer,
    responses(
        (status = 200, description = "The customer, linked", body = Customer),
        (status = 400, description = "Malformed body", body = proto::Problem, content_type = "application/problem+json"),
        (status = 403, description = "Needs the feature, `view_customers` and `create_customer`", body = proto::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such customer in your tree", body = proto::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Another customer carries this tenant ID, or this customer is linked to another one", body = proto::Problem, content_type = "application/problem+json"),
        (status = 422, description = "The tenant ID is not a GUID", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[post("/msp-onboarding/azure-customers/{tenant_id}/link")]
pub async fn link_azure_customer(
    state: web::Data<AppState>,
    caller: Caller,
    tenant_id: web::Path<String>,
    body: JsonObject<MatchedCustomer>,
) -> Result<web::Json<Customer>, ApiError> {
    let tenant_id = path_tenant_id(&tenant_id)?;
    let transaction = state.db.begin().await?;
    let own = azure_customers::check_access(&transaction, &caller).await?;
    let mut linked =
        azure_matches::link(&transaction, &caller, &own, tenant_id, body.customer_id).await?;
    transaction.commit().await?;
    state.addresses.localize(&mut linked);
    Ok(web::Json(linked))
}

/// **Not this one**: the customer of yours is not this sub-tenant; the grid stops suggesting the
/// pair to your reseller (audited). Saying it again changes nothing.
#[utoipa::path(
    tag = "msp-onboarding",
    params(("tenant_id" = String, Path, description = "The sub-tenant's Azure tenant ID (a GUID)")),
    request_body = MatchedCustomer,
    responses(
        (status = 204, description = "Remembered"),
        (status = 400, description = "Malformed body", body = proto::Problem, content_type = "application/problem+json"),
        (status = 403, description = "Needs the feature, `view_customers` and `create_customer`", body = proto::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such customer in your tree", body = proto::Problem, content_type = "application/problem+json"),
        (status = 422, description = "The tenant ID is not a GUID", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[post("/msp-onboarding/azure-customers/{tenant_id}/rejected-matches")]
pub async fn reject_azure_match(
    state: web::Data<AppState>,
    caller: Caller,
    tenant_id: web::Path<String>,
    body: JsonObject<MatchedCustomer>,
) -> Result<HttpResponse, ApiError> {
    let tenant_id = path_tenant_id(&tenant_id)?;
    let transaction = state.db.begin().await?;
    let own = azure_customers::check_access(&transaction, &caller).await?;
    azure_matches::reject(&transaction, &caller, &own, tenant_id, body.customer_id).await?;
    transaction.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}

/// **Rename customer**: the customer of yours linked to this sub-tenant takes the sub-tenant's
/// name in Azure, as your reseller's last listing saw it (audited as an update of the customer).
#[utoipa::path(
    tag = "msp-onboarding",
    params(("tenant_id" = String, Path, description = "The sub-tenant's Azure tenant ID (a GUID)")),
    responses(
        (status = 200, description = "The customer, renamed", body = Customer),
        (status = 403, description = "Needs the feature, `view_customers` and `create_customer`", body = proto::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No customer of yours is linked to this sub-tenant, or your reseller never listed it", body = proto::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Another customer of yours has that name", body = proto::Problem, content_type = "application/problem+json"),
        (status = 422, description = "The tenant ID is not a GUID, or the name in Azure breaks the rules for a customer's name", body = proto::Problem, content_type = "application/problem+json")
    )
)]
#[post("/msp-onboarding/azure-customers/{tenant_id}/rename-customer")]
pub async fn rename_customer_after_azure(
    state: web::Data<AppState>,
    caller: Caller,
    tenant_id: web::Path<String>,
) -> Result<web::Json<Customer>, ApiError> {
    let tenant_id = path_tenant_id(&tenant_id)?;
    let transaction = state.db.begin().await?;
    let own = azure_customers::check_access(&transaction, &caller).await?;
    let mut renamed =
        sub_tenant_news::rename_customer(&transaction, &caller, &own, tenant_id).await?;
    transaction.commit().await?;
    state.addresses.localize(&mut renamed);
    Ok(web::Json(renamed))
}
