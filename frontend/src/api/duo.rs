//! Duo as a second factor (SPEC §14): the Duo step of a sign-in, and linking or unlinking one's
//! own Duo from the profile page. Each start answers with the URL of Duo's prompt; the browser
//! goes there and Duo sends it back to the server, which redirects into the web app.

use gloo_net::http::Request;
use proto::{DuoLoginRequest, DuoRedirect};

use super::{ApiFailure, call, read, send};

/// The Duo step after the password: `mfa_token` is the password step's proof.
pub async fn begin_sign_in(mfa_token: String) -> Result<DuoRedirect, ApiFailure> {
    read(call(Request::post("/api/v1/auth/login/duo").json(&DuoLoginRequest { mfa_token })).await)
}

/// "Link Duo": Duo authenticates the signed-in user once, and then offers itself at sign-in.
pub async fn begin_link() -> Result<DuoRedirect, ApiFailure> {
    read(call(Request::post("/api/v1/me/duo").build()).await)
}

pub async fn unlink() -> Result<(), ApiFailure> {
    send(Request::delete("/api/v1/me/duo").build())
        .await
        .map(drop)
}

/// Leaves the web app for Duo's prompt; `false` when the browser refused to go.
pub fn go_to_prompt(redirect: &DuoRedirect) -> bool {
    leptos::prelude::window()
        .location()
        .set_href(&redirect.redirect_url)
        .is_ok()
}
