//! Editing a user (admins), opened by the row's pencil: display name and rights. Only what
//! changed is sent, so an admin editing itself never seems to raise its own rights.

use domain::DisplayName;
use leptos::{ev::SubmitEvent, prelude::*, task::spawn_local};
use proto::{UpdateUserRequest, User};

use super::rights::{RightsDraft, RightsFields};
use crate::{
    api::{sentence, users},
    components::dialog::ModalDialog,
};

/// The changes from `user` to the draft; `None` when nothing changed.
fn changes(user: &User, display_name: &str, draft: &RightsDraft) -> Option<UpdateUserRequest> {
    let claims = draft.chosen_claims();
    let same_claims =
        claims.len() == user.claims.len() && claims.iter().all(|claim| user.claims.contains(claim));
    let differs = |new: bool, old: bool| (new != old).then_some(new);
    let change = UpdateUserRequest {
        display_name: (display_name.trim() != user.display_name).then(|| display_name.to_owned()),
        role: Some(draft.role.get_untracked()).filter(|role| *role != user.role),
        claims: (!same_claims).then_some(claims),
        use_mfa: differs(draft.use_mfa.get_untracked(), user.use_mfa),
        allow_ui_access: differs(draft.allow_ui_access.get_untracked(), user.allow_ui_access),
        active: None,
    };
    (change != UpdateUserRequest::default()).then_some(change)
}

#[component]
pub fn EditDialog(
    user: User,
    /// Told the e-mail of the user once the changes are saved.
    #[prop(into)]
    on_saved: Callback<String>,
    #[prop(into)] on_close: Callback<()>,
) -> impl IntoView {
    let draft = RightsDraft::of(&user);
    let display_name = RwSignal::new(user.display_name.clone());
    let refused = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let user = StoredValue::new(user);
    let title = format!("Edit {}", user.with_value(|user| user.email.clone()));
    let save = move |event: SubmitEvent| {
        event.prevent_default();
        refused.set(None);
        let typed = display_name.get_untracked();
        if let Err(problem) = DisplayName::parse(&typed) {
            refused.set(Some(sentence(&problem.to_string())));
            return;
        }
        let Some(change) = user.with_value(|user| changes(user, &typed, &draft)) else {
            on_close.run(());
            return;
        };
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let (id, email) = user.with_value(|user| (user.id, user.email.clone()));
        spawn_local(async move {
            let answer = users::update_user(id, &change).await;
            busy.set(false);
            match answer {
                Ok(_) => on_saved.run(email),
                Err(failure) => refused.set(Some(failure.message())),
            }
        });
    };
    view! {
        <ModalDialog labelled_by="edit-title" on_close class="user-dialog">
            <form on:submit=save>
                <div class="modal-head">
                    <h2 id="edit-title">{title}</h2>
                    <button type="button" class="secondary" on:click=move |_| on_close.run(())>"Cancel"</button>
                </div>
                <div class="field">
                    <label for="edit-display-name">"Display name"</label>
                    <input id="edit-display-name" type="text" autocomplete="off" maxlength="200" bind:value=display_name/>
                </div>
                <RightsFields id="edit" draft/>
                {move || refused.get().map(|text| view! { <p class="error" role="alert">{text}</p> })}
                <div class="modal-foot">
                    <button type="submit" disabled=move || busy.get()>"Save changes"</button>
                </div>
            </form>
        </ModalDialog>
    }
}
