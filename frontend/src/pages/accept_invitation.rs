//! `/accept-invitation#token=…`: an invited user chooses a password (SPEC §12). The token travels
//! in the fragment, which browsers never send to a server or put in a `Referer`.

use leptos::{ev::SubmitEvent, prelude::*, task::spawn_local};

use crate::{
    api::{ApiFailure, account},
    components::password::{NewPasswordFields, PasswordChoice},
};

pub const ACCEPT_INVITATION: &str = "/accept-invitation";

/// The `token` of a fragment such as `#token=abc`.
fn token_in(fragment: &str) -> Option<String> {
    fragment
        .trim_start_matches('#')
        .split('&')
        .find_map(|pair| pair.strip_prefix("token="))
        .filter(|token| !token.is_empty())
        .map(str::to_owned)
}

fn refusal(failure: &ApiFailure) -> String {
    match failure.code() {
        Some("invitation_invalid") => "This invitation link no longer works: it was already used, or it is more than 7 days old. Ask your admin for a new invitation.".to_owned(),
        _ => failure
            .field_message("password")
            .unwrap_or_else(|| failure.message()),
    }
}

#[component]
pub fn AcceptInvitationPage() -> impl IntoView {
    let token = window()
        .location()
        .hash()
        .ok()
        .and_then(|hash| token_in(&hash));
    view! {
        <main class="login">
            {match token {
                Some(token) => view! { <ChoosePassword token/> }.into_any(),
                None => view! {
                    <section class="card" aria-labelledby="invitation-title">
                        <h1 id="invitation-title">"Accept your invitation"</h1>
                        <p class="error" role="alert">"This link is incomplete. Open the whole invitation link you were sent, or ask your admin for a new one."</p>
                        <p><a href="/">"Go to sign-in"</a></p>
                    </section>
                }.into_any(),
            }}
        </main>
    }
}

#[component]
fn ChoosePassword(token: String) -> impl IntoView {
    let token = StoredValue::new(token);
    let choice = PasswordChoice::default();
    let refused = RwSignal::new(None::<String>);
    let accepted = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        refused.set(None);
        let Some(chosen) = choice.chosen() else {
            return;
        };
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let outcome = account::accept_invitation(token.get_value(), chosen).await;
            busy.set(false);
            match outcome {
                Ok(()) => accepted.set(true),
                Err(failure) => refused.set(Some(refusal(&failure))),
            }
        });
    };
    move || {
        if accepted.get() {
            view! {
                <section class="card" aria-labelledby="invitation-title">
                    <h1 id="invitation-title">"Your password is set"</h1>
                    <p role="status">"Your account is ready. Sign in with your e-mail address and the new password."</p>
                    <p><a href="/">"Sign in"</a></p>
                </section>
            }
            .into_any()
        } else {
            view! {
                <form class="card" on:submit=submit aria-labelledby="invitation-title">
                    <h1 id="invitation-title">"Accept your invitation"</h1>
                    <p>"Choose the password you will sign in to MSP Onboarding with."</p>
                    <NewPasswordFields id="invitation-password" choice/>
                    {move || refused.get().map(|text| view! { <p class="error" role="alert">{text}</p> })}
                    <button type="submit" disabled=move || busy.get()>"Set password"</button>
                </form>
            }
            .into_any()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_read_from_the_fragment() {
        assert_eq!(token_in("#token=abc"), Some("abc".to_owned()));
        assert_eq!(token_in("#x=1&token=abc"), Some("abc".to_owned()));
        assert_eq!(token_in("#token="), None);
        assert_eq!(token_in(""), None);
    }
}
