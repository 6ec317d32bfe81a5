//! API tokens (SPEC §12): a form that creates one and shows it once, and the tables of the
//! caller's own tokens and (admins) of every token in the tenant.

use leptos::{ev::SubmitEvent, prelude::*, task::spawn_local};
use proto::{ApiToken, CreatedApiToken};
use uuid::Uuid;

use crate::{
    api::tokens::{self as api, TokenScope},
    components::{self, copy::CopyButton},
};

/// The lifetimes offered, in days; the API takes 1–365 and defaults to 90.
const EXPIRY_CHOICES: [(u16, &str); 4] = [
    (30, "30 days"),
    (90, "90 days"),
    (180, "180 days"),
    (365, "1 year"),
];
const DEFAULT_EXPIRY_DAYS: u16 = 90;

/// Creates a token for the caller, or with `for_user` (admins) for that user, and shows it once.
#[component]
pub fn NewTokenForm(
    /// Prefix of the controls' ids, unique on the page.
    id: &'static str,
    #[prop(optional)] for_user: Option<Uuid>,
    #[prop(into)] on_created: Callback<()>,
) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let days = RwSignal::new(DEFAULT_EXPIRY_DAYS);
    let created = RwSignal::new(None::<CreatedApiToken>);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let (name_id, expiry_id) = (format!("{id}-name"), format!("{id}-expiry"));

    let create = move |event: SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let (requested, lifetime) = (name.get_untracked(), days.get_untracked());
        spawn_local(async move {
            let outcome = match for_user {
                Some(user) => api::create_user_api_token(user, requested, lifetime).await,
                None => api::create_api_token(requested, lifetime).await,
            };
            busy.set(false);
            match outcome {
                Ok(token) => {
                    name.set(String::new());
                    created.set(Some(token));
                    on_created.run(());
                }
                Err(failure) => error.set(Some(
                    failure
                        .field_message("name")
                        .unwrap_or_else(|| failure.message()),
                )),
            }
        });
    };

    view! {
        <form class="card inline" on:submit=create>
            <label for=name_id.clone()>"Token name"</label>
            <input id=name_id type="text" maxlength="100" placeholder="e.g. PSA sync" required bind:value=name/>
            <label for=expiry_id.clone()>"Expires after"</label>
            <select id=expiry_id on:change=move |event| {
                if let Ok(chosen) = event_target_value(&event).parse() {
                    days.set(chosen);
                }
            }>
                {EXPIRY_CHOICES.into_iter().map(|(value, label)| view! {
                    <option value=value.to_string() selected=value == DEFAULT_EXPIRY_DAYS>{label}</option>
                }).collect_view()}
            </select>
            <button type="submit" disabled=move || busy.get()>"Create token"</button>
        </form>
        {move || error.get().map(|text| view! { <p class="error" role="alert">{text}</p> })}
        {move || created.get().map(|token| view! {
            <div class="card notice" role="status">
                <p>"Copy the new token now: it will not be shown again."</p>
                <code data-testid="new-token">{token.token.clone()}</code>
                <div class="actions"><CopyButton text=token.token label="Copy token"/></div>
            </div>
        })}
    }
}

fn token_row(token: ApiToken, show_owner: bool, on_revoke: Callback<Uuid>) -> impl IntoView {
    let id = token.id;
    let when = |at: Option<String>, none: &str| at.unwrap_or_else(|| none.to_owned());
    view! {
        <tr>
            <td>{token.name.clone()}</td>
            {show_owner.then(|| view! { <td>{token.user_email.clone()}</td> })}
            <td><code>{token.prefix.clone()}"…"</code></td>
            <td>{components::minute(&token.created_at)}</td>
            <td>{when(token.expires_at.as_ref().map(components::day), "never")}</td>
            <td>{when(token.last_used_at.as_ref().map(components::minute), "never")}</td>
            <td>{if token.revoked_at.is_none() {
                view! {
                    <button type="button" class="secondary" on:click=move |_| on_revoke.run(id)>
                        "Revoke " <span class="visually-hidden">{token.name.clone()}</span>
                    </button>
                }.into_any()
            } else {
                view! { <span>"Revoked"</span> }.into_any()
            }}</td>
        </tr>
    }
}

/// The tokens of `scope` but those of `except_user`, each revocable; `refresh` changes when one
/// was created elsewhere.
#[component]
pub fn TokenList(
    scope: TokenScope,
    #[prop(into)] refresh: Signal<u32>,
    #[prop(optional)] except_user: Option<Uuid>,
) -> impl IntoView {
    let tokens = RwSignal::new(None::<Result<Vec<ApiToken>, String>>);
    let error = RwSignal::new(None::<String>);
    let revoked = RwSignal::new(0_u32);
    Effect::new(move |_| {
        refresh.track();
        revoked.track();
        spawn_local(async move {
            tokens.set(Some(
                api::list_api_tokens(scope)
                    .await
                    .map(|page| {
                        let mut items = page.items;
                        items.retain(|token| Some(token.user_id) != except_user);
                        items
                    })
                    .map_err(|failure| failure.message()),
            ));
        });
    });
    let on_revoke = Callback::new(move |id| {
        error.set(None);
        spawn_local(async move {
            if let Err(failure) = api::revoke_api_token(id).await {
                error.set(Some(failure.message()));
            }
            revoked.update(|count| *count += 1);
        });
    });
    let show_owner = scope == TokenScope::Tenant;
    view! {
        {move || error.get().map(|text| view! { <p class="error" role="alert">{text}</p> })}
        {move || match tokens.get() {
            None => view! { <p role="status">"Loading tokens…"</p> }.into_any(),
            Some(Err(message)) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
            Some(Ok(list)) if list.is_empty() => view! { <p>"No API tokens yet."</p> }.into_any(),
            Some(Ok(list)) => view! {
                <table>
                    <thead><tr>
                        <th scope="col">"Name"</th>
                        {show_owner.then(|| view! { <th scope="col">"User"</th> })}
                        <th scope="col">"Starts with"</th><th scope="col">"Created"</th><th scope="col">"Expires"</th>
                        <th scope="col">"Last used"</th><th scope="col">"Status"</th>
                    </tr></thead>
                    <tbody>{list.into_iter().map(|token| token_row(token, show_owner, on_revoke)).collect_view()}</tbody>
                </table>
            }.into_any(),
        }}
    }
}

/// The caller's own tokens with the form that creates one.
#[component]
pub fn OwnApiTokens() -> impl IntoView {
    let created = RwSignal::new(0_u32);
    view! {
        <NewTokenForm id="token" on_created=move |()| created.update(|count| *count += 1)/>
        <TokenList scope=TokenScope::Own refresh=created/>
    }
}
