//! Settings → Integrations → Security integrations (SPEC §14, admins): Duo Web SDK as a second
//! factor. Add it with what Duo's Admin Panel shows, test it, edit it, turn it off or delete it.

mod fields;
mod form;
mod table;

use leptos::{prelude::*, task::spawn_local};
use proto::{SecurityIntegration, SecurityIntegrationChanges};

use self::{
    form::IntegrationDialog,
    table::{RowAction, table},
};
use crate::{
    api::{ApiFailure, security_integrations as api},
    components::{self, confirm::ConfirmDialog, minute},
};

pub const SECURITY_INTEGRATIONS: &str = "/settings/security-integrations";

/// The dialog open over the page, if any.
#[derive(Clone)]
enum Dialog {
    Add,
    Edit(SecurityIntegration),
    Delete(SecurityIntegration),
}

/// A Duo refusal in words; what the API says otherwise.
fn duo_words(failure: &ApiFailure) -> String {
    match failure.code() {
        Some("duo_unreachable") => "Duo cannot be reached at this API hostname. Check the hostname, or try again in a few minutes.".to_owned(),
        _ => failure
            .field_errors()
            .first()
            .map(|error| crate::api::sentence(&error.message))
            .unwrap_or_else(|| failure.message()),
    }
}

#[component]
pub fn SecurityIntegrationsPage() -> impl IntoView {
    let listed = RwSignal::new(None::<Result<Vec<SecurityIntegration>, String>>);
    let outcome = RwSignal::new(None::<Result<String, String>>);
    let refresh = RwSignal::new(0_u32);
    let dialog = RwSignal::new(None::<Dialog>);
    Effect::new(move |_| {
        refresh.track();
        spawn_local(async move {
            listed.set(Some(api::list().await.map_err(|failure| failure.message())));
        });
    });
    // Says how an action ended, and lists the integrations again.
    let report = move |told: Result<String, String>| {
        outcome.set(Some(told));
        refresh.update(|count| *count += 1);
    };
    let test = move |integration: SecurityIntegration| {
        outcome.set(Some(Ok(format!("Asking Duo about {}…", integration.name))));
        spawn_local(async move {
            outcome.set(Some(match api::check(integration.id).await {
                Ok(check) => Ok(format!(
                    "Duo answered at {} UTC: {} works.",
                    minute(&check.checked_at),
                    integration.name
                )),
                Err(failure) => Err(format!(
                    "Duo did not confirm {}: {}",
                    integration.name,
                    duo_words(&failure)
                )),
            }));
        });
    };
    let set_enabled = move |integration: SecurityIntegration, enabled: bool| {
        outcome.set(None);
        spawn_local(async move {
            let change = SecurityIntegrationChanges {
                enabled: Some(enabled),
                ..SecurityIntegrationChanges::default()
            };
            report(match api::update(integration.id, &change).await {
                Ok(saved) if saved.enabled => Ok(format!(
                    "{} is on: users who linked Duo are asked for it at sign-in.",
                    saved.name
                )),
                Ok(saved) => Ok(format!(
                    "{} is off: nobody is asked for Duo at sign-in until it is on again.",
                    saved.name
                )),
                Err(failure) => Err(duo_words(&failure)),
            });
        });
    };
    let delete = Callback::new(move |integration: SecurityIntegration| {
        dialog.set(None);
        spawn_local(async move {
            report(match api::delete(integration.id).await {
                Ok(()) => Ok(format!("{} was deleted.", integration.name)),
                Err(failure) => Err(failure.message()),
            });
        });
    });
    let on_action = Callback::new(
        move |(action, integration): (RowAction, SecurityIntegration)| match action {
            RowAction::Test => test(integration),
            RowAction::Edit => dialog.set(Some(Dialog::Edit(integration))),
            RowAction::Enable(enabled) => set_enabled(integration, enabled),
            RowAction::Delete => dialog.set(Some(Dialog::Delete(integration))),
        },
    );
    let close = Callback::new(move |()| dialog.set(None));
    let saved = Callback::new(move |told: String| {
        dialog.set(None);
        report(Ok(told));
    });

    view! {
        <p class="breadcrumb">"Settings › Integrations › Security integrations"</p>
        <div class="page-head">
            <h1 tabindex="-1">"Security integrations"</h1>
            <button type="button" on:click=move |_| {
                outcome.set(None);
                dialog.set(Some(Dialog::Add));
            }>"Add Duo Web SDK"</button>
        </div>
        <p>"Duo as a second factor: once it is added here, each user links Duo on their profile page, and then every sign-in of a user with “Use MFA” asks Duo to confirm it’s them. When Duo cannot be reached, sign-ins stop (recovery codes still work)."</p>
        {move || outcome.get().map(components::outcome)}
        {move || match listed.get() {
            None => view! { <p role="status">"Loading…"</p> }.into_any(),
            Some(Err(message)) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
            Some(Ok(found)) if found.is_empty() => view! {
                <p class="empty-state">"No security integration yet. Add Duo Web SDK to offer Duo at sign-in."</p>
            }.into_any(),
            Some(Ok(found)) => table(found, on_action).into_any(),
        }}
        {move || dialog.get().map(|open| match open {
            Dialog::Add => view! { <IntegrationDialog editing=None on_saved=saved on_close=close/> }.into_any(),
            Dialog::Edit(integration) => view! {
                <IntegrationDialog editing=Some(integration) on_saved=saved on_close=close/>
            }.into_any(),
            Dialog::Delete(integration) => {
                let title = format!("Delete {}?", integration.name);
                view! {
                    <ConfirmDialog title text="Nobody is asked for Duo at sign-in any more. Users who linked Duo sign in with their authenticator app or a recovery code; with “Use MFA” on and neither, they set up an app at their next sign-in.".to_owned()
                        confirm_label="Delete integration" on_confirm=move |()| delete.run(integration.clone()) on_cancel=close/>
                }.into_any()
            }
        })}
    }
}
