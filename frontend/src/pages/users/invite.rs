//! Inviting a user (admins): e-mail, display name and rights; the answer's single-use link is
//! shown once, for the admin to pass on.

use domain::{DisplayName, Email};
use leptos::{ev::SubmitEvent, prelude::*, task::spawn_local};
use proto::{InviteUserRequest, InvitedUser};

use super::rights::{RightsDraft, RightsFields};
use crate::{
    api::{sentence, users},
    components::{aria_invalid, copy::CopyButton, dialog::ModalDialog, minute},
};

/// What is wrong with the typed e-mail and display name, as the API would say it.
fn problems(email: &str, display_name: &str) -> (Option<String>, Option<String>) {
    (
        Email::parse(email)
            .err()
            .map(|problem| sentence(&problem.to_string())),
        DisplayName::parse(display_name)
            .err()
            .map(|problem| sentence(&problem.to_string())),
    )
}

#[component]
pub fn InviteDialog(
    #[prop(into)] on_invited: Callback<String>,
    #[prop(into)] on_close: Callback<()>,
) -> impl IntoView {
    let invited = RwSignal::new(None::<InvitedUser>);
    let on_created = Callback::new(move |answer: InvitedUser| {
        on_invited.run(answer.user.email.clone());
        invited.set(Some(answer));
    });
    view! {
        <ModalDialog labelled_by="invite-title" on_close class="user-dialog">
            {move || match invited.get() {
                None => view! { <InviteForm on_created on_close/> }.into_any(),
                Some(answer) => invitation_link(answer, on_close).into_any(),
            }}
        </ModalDialog>
    }
}

fn invitation_link(answer: InvitedUser, on_close: Callback<()>) -> impl IntoView {
    let expires = format!("{} UTC", minute(&answer.invitation_expires_at));
    view! {
        <h2 id="invite-title">"Invitation created"</h2>
        <p role="status">{format!(
            "Send this link to {}. It works once, until {expires}, and is shown only now.",
            answer.user.email
        )}</p>
        <div class="field">
            <label for="invitation-url">"Invitation link"</label>
            <input id="invitation-url" type="text" readonly prop:value=answer.invitation_url.clone() data-testid="invitation-url"/>
        </div>
        <div class="actions"><CopyButton text=answer.invitation_url label="Copy link"/></div>
        <div class="modal-foot">
            <button type="button" on:click=move |_| on_close.run(())>"Done"</button>
        </div>
    }
}

#[component]
fn InviteForm(
    #[prop(into)] on_created: Callback<InvitedUser>,
    #[prop(into)] on_close: Callback<()>,
) -> impl IntoView {
    let email = RwSignal::new(String::new());
    let display_name = RwSignal::new(String::new());
    let draft = RightsDraft::for_invitation();
    let field_problems = RwSignal::new((None::<String>, None::<String>));
    let refused = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        refused.set(None);
        let (typed_email, typed_name) = (email.get_untracked(), display_name.get_untracked());
        let found = problems(&typed_email, &typed_name);
        let invalid = found.0.is_some() || found.1.is_some();
        field_problems.set(found);
        if invalid || busy.get_untracked() {
            return;
        }
        busy.set(true);
        let body = InviteUserRequest {
            email: typed_email.trim().to_owned(),
            display_name: (!typed_name.trim().is_empty()).then_some(typed_name),
            role: Some(draft.role.get_untracked()),
            claims: Some(draft.chosen_claims()),
            use_mfa: Some(draft.use_mfa.get_untracked()),
            allow_ui_access: Some(draft.allow_ui_access.get_untracked()),
        };
        spawn_local(async move {
            let answer = users::invite_user(&body).await;
            busy.set(false);
            match answer {
                Ok(invited) => on_created.run(invited),
                Err(failure) => match failure.field_message("email") {
                    Some(text) => field_problems.set((Some(text), None)),
                    None => refused.set(Some(
                        failure
                            .field_message("display_name")
                            .unwrap_or_else(|| failure.message()),
                    )),
                },
            }
        });
    };
    let email_problem = move || field_problems.with(|found| found.0.clone());
    let name_problem = move || field_problems.with(|found| found.1.clone());
    view! {
        <form on:submit=submit novalidate>
            <div class="modal-head">
                <h2 id="invite-title">"Invite a user"</h2>
                <button type="button" class="secondary" on:click=move |_| on_close.run(())>"Cancel"</button>
            </div>
            <p class="help">"The user gets a link to choose a password; it works once and for 7 days."</p>
            <div class="field" class:invalid=move || email_problem().is_some()>
                <label for="invite-email">"E-mail"</label>
                <input id="invite-email" type="email" autocomplete="off" required maxlength="254"
                    aria-describedby="invite-email-problem" aria-invalid=move || aria_invalid(email_problem().is_some()) bind:value=email/>
                <p id="invite-email-problem" class="field-error" aria-live="polite">{email_problem}</p>
            </div>
            <div class="field" class:invalid=move || name_problem().is_some()>
                <label for="invite-display-name">"Display name (optional)"</label>
                <input id="invite-display-name" type="text" autocomplete="off" maxlength="200"
                    aria-describedby="invite-display-name-problem" aria-invalid=move || aria_invalid(name_problem().is_some()) bind:value=display_name/>
                <p id="invite-display-name-problem" class="field-error" aria-live="polite">{name_problem}</p>
            </div>
            <RightsFields id="invite" draft/>
            {move || refused.get().map(|text| view! { <p class="error" role="alert">{text}</p> })}
            <div class="modal-foot">
                <button type="submit" disabled=move || busy.get()>"Send invitation"</button>
            </div>
        </form>
    }
}
