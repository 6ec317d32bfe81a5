//! `/profile`: the signed-in user's own account (SPEC §12): display name, password, the
//! authenticator app and recovery codes, and API tokens.

mod details;
mod mfa;
mod password;

use leptos::prelude::*;

use self::{details::DetailsCard, mfa::MfaCard, password::PasswordCard};
use crate::components::api_tokens::OwnApiTokens;

pub const PROFILE: &str = "/profile";

#[component]
pub fn ProfilePage() -> impl IntoView {
    view! {
        <h1 tabindex="-1">"Your profile"</h1>
        <DetailsCard/>
        <PasswordCard/>
        <MfaCard/>
        <section class="card" aria-labelledby="profile-tokens-title">
            <h2 id="profile-tokens-title">"Your API tokens"</h2>
            <p class="help">"Scripts and integrations send a token as " <code>"Authorization: Bearer <token>"</code> ". A token acts as you, with your permissions, until it expires or is revoked."</p>
            <OwnApiTokens/>
        </section>
    }
}
