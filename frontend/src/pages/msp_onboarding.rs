//! Guide → Customer Settings → MSP Onboarding (SPEC §6): Client ID and Secret Value, held only
//! in this component's signals (never in storage, the URL or a cookie), See customer list, and
//! Launch Onboarding Wizard.

use domain::{WizardAction, WizardStep};
use leptos::{ev::SubmitEvent, prelude::*};

use crate::{
    components::{
        customer_list::open_customer_list,
        customers::GraphCredentials,
        guide_tabs::{GuideTabs, msp_onboarding_visible},
    },
    session::use_session,
    wizard::{Spotlight, use_wizard},
};

#[component]
pub fn MspOnboardingPage() -> impl IntoView {
    let session = use_session();
    view! {
        <GuideTabs/>
        <h1 tabindex="-1">"MSP Onboarding"</h1>
        <Show
            when=move || msp_onboarding_visible(session)
            fallback=|| view! {
                <p class="card">"MSP Onboarding appears here once your Azure (Entra) Tenant ID is saved under Azure Login, for reseller and distributor tenants with monthly billing and users with the “Manage customer settings” permission."</p>
            }
        >
            <Credentials/>
        </Show>
    }
}

#[component]
fn Credentials() -> impl IntoView {
    let wizard = use_wizard();
    let client_id = RwSignal::new(String::new());
    let secret = RwSignal::new(String::new());
    let list_requested = RwSignal::new(false);
    let filled =
        move || client_id.with(|id| !id.trim().is_empty()) && secret.with(|s| !s.trim().is_empty());
    wizard.report_credentials_filled(false);
    // The wizard's Next on step 11 opens the list just as See customer list does.
    let list_open = Memo::new(move |_| {
        filled() && (list_requested.get() || wizard.at(WizardStep::CustomerList))
    });
    Effect::new(move |_| wizard.report_customer_list_open(list_open.get()));
    on_cleanup(move || wizard.report_customer_list_open(false));

    let update = move |field: RwSignal<String>, value: String| {
        field.set(value);
        wizard.report_credentials_filled(filled());
    };
    let see_list = move |event: SubmitEvent| {
        event.prevent_default();
        if !filled() {
            return;
        }
        list_requested.set(true);
        wizard.apply_at(WizardStep::Credentials, WizardAction::SeeCustomerList);
    };
    let close_list = Callback::new(move |()| {
        list_requested.set(false);
        // Closing the list on step 12 closes the wizard, as closing it anywhere does.
        wizard.apply_at(WizardStep::CustomerList, WizardAction::Dismiss);
    });

    view! {
        <form class="card" method="post" on:submit=see_list aria-labelledby="credentials-title">
            <h2 id="credentials-title">"Microsoft Entra app"</h2>
            <p class="help">"The Client ID and Secret Value of your Entra app registration are used for one request and never stored: enter them each time you open this tab."</p>
            <div class="credentials" class:spotlit=move || wizard.points_at(Spotlight::CredentialFields)>
                <label for="client-id">"Client ID"</label>
                <input id="client-id" type="text" autocomplete="off" spellcheck="false"
                    prop:value=client_id on:input=move |event| update(client_id, event_target_value(&event))/>
                <label for="secret-value">"Secret Value"</label>
                <input id="secret-value" type="password" autocomplete="off"
                    prop:value=secret on:input=move |event| update(secret, event_target_value(&event))/>
                <div class="actions">
                    <button type="submit" disabled=move || !filled()>"See customer list"</button>
                </div>
            </div>
        </form>
        <section class="card" aria-labelledby="wizard-launch-title">
            <h2 id="wizard-launch-title">"Onboarding wizard"</h2>
            <p>"Go through the guided setup again, from the home page."</p>
            <button type="button" class="secondary" on:click=move |_| wizard.apply(WizardAction::Relaunch)>
                "Launch Onboarding Wizard"
            </button>
        </section>
        {move || list_open.get().then(|| {
            let credentials = GraphCredentials {
                client_id: client_id.get_untracked().trim().to_owned(),
                client_secret: secret.get_untracked(),
            };
            open_customer_list(credentials, close_list, wizard)
        })}
    }
}
