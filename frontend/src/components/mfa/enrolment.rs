//! Adding an authenticator app: the server makes a secret and its QR code, the user scans or
//! types it and confirms one code, then sees the recovery codes.

use leptos::{ev::SubmitEvent, prelude::*, task::spawn_local};
use proto::TotpEnrolment;

use super::{RecoveryCodesShownOnce, typed_code};
use crate::{
    api::{self, encoded},
    components::aria_invalid,
};

#[derive(Clone)]
enum Stage {
    Starting,
    Failed(String),
    Scanning(TotpEnrolment),
    Confirmed(Vec<String>),
}

/// The server's SVG shown as an image: a data URL keeps it from running script or reaching
/// anything, and the Content-Security-Policy allows `data:` images.
fn qr_source(svg: &str) -> String {
    format!("data:image/svg+xml;charset=utf-8,{}", encoded(svg))
}

/// The secret in groups of four, as authenticator apps show it, for typing.
fn grouped(secret: &str) -> String {
    secret
        .chars()
        .collect::<Vec<_>>()
        .chunks(4)
        .map(|group| group.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

#[component]
pub fn TotpEnrolmentFlow(
    /// Runs once the user has seen the recovery codes.
    #[prop(into)]
    on_done: Callback<()>,
    done_label: &'static str,
) -> impl IntoView {
    let stage = RwSignal::new(Stage::Starting);
    spawn_local(async move {
        stage.set(match api::account::start_totp().await {
            Ok(enrolment) => Stage::Scanning(enrolment),
            Err(failure) => Stage::Failed(failure.message()),
        });
    });
    move || match stage.get() {
        Stage::Starting => {
            view! { <p role="status">"Preparing your authenticator app…"</p> }.into_any()
        }
        Stage::Failed(message) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
        Stage::Scanning(enrolment) => {
            let on_confirmed = Callback::new(move |codes| stage.set(Stage::Confirmed(codes)));
            view! { <ScanAndConfirm enrolment on_confirmed/> }.into_any()
        }
        Stage::Confirmed(codes) => {
            view! { <RecoveryCodesShownOnce codes done_label on_done/> }.into_any()
        }
    }
}

#[component]
fn ScanAndConfirm(
    enrolment: TotpEnrolment,
    #[prop(into)] on_confirmed: Callback<Vec<String>>,
) -> impl IntoView {
    let code = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let confirm = move |event: SubmitEvent| {
        event.prevent_default();
        let typed = typed_code(&code.get_untracked());
        if typed.is_empty() {
            problem.set(Some("Type the 6 digits your app shows now.".to_owned()));
            return;
        }
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        problem.set(None);
        spawn_local(async move {
            let outcome = api::account::confirm_totp(typed).await;
            busy.set(false);
            match outcome {
                Ok(codes) => on_confirmed.run(codes.recovery_codes),
                Err(failure) => problem.set(Some(
                    failure
                        .field_message("code")
                        .map(|_| {
                            "That code is not the one your app shows now. Check the app and type the current code.".to_owned()
                        })
                        .unwrap_or_else(|| failure.message()),
                )),
            }
        });
    };
    let invalid = move || aria_invalid(problem.get().is_some());
    view! {
        <section class="card" aria-labelledby="totp-setup-title">
            <h2 id="totp-setup-title">"Set up your authenticator app"</h2>
            <ol class="steps">
                <li>"Open an authenticator app on your phone (e.g. Microsoft Authenticator, Google Authenticator, 1Password)."</li>
                <li>"Scan this QR code, or add an account by hand with the key below."</li>
                <li>"Type the 6-digit code the app then shows."</li>
            </ol>
            <img class="qr" src=qr_source(&enrolment.qr_svg) alt="QR code to scan with your authenticator app" width="200" height="200"/>
            <p>"Key to type instead: " <code class="totp-secret" data-testid="totp-secret" data-secret=enrolment.secret.clone()>{grouped(&enrolment.secret)}</code></p>
            <form on:submit=confirm>
                <label for="totp-confirm-code">"Code from the app"</label>
                <input id="totp-confirm-code" type="text" inputmode="numeric" autocomplete="one-time-code"
                    maxlength="64" aria-describedby="totp-confirm-problem" aria-invalid=invalid bind:value=code/>
                <p id="totp-confirm-problem" class="field-problem" aria-live="polite">{move || problem.get()}</p>
                <button type="submit" disabled=move || busy.get()>"Confirm"</button>
            </form>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_secret_is_shown_in_groups_of_four() {
        assert_eq!(grouped("JBSWY3DPEHPK3PXP"), "JBSW Y3DP EHPK 3PXP");
        assert_eq!(grouped("ABCDEF"), "ABCD EF");
    }
}
