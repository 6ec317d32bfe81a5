//! The only screen of a session that must enrol a factor first (Use MFA on, no factor yet): the
//! API refuses everything else until then, so nothing else is shown. An authenticator app, or
//! Duo when the tenant offers it: linking Duo lands on the profile page, signed in fully.

use leptos::{prelude::*, task::spawn_local};

use crate::{
    api::account,
    app::SignOutButton,
    components,
    components::mfa::{
        TotpEnrolmentFlow,
        duo::{LinkDuoButton, take_return},
    },
    session::use_session,
};

#[component]
pub fn ForcedEnrolmentPage() -> impl IntoView {
    let session = use_session();
    let problem = RwSignal::new(None::<String>);
    let me = session.signed_in();
    let email = me
        .as_ref()
        .map(|me| me.user.email.clone())
        .unwrap_or_default();
    let duo_available = me.is_some_and(|me| me.duo_available);
    // A link Duo refused comes back here (the session still has no factor).
    let returned = take_return();
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
            {returned.map(|returned| components::outcome(returned.told()))}
            {duo_available.then(|| view! {
                <section class="card" aria-labelledby="enrol-duo-title">
                    <h2 id="enrol-duo-title">"Or link Duo"</h2>
                    <p>"Your company uses Duo: link it instead of an app, and sign-ins ask Duo to confirm it’s you. Duo opens now; once you approve there, MSP Onboarding opens."</p>
                    <LinkDuoButton/>
                </section>
            })}
            <TotpEnrolmentFlow done_label="I have saved my codes: continue" on_done=enter/>
            {move || problem.get().map(|text| view! { <p class="error" role="alert">{text}</p> })}
        </main>
    }
}
