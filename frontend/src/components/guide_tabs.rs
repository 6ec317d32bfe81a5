//! Guide → Customer Settings: the tabs shared by Azure Login and MSP Onboarding.

use domain::{WizardAction, WizardStep};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::{
    session::{Session, use_session},
    wizard::{AZURE_LOGIN, MSP_ONBOARDING, Spotlight, use_wizard},
};

/// SPEC §4: the MSP Onboarding tab exists once a tenant ID is saved, where the feature is
/// available (§2).
pub fn msp_onboarding_visible(session: Session) -> bool {
    session
        .signed_in()
        .is_some_and(|me| me.feature_available && me.tenant.azure_tenant_id.is_some())
}

#[component]
pub fn GuideTabs() -> impl IntoView {
    let session = use_session();
    let wizard = use_wizard();
    let location = use_location();
    let current = move |path: &'static str| {
        if location.pathname.get() == path {
            "page"
        } else {
            "false"
        }
    };
    view! {
        <p class="breadcrumb">"Guide › Customer Settings › Login Setup"</p>
        <nav class="tabs" aria-label="Customer Settings">
            <a href=AZURE_LOGIN aria-current=move || current(AZURE_LOGIN)>"Azure Login"</a>
            <Show when=move || msp_onboarding_visible(session)>
                <a
                    href=MSP_ONBOARDING
                    aria-current=move || current(MSP_ONBOARDING)
                    class:spotlit=move || wizard.points_at(Spotlight::MspOnboardingTab)
                    on:click=move |_| wizard.apply_at(WizardStep::MspOnboardingTab, WizardAction::OpenTab)
                >"MSP Onboarding"</a>
            </Show>
        </nav>
    }
}
