//! The user's e-mail, role and display name; only the display name can be changed here.

use domain::DisplayName;
use leptos::{ev::SubmitEvent, prelude::*, task::spawn_local};
use proto::UpdateUserRequest;

use crate::{
    api::{sentence, users},
    session::use_session,
};

#[component]
pub fn DetailsCard() -> impl IntoView {
    let session = use_session();
    let Some(me) = session.signed_in() else {
        return ().into_any();
    };
    let name = RwSignal::new(me.user.display_name.clone());
    let outcome = RwSignal::new(None::<Result<String, String>>);
    let busy = RwSignal::new(false);
    let id = me.user.id;
    let save = move |event: SubmitEvent| {
        event.prevent_default();
        let typed = name.get_untracked();
        if let Err(problem) = DisplayName::parse(&typed) {
            outcome.set(Some(Err(sentence(&problem.to_string()))));
            return;
        }
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        outcome.set(None);
        spawn_local(async move {
            let change = UpdateUserRequest {
                display_name: Some(typed),
                ..UpdateUserRequest::default()
            };
            let answer = users::update_user(id, &change).await;
            busy.set(false);
            match answer {
                Ok(user) => {
                    name.set(user.display_name.clone());
                    session.update_signed_in(|me| me.user.display_name = user.display_name);
                    outcome.set(Some(Ok("Display name saved.".to_owned())));
                }
                Err(failure) => outcome.set(Some(Err(failure
                    .field_message("display_name")
                    .unwrap_or_else(|| failure.message())))),
            }
        });
    };
    view! {
        <form class="card" on:submit=save aria-labelledby="details-title">
            <h2 id="details-title">"Your details"</h2>
            <dl>
                <dt>"E-mail"</dt><dd data-testid="profile-email">{me.user.email.clone()}</dd>
                <dt>"Role"</dt><dd>{me.role.as_str()}</dd>
            </dl>
            <label for="profile-display-name">"Display name"</label>
            <input id="profile-display-name" type="text" maxlength="200" autocomplete="name" bind:value=name/>
            <div class="actions">
                <button type="submit" disabled=move || busy.get()>"Save display name"</button>
            </div>
            {move || outcome.get().map(|outcome| match outcome {
                Ok(text) => view! { <p class="saved" role="status">{text}</p> }.into_any(),
                Err(text) => view! { <p class="error" role="alert">{text}</p> }.into_any(),
            })}
        </form>
    }
    .into_any()
}
