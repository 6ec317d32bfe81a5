//! API tokens: the caller's own, and for admins every token of the tenant (SPEC §12).

use leptos::prelude::*;
use proto::Role;

use crate::{
    api::tokens::TokenScope,
    components::api_tokens::{OwnApiTokens, TokenList},
    session::use_session,
};

#[component]
pub fn ApiTokensPage() -> impl IntoView {
    let admin = use_session()
        .signed_in()
        .filter(|me| me.role == Role::Admin)
        .map(|me| me.user.id);
    view! {
        <h1 tabindex="-1">"API tokens"</h1>
        <p>"Scripts and integrations send a token as " <code>"Authorization: Bearer <token>"</code> ". A token acts as you, with your permissions, until it expires or is revoked."</p>
        <OwnApiTokens/>
        {admin.map(|me| view! {
            <section class="card" aria-labelledby="tenant-tokens-title">
                <h2 id="tenant-tokens-title">"Other users' tokens"</h2>
                <p class="help">"As an admin you can revoke anyone's token in your tenant, e.g. when a script leaks it."</p>
                <TokenList scope=TokenScope::Tenant refresh=Signal::derive(|| 0) except_user=me/>
            </section>
        })}
    }
}
