use leptos::{ev::SubmitEvent, prelude::*, task::spawn_local};
use proto::{ApiToken, CreatedApiToken};

use crate::api;

#[component]
pub fn ApiTokensPage() -> impl IntoView {
    let tokens = RwSignal::new(None::<Result<Vec<ApiToken>, String>>);
    let name = RwSignal::new(String::new());
    let created = RwSignal::new(None::<CreatedApiToken>);
    let error = RwSignal::new(None::<String>);

    let reload = move || {
        spawn_local(async move {
            tokens.set(Some(
                api::list_api_tokens()
                    .await
                    .map(|page| page.items)
                    .map_err(|failure| failure.message()),
            ));
        });
    };
    reload();

    let create = move |event: SubmitEvent| {
        event.prevent_default();
        error.set(None);
        let requested = name.get_untracked();
        spawn_local(async move {
            match api::create_api_token(requested).await {
                Ok(token) => {
                    name.set(String::new());
                    created.set(Some(token));
                    reload();
                }
                Err(failure) => error.set(Some(failure.message())),
            }
        });
    };

    let revoke = move |id| {
        spawn_local(async move {
            if let Err(failure) = api::revoke_api_token(id).await {
                error.set(Some(failure.message()));
            }
            reload();
        });
    };

    view! {
        <h1 tabindex="-1">"API tokens"</h1>
        <p>"Scripts and integrations send a token as " <code>"Authorization: Bearer <token>"</code> ". A token acts as you, with your permissions."</p>
        <form class="card inline" on:submit=create>
            <label for="token-name">"Token name"</label>
            <input id="token-name" type="text" maxlength="100" placeholder="e.g. PSA sync" bind:value=name/>
            <button type="submit">"Create token"</button>
        </form>
        <Show when=move || error.get().is_some()>
            <p class="error" role="alert">{move || error.get().unwrap_or_default()}</p>
        </Show>
        {move || created.get().map(|token| view! {
            <div class="card notice" role="status">
                <p>"Copy your new token now: it will not be shown again."</p>
                <code data-testid="new-token">{token.token.clone()}</code>
            </div>
        })}
        {move || match tokens.get() {
            None => view! { <p role="status">"Loading tokens…"</p> }.into_any(),
            Some(Err(message)) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
            Some(Ok(list)) if list.is_empty() => view! { <p>"You have no API tokens yet."</p> }.into_any(),
            Some(Ok(list)) => view! {
                <table>
                    <thead><tr><th scope="col">"Name"</th><th scope="col">"Starts with"</th><th scope="col">"Created"</th><th scope="col">"Last used"</th><th scope="col">"Status"</th></tr></thead>
                    <tbody>
                        {list.into_iter().map(|token| {
                            let id = token.id;
                            let active = token.revoked_at.is_none();
                            view! {
                                <tr>
                                    <td>{token.name.clone()}</td>
                                    <td><code>{token.prefix.clone()}"…"</code></td>
                                    <td>{token.created_at.format("%Y-%m-%d %H:%M").to_string()}</td>
                                    <td>{token.last_used_at.map(|at| at.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_else(|| "never".to_owned())}</td>
                                    <td>{if active {
                                        view! { <button type="button" class="secondary" on:click=move |_| revoke(id)>"Revoke " <span class="visually-hidden">{token.name.clone()}</span></button> }.into_any()
                                    } else {
                                        view! { <span>"Revoked"</span> }.into_any()
                                    }}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any(),
        }}
    }
}
