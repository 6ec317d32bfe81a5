use serde::{Deserialize, Serialize};

/// `POST /api/v1/msp-onboarding/azure-customers` body. The credentials are used for one Graph
/// call and dropped; they travel in the body so that no URL, log line or history holds them.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AzureCustomersRequest {
    /// The Application (client) ID of your Entra app registration, a GUID (any case, braces allowed).
    #[cfg_attr(
        feature = "openapi",
        schema(
            example = "0b6e3c1a-2f4d-4e8a-9c7b-1d2e3f4a5b6c",
            pattern = r"^([\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*(?:[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}|\{[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\})[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*)$"
        )
    )]
    pub client_id: String,
    /// The client secret's Value, not its ID (a GUID, refused with a 422): 1–1 024 characters once
    /// surrounding whitespace is trimmed. Never stored.
    #[cfg_attr(feature = "openapi", schema(schema_with = client_secret_schema))]
    pub client_secret: String,
    /// Only sub-tenants whose name contains this text, ignoring case: at most 200 characters once
    /// surrounding whitespace is trimmed; blank means all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^([\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*(?:[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000](?:[\s\S]{0,198}[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000])?)?[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*)$"
        )
    )]
    pub q: Option<String>,
}

/// `client_secret` as the document shows it. That it is not a GUID needs `not`, which utoipa 6
/// has no attribute for; the keyword goes in through the schema's extensions map, which is written
/// out flattened into the schema object (only its builder prefixes `x-`).
#[cfg(feature = "openapi")]
fn client_secret_schema() -> utoipa::openapi::schema::Object {
    use utoipa::openapi::{
        extensions::Extensions,
        schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type},
    };
    const TRIMMED_1_TO_1024: &str = r"^([\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000](?:[\s\S]{0,1022}[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000])?[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*)$";
    const GUID: &str = r"^([\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*(?:[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}|\{[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\})[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*)$";
    ObjectBuilder::new()
        .schema_type(Type::String)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Password)))
        .description(Some(
            "The client secret's Value, not its ID (a GUID, refused with a 422): 1–1 024 characters once\n\
             surrounding whitespace is trimmed. Never stored.",
        ))
        .min_length(Some(1))
        .pattern(Some(TRIMMED_1_TO_1024))
        .extensions(Some(Extensions::from_iter([(
            "not",
            serde_json::json!({ "pattern": GUID }),
        )])))
        .build()
}

impl std::fmt::Debug for AzureCustomersRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AzureCustomersRequest")
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("q", &self.q)
            .finish()
    }
}

/// One of the reseller's CSP sub-tenants in Microsoft Graph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AzureCustomer {
    pub name: String,
    /// The sub-tenant's Azure (Entra) tenant ID.
    pub tenant_id: String,
    /// Whether a customer can be created from this row.
    pub can_create: bool,
    /// Why not, when `can_create` is false.
    pub reason: Option<AzureCustomerBlock>,
    /// Its default domain in Entra, such as `contoso.onmicrosoft.com` (contracts carry it).
    pub default_domain: Option<String>,
    /// Where Graph lists it: a contract (`/contracts`), a GDAP relationship
    /// (`/tenantRelationships/delegatedAdminCustomers`), or both.
    pub source: SubTenantSource,
    /// The existing customer of yours this sub-tenant most likely is: the one that carries its
    /// tenant ID (linked), else the one whose e-mail domain is its default domain, else the one
    /// with the same name once case, punctuation and legal forms (Ltd, Limited, Inc, GmbH …) are
    /// set aside. None when nothing qualifies, when two customers qualify equally, or when you
    /// said "Not this one".
    pub suggested_match: Option<CustomerMatch>,
    /// While your reseller shows new sub-tenants: first listed for your reseller after your own
    /// previous listing. Always false otherwise, and on your first listing.
    #[serde(default)]
    pub new_since_last_visit: bool,
    /// While your reseller shows new sub-tenants: the customer created from (or linked to) this
    /// sub-tenant, when the sub-tenant's name in Azure is no longer the one it had then.
    #[serde(default)]
    pub renamed: Option<AzureRename>,
}

/// A sub-tenant renamed in Azure since a customer was created from it or linked to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AzureRename {
    pub customer_id: uuid::Uuid,
    /// The customer's name here now.
    pub customer_name: String,
    /// The sub-tenant's name in Azure when the customer was created from it or linked to it.
    pub previous_azure_name: String,
}

/// Where Graph lists a sub-tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SubTenantSource {
    /// A (DAP) customer contract.
    Contract,
    /// A GDAP relationship only: MSPs moving off DAP contracts still see these customers.
    Gdap,
    /// Both.
    Both,
}

/// An existing customer suggested for a sub-tenant, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomerMatch {
    pub customer_id: uuid::Uuid,
    pub customer_name: String,
    pub basis: MatchBasis,
}

/// Why a customer is suggested for a sub-tenant, most trusted first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MatchBasis {
    /// The customer already carries the sub-tenant's tenant ID: they are linked.
    TenantId,
    /// The customer's e-mail domain is the sub-tenant's default domain.
    Domain,
    /// The names are equal once case, punctuation and legal forms are set aside.
    Name,
}

/// `POST /api/v1/msp-onboarding/azure-customers/{tenant_id}/link` and
/// `…/{tenant_id}/rejected-matches` body: the customer of yours concerned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MatchedCustomer {
    pub customer_id: uuid::Uuid,
}

/// Why a sub-tenant cannot become a customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AzureCustomerBlock {
    /// A customer of yours already has this name (ignoring case and surrounding spaces).
    NameExists,
    /// A customer already has this Azure tenant ID.
    TenantIdExists,
}
