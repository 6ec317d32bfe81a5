//! `--demo` is built in with the `demo` feature (the README's commands and the tests turn it
//! on); a server built without it refuses the flag rather than serve without its data.

#[cfg(feature = "demo")]
pub use crate::demo::{Running, sign_in_app, start, stop};

#[cfg(not(feature = "demo"))]
pub use without_demo::{Running, sign_in_app, start, stop};

#[cfg(not(feature = "demo"))]
mod without_demo {
    use crate::infra::config::{OutsideServices, Settings};

    pub enum Running {}

    pub async fn start(
        _settings: &Settings,
        _db: &sea_orm::DatabaseConnection,
        _mfa_key: &crate::infra::auth::MfaKey,
    ) -> anyhow::Result<(OutsideServices, Running)> {
        anyhow::bail!(
            "demo mode is not built into this server; build it with `--features demo` (the README's commands do)"
        )
    }

    pub async fn stop(running: Running) {
        match running {}
    }

    pub fn sign_in_app(running: &Running) -> msp_graph::SignInApp {
        match *running {}
    }
}
