use leptos::{ev::SubmitEvent, prelude::*, task::spawn_local};

use crate::{api, session::use_session};

#[component]
pub fn LoginPage() -> impl IntoView {
    let session = use_session();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let (email_value, password_value) = (email.get_untracked(), password.get_untracked());
        spawn_local(async move {
            let outcome = match api::login(email_value, password_value).await {
                Ok(_) => api::me().await,
                Err(failure) => Err(failure),
            };
            busy.set(false);
            match outcome {
                Ok(me) => {
                    password.set(String::new());
                    session.set(Some(me));
                }
                Err(failure) => error.set(Some(match failure.status() {
                    Some(401) => "Wrong e-mail or password. Check both and try again.".to_owned(),
                    _ => failure.message(),
                })),
            }
        });
    };

    view! {
        <main class="login">
            <form class="card" on:submit=submit aria-labelledby="login-title">
                <h1 id="login-title">"Sign in to MSP Onboarding"</h1>
                <label for="login-email">"E-mail"</label>
                <input id="login-email" type="email" autocomplete="username" required bind:value=email/>
                <label for="login-password">"Password"</label>
                <input id="login-password" type="password" autocomplete="current-password" required bind:value=password/>
                <Show when=move || error.get().is_some()>
                    <p class="error" role="alert">{move || error.get().unwrap_or_default()}</p>
                </Show>
                <button type="submit" disabled=move || busy.get()>
                    {move || if busy.get() { "Signing in…" } else { "Sign in" }}
                </button>
            </form>
        </main>
    }
}
