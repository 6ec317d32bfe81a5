//! Sign-in: e-mail and password, then, when the account uses MFA, the code of the authenticator
//! app or a recovery code (SPEC §12).

use domain::MicrosoftSignInRefusal;
use leptos::{ev::SubmitEvent, html, prelude::*, task::spawn_local};
use proto::LoginAnswer;

use crate::{
    api::{ApiFailure, account},
    components::mfa::typed_code,
    session::{Session, use_session},
};

/// Which of the two forms is shown; the second holds the server's proof of the password step.
#[derive(Clone, PartialEq)]
enum Step {
    Password,
    SecondFactor { mfa_token: String },
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

fn code_refusal(failure: &ApiFailure) -> String {
    match failure.code() {
        Some("wrong_code") => "That code is not right, or was already used. Type the code your app shows now, or one of your recovery codes.".to_owned(),
        _ => failure.message(),
    }
}

/// Reads who signed in, which also tells whether an authenticator app must be enrolled first.
async fn enter(session: Session) -> Result<(), ApiFailure> {
    let me = account::me().await?;
    session.set(Some(me));
    Ok(())
}

/// What the way back from Microsoft left in the address: a refusal's code in the query
/// (`?sign_in_error=`), or the second-factor step in the fragment (`#mfa_token=`). Both are
/// removed from the address bar once read, so a reload does not repeat them.
fn microsoft_return() -> (Option<String>, Option<String>) {
    let location = window().location();
    let search = location.search().unwrap_or_default();
    let hash = location.hash().unwrap_or_default();
    let refusal = search
        .trim_start_matches('?')
        .split('&')
        .find_map(|pair| pair.strip_prefix("sign_in_error="))
        .map(|code| match MicrosoftSignInRefusal::from_code(code) {
            Some(refusal) => refusal.message().to_owned(),
            None => "Signing in with Microsoft did not work. Try again.".to_owned(),
        });
    let mfa_token = hash
        .strip_prefix("#mfa_token=")
        .filter(|token| !token.is_empty())
        .map(str::to_owned);
    if (refusal.is_some() || mfa_token.is_some())
        && let Ok(history) = window().history()
    {
        let _ = history.replace_state_with_url(
            &leptos::wasm_bindgen::JsValue::NULL,
            "",
            Some(&location.pathname().unwrap_or_else(|_| "/".to_owned())),
        );
    }
    (refusal, mfa_token)
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let (refusal, mfa_token) = microsoft_return();
    let step = RwSignal::new(match mfa_token {
        Some(mfa_token) => Step::SecondFactor { mfa_token },
        None => Step::Password,
    });
    let notice = RwSignal::new(refusal);
    view! {
        <main class="login">
            {move || match step.get() {
                Step::Password => view! { <PasswordForm step notice/> }.into_any(),
                Step::SecondFactor { mfa_token } => view! { <SecondFactorForm mfa_token step notice/> }.into_any(),
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
                    step.set(Step::SecondFactor {
                        mfa_token: challenge.mfa_token,
                    });
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

#[component]
fn SecondFactorForm(
    mfa_token: String,
    step: RwSignal<Step>,
    notice: RwSignal<Option<String>>,
) -> impl IntoView {
    let session = use_session();
    let code = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let input = NodeRef::<html::Input>::new();
    Effect::new(move |_| {
        if let Some(input) = input.get() {
            let _ = input.focus();
        }
    });
    let mfa_token = StoredValue::new(mfa_token);

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
                Err(failure) if failure.code() == Some("mfa_token_invalid") => {
                    notice.set(Some("The sign-in took too long (more than 5 minutes). Sign in again with your password.".to_owned()));
                    step.set(Step::Password);
                }
                Err(failure) => {
                    code.set(String::new());
                    problem.set(Some(code_refusal(&failure)));
                }
            }
        });
    };

    view! {
        <form class="card" on:submit=submit aria-labelledby="mfa-title">
            <h1 id="mfa-title">"Enter your code"</h1>
            <p>"Your account uses MFA. Open your authenticator app and type the 6-digit code it shows for MSP Onboarding."</p>
            <label for="login-code">"Code from your authenticator app or a recovery code"</label>
            <input id="login-code" node_ref=input type="text" inputmode="numeric" autocomplete="one-time-code"
                maxlength="64" required aria-describedby="login-code-help" bind:value=code/>
            <p id="login-code-help" class="help">"Lost your phone? Type one of the recovery codes you saved when you set up the app; each works once."</p>
            <Show when=move || problem.get().is_some()>
                <p class="error" role="alert">{move || problem.get().unwrap_or_default()}</p>
            </Show>
            <button type="submit" disabled=move || busy.get()>
                {move || if busy.get() { "Checking…" } else { "Verify" }}
            </button>
            <button type="button" class="secondary" on:click=move |_| {
                notice.set(None);
                step.set(Step::Password);
            }>"Back to e-mail and password"</button>
        </form>
    }
}
