//! The user's second factor: whether MFA is required, the authenticator app, and new recovery
//! codes when the old ones are used up or exposed.

use leptos::{prelude::*, task::spawn_local};

use crate::{
    api::account,
    components::mfa::{RecoveryCodesShownOnce, TotpEnrolmentFlow},
    session::use_session,
};

#[derive(Clone)]
enum Shown {
    Status,
    Enrolling,
    NewCodes(Vec<String>),
}

#[component]
pub fn MfaCard() -> impl IntoView {
    let session = use_session();
    let shown = RwSignal::new(Shown::Status);
    let problem = RwSignal::new(None::<String>);
    let enrolled = move || session.signed_in().is_some_and(|me| me.mfa_enrolled);
    let required = move || session.signed_in().is_some_and(|me| me.use_mfa);
    let enrolment_done = Callback::new(move |()| {
        session.update_signed_in(|me| me.mfa_enrolled = true);
        shown.set(Shown::Status);
    });
    let new_codes = move |_| {
        problem.set(None);
        spawn_local(async move {
            match account::regenerate_recovery_codes().await {
                Ok(codes) => shown.set(Shown::NewCodes(codes.recovery_codes)),
                Err(failure) => problem.set(Some(failure.message())),
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="mfa-title">
            <h2 id="mfa-title">"Two-step sign-in (MFA)"</h2>
            <dl>
                <dt>"Use MFA"</dt>
                <dd data-testid="use-mfa">{move || if required() { "On: every sign-in asks for a code" } else { "Off (an admin decides)" }}</dd>
                <dt>"Authenticator app"</dt>
                <dd data-testid="mfa-enrolled">{move || if enrolled() { "Set up" } else { "Not set up" }}</dd>
            </dl>
            {move || match shown.get() {
                Shown::Status if enrolled() => view! {
                    <p class="help">"Used a recovery code, or worried someone saw them? New codes replace all the old ones."</p>
                    <button type="button" class="secondary" on:click=new_codes>"Make new recovery codes"</button>
                }.into_any(),
                Shown::Status => view! {
                    <button type="button" on:click=move |_| shown.set(Shown::Enrolling)>"Set up an authenticator app"</button>
                }.into_any(),
                Shown::Enrolling => view! { <TotpEnrolmentFlow done_label="Done" on_done=enrolment_done/> }.into_any(),
                Shown::NewCodes(codes) => view! {
                    <RecoveryCodesShownOnce codes done_label="Done" on_done=move |()| shown.set(Shown::Status)/>
                }.into_any(),
            }}
            {move || problem.get().map(|text| view! { <p class="error" role="alert">{text}</p> })}
        </section>
    }
}
