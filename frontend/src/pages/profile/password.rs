//! Changing one's password: the current one proves it is really the user at this screen.

use leptos::{ev::SubmitEvent, prelude::*, task::spawn_local};

use crate::{
    api::{ApiFailure, account},
    components::password::{NewPasswordFields, PasswordChoice},
};

fn refusal(failure: &ApiFailure) -> String {
    match failure.code() {
        Some("wrong_current_password") => {
            "The current password is not right. Nothing was changed.".to_owned()
        }
        _ => failure
            .field_message("new_password")
            .unwrap_or_else(|| failure.message()),
    }
}

#[component]
pub fn PasswordCard() -> impl IntoView {
    let current = RwSignal::new(String::new());
    let choice = PasswordChoice::default();
    let outcome = RwSignal::new(None::<Result<String, String>>);
    let busy = RwSignal::new(false);
    let change = move |event: SubmitEvent| {
        event.prevent_default();
        outcome.set(None);
        let Some(new) = choice.chosen() else {
            return;
        };
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let old = current.get_untracked();
        spawn_local(async move {
            let answer = account::change_password(old, new).await;
            busy.set(false);
            match answer {
                Ok(()) => {
                    current.set(String::new());
                    choice.clear();
                    outcome.set(Some(Ok(
                        "Password changed. Your other sessions were signed out.".to_owned(),
                    )));
                }
                Err(failure) => outcome.set(Some(Err(refusal(&failure)))),
            }
        });
    };
    view! {
        <form class="card" on:submit=change aria-labelledby="password-title">
            <h2 id="password-title">"Password"</h2>
            <label for="current-password">"Current password"</label>
            <input id="current-password" type="password" autocomplete="current-password" required bind:value=current/>
            <NewPasswordFields id="profile-password" choice/>
            <button type="submit" disabled=move || busy.get()>"Change password"</button>
            {move || outcome.get().map(|outcome| match outcome {
                Ok(text) => view! { <p class="saved" role="status">{text}</p> }.into_any(),
                Err(text) => view! { <p class="error" role="alert">{text}</p> }.into_any(),
            })}
        </form>
    }
}
