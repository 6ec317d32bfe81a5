//! The directory the fake serves: one reseller's app registration and its CSP sub-tenants.

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
}

impl std::fmt::Debug for Fixture {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Fixture")
            .field("tenant_id", &self.tenant_id)
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("sub_tenants", &self.sub_tenants.len())
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

    /// A directory of `count` generated sub-tenants, for load and paging tests.
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
        }
    }
}
