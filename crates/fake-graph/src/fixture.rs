//! The directory the fake serves: one reseller's app registration and its CSP sub-tenants, and
//! for "Sign in with Microsoft" the operator's multi-tenant app and the accounts that can sign in.

use serde::{Deserialize, Serialize};

/// One customer contract as Graph's `/v1.0/contracts` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubTenant {
    pub display_name: String,
    pub customer_id: String,
}

/// The app registration the token endpoint accepts and the contracts it lists. The secret is a
/// fixture value for tests and demos, so a plain `String` is enough here.
#[derive(Clone, Serialize, Deserialize)]
pub struct Fixture {
    pub tenant_id: String,
    pub client_id: String,
    pub client_secret: String,
    /// The largest page served, whatever `$top` asks (Graph pages on its own terms too).
    #[serde(default = "default_page_size")]
    pub page_size: usize,
    pub sub_tenants: Vec<SubTenant>,
    /// The customers of GDAP relationships (`/tenantRelationships/delegatedAdminCustomers`):
    /// some also have a contract, some only this. Absent in older fixtures: none.
    #[serde(default)]
    pub gdap_customers: Vec<SubTenant>,
    /// Absent in fixtures written before sign-in existed: then no app can sign anyone in.
    #[serde(default)]
    pub sign_in: SignIn,
}

/// The operator's multi-tenant app registration for "Sign in with Microsoft", and every
/// directory account, in any tenant, that the fake's sign-in page offers.
#[derive(Clone, Default, Serialize, Deserialize)]
pub struct SignIn {
    /// Empty: no sign-in app is registered, and every authorize request is refused.
    #[serde(default)]
    pub client_id: String,
    #[serde(default)]
    pub client_secret: String,
    /// The app's registered redirect URIs. Empty accepts any `https` URI and any `http` one on
    /// a loopback host, because tests and the demo listen on ports chosen at run time. As in
    /// Entra, a registered `http://localhost` (or loopback IP) URI matches on any port.
    #[serde(default)]
    pub redirect_uris: Vec<String>,
    #[serde(default)]
    pub accounts: Vec<DirectoryAccount>,
    /// Each tenant's domains (`/v1.0/domains`).
    #[serde(default)]
    pub domains: Vec<DirectoryDomain>,
    /// Each tenant's devices whose local administrator password LAPS backs up
    /// (`/v1.0/directory/deviceLocalCredentials`). Absent in older fixtures: none.
    #[serde(default)]
    pub devices: Vec<DirectoryDevice>,
}

impl std::fmt::Debug for SignIn {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("SignIn")
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("redirect_uris", &self.redirect_uris)
            .field("accounts", &self.accounts)
            .field("domains", &self.domains)
            .field("devices", &self.devices.len())
            .finish()
    }
}

/// A user in some Entra tenant who can sign in to the operator's app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryAccount {
    /// The UPN: `preferred_username` and `email` in the ID token, and what `login_hint` names.
    pub user_principal_name: String,
    pub display_name: String,
    /// `oid` in the ID token.
    pub object_id: String,
    /// `tid` in the ID token; it also names the issuer, `{authority}/{tenant_id}/v2.0`.
    pub tenant_id: String,
    #[serde(default)]
    pub scenario: SignInScenario,
    /// `accountEnabled` in the directory; a disabled account is offboarded by a user source sync.
    #[serde(default = "enabled")]
    pub account_enabled: bool,
}

fn enabled() -> bool {
    true
}

/// A domain of an Entra tenant, as Graph's `/domains` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryDomain {
    pub tenant_id: String,
    /// The domain name, such as `demo-reseller.test`.
    pub id: String,
    #[serde(default)]
    pub is_verified: bool,
    /// `Managed` or `Federated`.
    pub authentication_type: String,
    #[serde(default)]
    pub is_default: bool,
}

/// A device of an Entra tenant with its LAPS-managed local administrator account, as
/// `deviceLocalCredentials` reports it. Its password is a fixture value for tests and demos.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryDevice {
    pub tenant_id: String,
    /// The device's `deviceId` in Entra: the key of `deviceLocalCredentials/{deviceId}`.
    pub device_id: String,
    pub device_name: String,
    /// The LAPS-managed account, such as `Administrator`.
    pub account_name: String,
    #[serde(default = "builtin_administrator_sid")]
    pub account_sid: String,
    /// The password as Graph returns it: Base64 of its UTF-8 bytes.
    pub password_base64: String,
    /// When the device backed the password up, e.g. `2026-11-28T03:12:45.0000000Z`.
    pub backup_date_time: String,
    /// When the device will rotate it next; `null` in Graph's answer when absent.
    #[serde(default)]
    pub refresh_date_time: Option<String>,
}

impl std::fmt::Debug for DirectoryDevice {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("DirectoryDevice")
            .field("tenant_id", &self.tenant_id)
            .field("device_id", &self.device_id)
            .field("device_name", &self.device_name)
            .field("account_name", &self.account_name)
            .field("password_base64", &"<redacted>")
            .finish_non_exhaustive()
    }
}

fn builtin_administrator_sid() -> String {
    "S-1-5-21-3623811015-3361044348-30300820-500".to_owned()
}

/// How the fake treats a sign-in by this account, so a relying party can meet Entra's error
/// answers on purpose.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignInScenario {
    #[default]
    Normal,
    /// Marks an account whose `tenant_id` is not the operator's: a user who consents in a
    /// different tenant. The fake treats it like `normal`; the tenant makes the difference.
    OtherTenant,
    /// The authorization code issued for this account has already expired when redeemed
    /// (AADSTS70008).
    ExpiredCode,
    /// Its ID token is signed by a second key that the JWKS does not publish, under the
    /// published key's `kid`.
    BadSignature,
}

impl std::fmt::Debug for Fixture {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Fixture")
            .field("tenant_id", &self.tenant_id)
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("sub_tenants", &self.sub_tenants.len())
            .field("gdap_customers", &self.gdap_customers.len())
            .field("sign_in", &self.sign_in)
            .finish()
    }
}

fn default_page_size() -> usize {
    100
}

#[derive(Debug, thiserror::Error)]
#[error("the fake Graph fixture is not valid JSON of the expected shape: {0}")]
pub struct FixtureError(#[from] serde_json::Error);

impl Fixture {
    pub fn from_json(json: &str) -> Result<Self, FixtureError> {
        Ok(serde_json::from_str(json)?)
    }

    /// SPEC §11's demo directory: 28 sub-tenants, one named like a demo customer and one
    /// carrying a demo customer's Azure tenant ID.
    pub fn demo() -> Result<Self, FixtureError> {
        Self::from_json(include_str!("../fixtures/demo.json"))
    }

    /// A directory of `count` generated sub-tenants, for load and paging tests. It registers no
    /// sign-in app.
    pub fn generated(
        tenant_id: &str,
        client_id: &str,
        client_secret: &str,
        count: usize,
        page_size: usize,
    ) -> Self {
        let sub_tenants = (0..count)
            .map(|index| SubTenant {
                display_name: format!("Generated Customer {index:05}"),
                customer_id: format!("00000000-0000-4000-8000-{index:012}"),
            })
            .collect();
        Self {
            tenant_id: tenant_id.to_owned(),
            client_id: client_id.to_owned(),
            client_secret: client_secret.to_owned(),
            page_size,
            sub_tenants,
            gdap_customers: Vec::new(),
            sign_in: SignIn::default(),
        }
    }
}
