//! What an admin consent's answer means, wherever the consent was started (SPEC §16: the MSP's
//! user source, a customer's connection): a `state` only this server knows (its SHA-256 is kept
//! for ten minutes), and Entra's word on the way back, granted for a tenant or refused in
//! Entra's own words.

use chrono::{DateTime, Duration, Utc};
use domain::AzureTenantId;

use crate::infra::{
    InfraFailure,
    auth::{ApiTokenSecret, random_bytes},
};

/// How long an Authorize may take in Entra.
pub const CONSENT_LIFETIME_MINUTES: i64 = 10;

/// A new consent's `state`, for the browser, and what to keep of it.
pub struct NewConsent {
    pub state: String,
    pub state_hash: String,
    pub expires_at: DateTime<Utc>,
}

impl NewConsent {
    pub fn start() -> Result<Self, InfraFailure> {
        let state = hex::encode(random_bytes::<32>()?);
        Ok(Self {
            state_hash: ApiTokenSecret::hash_of(&state),
            state,
            expires_at: Utc::now() + Duration::minutes(CONSENT_LIFETIME_MINUTES),
        })
    }
}

/// What Entra sent back to a callback.
pub struct ConsentAnswer {
    pub state: Option<String>,
    pub tenant: Option<String>,
    pub admin_consent: Option<String>,
    pub error: Option<String>,
    pub error_description: Option<String>,
}

impl ConsentAnswer {
    /// The SHA-256 of the answer's state, to find the consent it belongs to.
    pub fn state_hash(&self) -> Option<String> {
        self.state
            .as_deref()
            .filter(|state| !state.is_empty())
            .map(ApiTokenSecret::hash_of)
    }

    /// The consented directory, or why there is none, for a consent that was to end by
    /// `expires_at`.
    pub fn verdict(self, expires_at: Option<DateTime<Utc>>) -> Result<AzureTenantId, String> {
        if expires_at.is_none_or(|expiry| expiry < Utc::now()) {
            return Err(format!(
                "the Authorize took longer than {CONSENT_LIFETIME_MINUTES} minutes; press Authorize again"
            ));
        }
        if let Some(error) = self.error {
            return Err(self.error_description.unwrap_or(error));
        }
        let granted = self
            .admin_consent
            .as_deref()
            .is_some_and(|granted| granted.eq_ignore_ascii_case("true"));
        match self.tenant.as_deref().map(AzureTenantId::parse) {
            Some(Ok(tenant)) if granted => Ok(tenant),
            _ => Err("Microsoft Entra did not confirm the consent".to_owned()),
        }
    }
}

/// How a consent ended, for the page the browser lands on.
#[derive(Debug, PartialEq, Eq)]
pub enum ConsentOutcome {
    Granted,
    /// Entra's refusal, in its words, or ours for a state we did not issue or that expired.
    Refused(String),
}

impl ConsentOutcome {
    pub fn no_state() -> Self {
        Self::Refused("the answer carries no state".to_owned())
    }

    pub fn unknown_state() -> Self {
        Self::Refused(
            "this answer does not belong to an Authorize started here; press Authorize again"
                .to_owned(),
        )
    }

    /// The query the web app's page reads: `consent=granted`, or `consent=refused&reason=…`.
    pub fn page_query(&self) -> String {
        match self {
            Self::Granted => "consent=granted".to_owned(),
            Self::Refused(reason) => {
                // Encoded as a form query, through the URL type the Graph client already uses.
                match msp_graph::Url::parse("https://page.invalid/") {
                    Ok(mut page) => {
                        page.query_pairs_mut()
                            .append_pair("consent", "refused")
                            .append_pair("reason", reason);
                        page.query().unwrap_or("consent=refused").to_owned()
                    }
                    Err(_) => "consent=refused".to_owned(),
                }
            }
        }
    }
}
