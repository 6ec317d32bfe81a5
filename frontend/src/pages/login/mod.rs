//! Sign-in: e-mail and password (or Microsoft), then, when the account uses MFA, Duo, the code of
//! the authenticator app or a recovery code (SPEC §12, §14).

mod address;
mod second_factor;

use leptos::{ev::SubmitEvent, prelude::*, task::spawn_local};
use proto::LoginAnswer;

use self::{address::Challenge, second_factor::SecondFactorForm};
use crate::{
    api::{ApiFailure, account},
    session::{self, Session, use_session},
};

/// Shown when the server ended the session of whoever was signed in.
const SESSION_ENDED: &str = "Your session ended; sign in again.";

/// Which of the two forms is shown; the second holds the server's proof of the password step
/// and the ways the account may pass the second one.
#[derive(Clone, PartialEq)]
enum Step {
    Password,
    SecondFactor(Challenge),
}

/// A refused password step in words that say what to do next.
fn password_refusal(failure: &ApiFailure) -> String {
    match (failure.status(), failure.code()) {
        (Some(401), _) => "Wrong e-mail or password. Check both and try again.".to_owned(),
        (_, Some("ui_access_disabled")) => "UI access is off for this account: it is meant for API tokens only (scripts and integrations). An admin can turn on “Allow access to UI” if you need the web app.".to_owned(),
        (_, Some("account_deactivated")) => "This account is deactivated. Ask an admin of your tenant to reactivate it.".to_owned(),
        _ => failure.message(),
    }
}

/// Reads who signed in, which also tells whether an authenticator app must be enrolled first.
async fn enter(session: Session) -> Result<(), ApiFailure> {
    let me = account::me().await?;
    session.set(Some(me));
    Ok(())
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let (refusal, challenge) = address::take();
    let step = RwSignal::new(match challenge {
        Some(challenge) => Step::SecondFactor(challenge),
        None => Step::Password,
    });
    let ended = session::take_ended();
    let notice = RwSignal::new(
        refusal
            .map(str::to_owned)
            .or_else(|| ended.then(|| SESSION_ENDED.to_owned())),
    );
    view! {
        <main class="login">
            {move || match step.get() {
                Step::Password => view! { <PasswordForm step notice/> }.into_any(),
                Step::SecondFactor(challenge) => view! { <SecondFactorForm challenge step notice/> }.into_any(),
            }}
        </main>
    }
}

#[component]
fn PasswordForm(step: RwSignal<Step>, notice: RwSignal<Option<String>>) -> impl IntoView {
    let session = use_session();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let busy = RwSignal::new(false);

    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        notice.set(None);
        let (email_value, password_value) = (email.get_untracked(), password.get_untracked());
        spawn_local(async move {
            let outcome = match account::login(email_value, password_value).await {
                Ok(LoginAnswer::SignedIn(_)) => enter(session).await,
                Ok(LoginAnswer::MfaRequired(challenge)) => {
                    step.set(Step::SecondFactor(Challenge {
                        mfa_token: challenge.mfa_token,
                        methods: challenge.methods,
                    }));
                    Ok(())
                }
                Err(failure) => Err(failure),
            };
            busy.set(false);
            if let Err(failure) = outcome {
                notice.set(Some(password_refusal(&failure)));
            }
        });
    };

    view! {
        <form class="card" on:submit=submit aria-labelledby="login-title">
            <h1 id="login-title">"Sign in to MSP Onboarding"</h1>
            <label for="login-email">"E-mail"</label>
            <input id="login-email" type="email" autocomplete="username" required bind:value=email/>
            <label for="login-password">"Password"</label>
            <input id="login-password" type="password" autocomplete="current-password" required bind:value=password/>
            <Show when=move || notice.get().is_some()>
                <p class="error" role="alert">{move || notice.get().unwrap_or_default()}</p>
            </Show>
            <button type="submit" disabled=move || busy.get()>
                {move || if busy.get() { "Signing in…" } else { "Sign in" }}
            </button>
            <MicrosoftButton/>
        </form>
    }
}

/// "Sign in with Microsoft", shown only when the server has it configured.
#[component]
fn MicrosoftButton() -> impl IntoView {
    let offered = RwSignal::new(false);
    spawn_local(async move {
        if let Ok(providers) = account::sign_in_providers().await {
            offered.set(providers.microsoft);
        }
    });
    view! {
        <Show when=move || offered.get()>
            <p class="or" aria-hidden="true">"or"</p>
            <a class="button secondary microsoft" href=account::MICROSOFT_SIGN_IN rel="external">
                <svg class="icon" viewBox="0 0 21 21" aria-hidden="true" focusable="false">
                    <rect x="1" y="1" width="9" height="9" fill="#f25022"/>
                    <rect x="11" y="1" width="9" height="9" fill="#7fba00"/>
                    <rect x="1" y="11" width="9" height="9" fill="#00a4ef"/>
                    <rect x="11" y="11" width="9" height="9" fill="#ffb900"/>
                </svg>
                "Sign in with Microsoft"
            </a>
        </Show>
    }
}
