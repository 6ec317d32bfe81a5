//! The Duo applications the fake knows: each a Web SDK application's client ID and secret as
//! the Duo Admin Panel shows them.

/// The demo application's client ID (Duo calls it the integration key): 20 characters starting
/// with `DI`, as Duo's clients check the length.
pub const DEMO_CLIENT_ID: &str = "DIMSPDEMO0FAKEDUO001";

/// The demo application's client secret: 40 characters, as Duo's clients check. Published for
/// the demo only; the fake accepts it nowhere but on loopback.
pub const DEMO_CLIENT_SECRET: &str = "DemoFakeDuoSecretForTestsAndDemosOnly042";

/// One Duo Web SDK application. Duo's clients refuse a client ID that is not 20 characters long
/// and a secret that is not 40; the fake accepts any, so tests can try what the product does
/// with others.
#[derive(Clone, PartialEq, Eq)]
pub struct DuoIntegration {
    pub client_id: String,
    pub client_secret: String,
}

impl std::fmt::Debug for DuoIntegration {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("DuoIntegration")
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .finish()
    }
}

/// Every application the fake answers for; any other client ID is refused the way Duo refuses
/// an unknown one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DuoFixture {
    pub integrations: Vec<DuoIntegration>,
}

impl DuoFixture {
    /// One application: [`DEMO_CLIENT_ID`] with [`DEMO_CLIENT_SECRET`].
    pub fn demo() -> Self {
        Self {
            integrations: vec![DuoIntegration {
                client_id: DEMO_CLIENT_ID.to_owned(),
                client_secret: DEMO_CLIENT_SECRET.to_owned(),
            }],
        }
    }

    pub(crate) fn integration(&self, client_id: &str) -> Option<&DuoIntegration> {
        self.integrations
            .iter()
            .find(|integration| integration.client_id == client_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_credentials_have_the_lengths_duos_clients_require() {
        assert_eq!(DEMO_CLIENT_ID.len(), 20);
        assert!(DEMO_CLIENT_ID.starts_with("DI"));
        assert_eq!(DEMO_CLIENT_SECRET.len(), 40);
    }

    #[test]
    fn the_secret_never_shows_in_debug_output() {
        let shown = format!("{:?}", DuoFixture::demo());
        assert!(shown.contains(DEMO_CLIENT_ID));
        assert!(!shown.contains(DEMO_CLIENT_SECRET));
    }
}
