//! The only screen of a session that must enrol an authenticator app first (Use MFA on, no app
//! yet): the API refuses everything else until then, so nothing else is shown.

use leptos::{prelude::*, task::spawn_local};

use crate::{
    api::account, app::SignOutButton, components::mfa::TotpEnrolmentFlow, session::use_session,
};

#[component]
pub fn ForcedEnrolmentPage() -> impl IntoView {
    let session = use_session();
    let problem = RwSignal::new(None::<String>);
    let email = session
        .signed_in()
        .map(|me| me.user.email)
        .unwrap_or_default();
    // The session may do everything now: reading `/me` again lets the app in.
    let enter = Callback::new(move |()| {
        spawn_local(async move {
            match account::me().await {
                Ok(me) => session.set(Some(me)),
                Err(failure) => problem.set(Some(failure.message())),
            }
        });
    });
    view! {
        <header class="topbar">
            <span class="brand">"MSP Onboarding"</span>
            <div class="who" aria-label="Signed in as">
                <span class="who-email" data-testid="enrolling-user">{email}</span>
            </div>
            <SignOutButton/>
        </header>
        <main class="enrolment">
            <h1 tabindex="-1">"Your account uses MFA: set up an authenticator app to continue"</h1>
            <p>"An admin turned on “Use MFA” for your account, so every sign-in asks for a code from an app on your phone. Set the app up now; the rest of MSP Onboarding opens right after."</p>
            <TotpEnrolmentFlow done_label="I have saved my codes: continue" on_done=enter/>
            {move || problem.get().map(|text| view! { <p class="error" role="alert">{text}</p> })}
        </main>
    }
}
