//! The user's second factor: whether MFA is required, the authenticator app, Duo, and new
//! recovery codes when the old ones are used up or exposed.

use leptos::{prelude::*, task::spawn_local};

use crate::{
    api::{account, duo},
    components::{
        confirm::ConfirmDialog,
        mfa::{
            RecoveryCodesShownOnce, TotpEnrolmentFlow,
            duo::{LinkDuoButton, LinkReturn, take_return},
        },
        outcome,
    },
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
    // Duo's way back from "Link Duo", then what "Unlink Duo" did.
    let returned = take_return();
    let just_linked = RwSignal::new(returned == Some(LinkReturn::Linked));
    let duo_told = RwSignal::new(returned.map(LinkReturn::told));
    let enrolled = move || session.signed_in().is_some_and(|me| me.mfa_enrolled);
    let linked = move || session.signed_in().is_some_and(|me| me.duo_linked);
    let required = move || session.signed_in().is_some_and(|me| me.use_mfa);
    let enrolment_done = Callback::new(move |()| {
        session.update_signed_in(|me| me.mfa_enrolled = true);
        shown.set(Shown::Status);
    });
    let new_codes = move || {
        problem.set(None);
        just_linked.set(false);
        duo_told.set(None);
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
                <dt>"Duo"</dt>
                <dd data-testid="duo-linked">{move || if linked() { "Linked" } else { "Not linked" }}</dd>
            </dl>
            {move || duo_told.get().map(outcome)}
            <Show when=move || just_linked.get()>
                <p>"Make recovery codes too: each one signs you in once when your phone is not at hand or Duo cannot be reached."</p>
            </Show>
            {move || match shown.get() {
                Shown::Status => view! {
                    <DuoActions told=duo_told just_linked/>
                    {(!enrolled()).then(|| view! {
                        <div class="actions">
                            <button type="button" class="secondary" on:click=move |_| shown.set(Shown::Enrolling)>"Set up an authenticator app"</button>
                        </div>
                    })}
                    {(enrolled() || linked()).then(|| view! {
                        <p class="help">"Used a recovery code, or worried someone saw them? New codes replace all the old ones."</p>
                        <button type="button" class="secondary" on:click=move |_| new_codes()>
                            {if just_linked.get() { "Make recovery codes" } else { "Make new recovery codes" }}
                        </button>
                    })}
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

/// "Link Duo" when the tenant offers Duo, "Unlink Duo" (after a question) once linked.
#[component]
fn DuoActions(
    /// Where the card says what happened.
    told: RwSignal<Option<Result<String, String>>>,
    just_linked: RwSignal<bool>,
) -> impl IntoView {
    let session = use_session();
    let confirming = RwSignal::new(false);
    let linked = move || session.signed_in().is_some_and(|me| me.duo_linked);
    let available = move || session.signed_in().is_some_and(|me| me.duo_available);
    let unlink = Callback::new(move |()| {
        confirming.set(false);
        spawn_local(async move {
            let answer = match duo::unlink().await {
                Ok(()) => account::me().await.map(|me| session.set(Some(me))),
                Err(failure) => Err(failure),
            };
            just_linked.set(false);
            told.set(Some(
                answer
                    .map(|()| "Duo is unlinked: sign-ins no longer offer it.".to_owned())
                    .map_err(|failure| failure.message()),
            ));
        });
    });
    view! {
        <div class="actions">
            {move || match (linked(), available()) {
                (true, _) => view! {
                    <button type="button" class="secondary" on:click=move |_| {
                        told.set(None);
                        confirming.set(true);
                    }>"Unlink Duo"</button>
                }.into_any(),
                (false, true) => view! { <LinkDuoButton/> }.into_any(),
                (false, false) => view! {
                    <p class="help">"Duo is not offered: your admin has not set it up."</p>
                }.into_any(),
            }}
        </div>
        <Show when=move || confirming.get()>
            <ConfirmDialog title="Unlink Duo?".to_owned()
                text="Sign-ins stop offering Duo. If your account uses MFA and has no authenticator app, you set one up at your next sign-in.".to_owned()
                confirm_label="Unlink Duo" on_confirm=unlink on_cancel=move |()| confirming.set(false)/>
        </Show>
    }
}
