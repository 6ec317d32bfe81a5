//! The second step of a sign-in with MFA: Duo's prompt when the account linked Duo, and a code
//! field for the authenticator app's 6 digits or a recovery code.

use domain::DuoRefusal;
use leptos::{ev::SubmitEvent, html, prelude::*, task::spawn_local};
use proto::MfaMethod;

use super::{Challenge, Step, enter, password_refusal};
use crate::{
    api::{ApiFailure, account, duo},
    components::mfa::typed_code,
    session::use_session,
};

const TOO_LATE: &str =
    "The sign-in took too long (more than 5 minutes). Sign in again with your password.";

fn code_refusal(failure: &ApiFailure) -> String {
    match failure.code() {
        Some("wrong_code") => "That code is not right, or was already used. Type the code your app shows now, or one of your recovery codes.".to_owned(),
        _ => failure.message(),
    }
}

/// Why the Duo button did not lead to Duo's prompt. The sign-in fails closed when Duo does not
/// answer, but a recovery code still works.
fn duo_refusal(failure: &ApiFailure) -> String {
    match failure.code() {
        Some("duo_unreachable") => "Duo cannot be reached right now, so it cannot confirm this sign-in. Try again in a few minutes, or type one of your recovery codes below.".to_owned(),
        Some("duo_not_available") => DuoRefusal::NotAvailable.message().to_owned(),
        _ => password_refusal(failure),
    }
}

#[component]
pub fn SecondFactorForm(
    challenge: Challenge,
    step: RwSignal<Step>,
    notice: RwSignal<Option<String>>,
) -> impl IntoView {
    let offers = |method| challenge.methods.contains(&method);
    let (with_duo, with_app) = (offers(MfaMethod::Duo), offers(MfaMethod::Totp));
    let mfa_token = StoredValue::new(challenge.mfa_token);
    // Too late for the step: back to the password, saying why.
    let expired = Callback::new(move |()| {
        notice.set(Some(TOO_LATE.to_owned()));
        step.set(Step::Password);
    });
    let (title, intro) = if with_duo {
        (
            "Confirm it’s you",
            "Your account uses MFA. Continue with Duo and approve the request it sends to your phone.",
        )
    } else {
        (
            "Enter your code",
            "Your account uses MFA. Open your authenticator app and type the 6-digit code it shows for MSP Onboarding.",
        )
    };
    view! {
        <section class="card" aria-labelledby="mfa-title">
            <h1 id="mfa-title">{title}</h1>
            <p>{intro}</p>
            {with_duo.then(|| view! { <DuoButton mfa_token expired/> })}
            {with_duo.then(|| view! { <p class="or" aria-hidden="true">"or"</p> })}
            <CodeForm mfa_token with_app with_duo expired/>
            <button type="button" class="secondary" on:click=move |_| {
                notice.set(None);
                step.set(Step::Password);
            }>"Back to e-mail and password"</button>
        </section>
    }
}

/// "Continue with Duo": the server checks that Duo answers and sends the browser to its prompt;
/// Duo returns it to the server, which signs it in (or says why not on this page).
#[component]
fn DuoButton(mfa_token: StoredValue<String>, expired: Callback<()>) -> impl IntoView {
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let button = NodeRef::<html::Button>::new();
    Effect::new(move |_| {
        if let Some(button) = button.get() {
            let _ = button.focus();
        }
    });
    let go = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        problem.set(None);
        spawn_local(async move {
            match duo::begin_sign_in(mfa_token.get_value()).await {
                // The page is being left for Duo's: the button stays busy.
                Ok(redirect) if duo::go_to_prompt(&redirect) => {}
                Ok(_) => {
                    busy.set(false);
                    problem.set(Some(
                        "The browser did not open Duo's page. Try again.".to_owned(),
                    ));
                }
                Err(failure) if failure.code() == Some("mfa_token_invalid") => expired.run(()),
                Err(failure) => {
                    busy.set(false);
                    problem.set(Some(duo_refusal(&failure)));
                }
            }
        });
    };
    view! {
        <button type="button" node_ref=button disabled=move || busy.get() on:click=go>
            {move || if busy.get() { "Opening Duo…" } else { "Continue with Duo" }}
        </button>
        {move || problem.get().map(|text| view! { <p class="error" role="alert">{text}</p> })}
    }
}

/// The authenticator app's code or, always, a recovery code.
#[component]
fn CodeForm(
    mfa_token: StoredValue<String>,
    with_app: bool,
    with_duo: bool,
    expired: Callback<()>,
) -> impl IntoView {
    let session = use_session();
    let code = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let input = NodeRef::<html::Input>::new();
    if !with_duo {
        Effect::new(move |_| {
            if let Some(input) = input.get() {
                let _ = input.focus();
            }
        });
    }
    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        let typed = typed_code(&code.get_untracked());
        if typed.is_empty() || busy.get_untracked() {
            return;
        }
        busy.set(true);
        problem.set(None);
        spawn_local(async move {
            let outcome = match account::login_totp(mfa_token.get_value(), typed).await {
                Ok(_) => enter(session).await,
                Err(failure) => Err(failure),
            };
            busy.set(false);
            match outcome {
                Ok(()) => {}
                Err(failure) if failure.code() == Some("mfa_token_invalid") => expired.run(()),
                Err(failure) => {
                    code.set(String::new());
                    problem.set(Some(code_refusal(&failure)));
                }
            }
        });
    };
    let (label, help) = if with_app {
        (
            "Code from your authenticator app or a recovery code",
            "Lost your phone? Type one of the recovery codes you saved when you set up the app; each works once.",
        )
    } else {
        (
            "Recovery code",
            "Phone not at hand, or Duo cannot be reached? Type one of the recovery codes you saved; each works once.",
        )
    };
    view! {
        <form on:submit=submit aria-label="Sign in with a code">
            <label for="login-code">{label}</label>
            <input id="login-code" node_ref=input type="text" inputmode=if with_app { "numeric" } else { "text" }
                autocomplete="one-time-code" maxlength="64" required aria-describedby="login-code-help" bind:value=code/>
            <p id="login-code-help" class="help">{help}</p>
            <Show when=move || problem.get().is_some()>
                <p class="error" role="alert">{move || problem.get().unwrap_or_default()}</p>
            </Show>
            <button type="submit" class:secondary=with_duo disabled=move || busy.get()>
                {move || if busy.get() { "Checking…" } else { "Verify" }}
            </button>
        </form>
    }
}
