//! The reseller's CSP sub-tenants from Microsoft Graph, each marked with whether it can become
//! a customer here. The client secret in the body is used for one Graph call and dropped.

use std::collections::HashSet;

use actix_web::{post, web};
use domain::{AzureClientId, AzureTenantId, ClientSecret, GraphCredentialsError, TenantName};
use entity::customer;
use msp_graph::{AppCredentials, SubTenant};
use proto::{AzureCustomer, AzureCustomerBlock, AzureCustomersRequest, Claim, FieldError, Page};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::json_object::JsonObject;
use crate::{auth::Caller, error::ApiError, state::AppState, storage, tenancy};

/// Rows per `IN (…)` list, well under every back end's bound-parameter limit.
const LOOKUP_CHUNK: usize = 500;
/// A name search longer than any tenant name cannot match.
const MAX_QUERY_CHARS: usize = 200;

/// The request after parsing: typed credentials and a normalised name filter.
struct AzureCustomersQuery {
    client_id: AzureClientId,
    client_secret: ClientSecret,
    name_filter: Option<String>,
}

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
            problems.push(FieldError {
                field: "q".to_owned(),
                code: "too_long".to_owned(),
                message: format!("a name search is at most {MAX_QUERY_CHARS} characters"),
            });
        }
        match (client_id, client_secret) {
            (Some(client_id), Some(client_secret)) if problems.is_empty() => Ok(Self {
                client_id,
                client_secret,
                name_filter,
            }),
            _ => Err(ApiError::Validation(problems)),
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
    FieldError {
        field: field.to_owned(),
        code: code.to_owned(),
        message: error.to_string(),
    }
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
        (status = 401, description = "Not signed in", body = proto::Problem, content_type = "application/problem+json"),
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
    let own = tenancy::find_partner_tenant(&state.db, &caller).await?;
    let tenant_type = storage::parse_tenant_type(&own.tenant_type)?;
    if !domain::feature_available(tenant_type, own.monthly_billing, &caller.claims) {
        return Err(ApiError::Forbidden(
            "MSP Onboarding needs monthly billing on your tenant and the `manage_customer_settings` permission"
                .to_owned(),
        ));
    }
    caller.require(Claim::ViewCustomers)?;
    let query = AzureCustomersQuery::try_from(body.into_inner())?;
    let saved_tenant_id = own
        .azure_tenant_id
        .as_deref()
        .and_then(|raw| AzureTenantId::parse(raw).ok())
        .ok_or_else(|| ApiError::Conflict {
            code: "azure_tenant_id_missing",
            detail: "save your Azure tenant ID under Customer Settings → Login Setup → Azure Login first"
                .to_owned(),
        })?;
    let credentials = AppCredentials {
        tenant_id: saved_tenant_id,
        client_id: query.client_id,
        client_secret: query.client_secret,
    };
    let listed = state.graph.list_sub_tenants(&credentials).await;
    drop(credentials);
    let mut sub_tenants = listed?;
    if let Some(filter) = &query.name_filter {
        sub_tenants.retain(|sub_tenant| sub_tenant.name.to_lowercase().contains(filter));
    }
    sub_tenants.sort_by_cached_key(|sub_tenant| {
        (
            sub_tenant.name.trim().to_lowercase(),
            sub_tenant.tenant_id.clone(),
        )
    });
    let items = mark_creatable(&state.db, own.id, sub_tenants).await?;
    Ok(web::Json(Page {
        total: u64::try_from(items.len()).unwrap_or(u64::MAX),
        items,
    }))
}

/// The key customer names are unique by under a reseller, as creation computes it.
fn name_key(name: &str) -> String {
    TenantName::parse(name)
        .map(|parsed| parsed.key())
        .unwrap_or_else(|_| name.trim().to_lowercase())
}

/// Marks each sub-tenant whose name the reseller already uses, or whose tenant ID any customer
/// already carries, with an index lookup per chunk rather than a query per row.
async fn mark_creatable(
    db: &impl ConnectionTrait,
    reseller_id: uuid::Uuid,
    sub_tenants: Vec<SubTenant>,
) -> Result<Vec<AzureCustomer>, ApiError> {
    let keys: Vec<String> = sub_tenants.iter().map(|t| name_key(&t.name)).collect();
    let tenant_ids: Vec<String> = sub_tenants
        .iter()
        .map(|t| normalised_tenant_id(&t.tenant_id))
        .collect();
    let mut taken_names = HashSet::new();
    for chunk in keys.chunks(LOOKUP_CHUNK) {
        let found: Vec<String> = customer::Entity::find()
            .select_only()
            .column(customer::Column::NameKey)
            .filter(customer::Column::ResellerId.eq(reseller_id))
            .filter(customer::Column::NameKey.is_in(chunk.iter().cloned()))
            .into_tuple()
            .all(db)
            .await?;
        taken_names.extend(found);
    }
    let mut taken_ids = HashSet::new();
    for chunk in tenant_ids.chunks(LOOKUP_CHUNK) {
        let found: Vec<Option<String>> = customer::Entity::find()
            .select_only()
            .column(customer::Column::AzureTenantId)
            .filter(customer::Column::AzureTenantId.is_in(chunk.iter().cloned()))
            .into_tuple()
            .all(db)
            .await?;
        taken_ids.extend(found.into_iter().flatten());
    }
    Ok(sub_tenants
        .into_iter()
        .zip(keys.iter().zip(&tenant_ids))
        .map(|(sub_tenant, (key, tenant_id))| {
            let reason = if taken_names.contains(key) {
                Some(AzureCustomerBlock::NameExists)
            } else if taken_ids.contains(tenant_id) {
                Some(AzureCustomerBlock::TenantIdExists)
            } else {
                None
            };
            AzureCustomer {
                name: sub_tenant.name,
                tenant_id: tenant_id.clone(),
                can_create: reason.is_none(),
                reason,
            }
        })
        .collect())
}

/// Customers store tenant IDs lower-case; Graph's case is not promised.
fn normalised_tenant_id(raw: &str) -> String {
    AzureTenantId::parse(raw)
        .map(|id| id.to_string())
        .unwrap_or_else(|_| raw.trim().to_lowercase())
}
