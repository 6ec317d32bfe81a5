//! Opens the customer list (SPEC §6) from the MSP Onboarding tab; on the wizard's step 12 its
//! footer carries the wizard's Done.

use domain::WizardStep;
use leptos::prelude::*;

use crate::{
    components::customers::{CustomerListModal, GraphCredentials},
    wizard::{WizardControl, done_button},
};

pub fn open_customer_list(
    credentials: GraphCredentials,
    on_close: Callback<()>,
    wizard: WizardControl,
) -> impl IntoView {
    if wizard.at(WizardStep::CustomerList) {
        let footer = ViewFn::from(move || done_button(wizard));
        view! { <CustomerListModal credentials on_close footer/> }.into_any()
    } else {
        view! { <CustomerListModal credentials on_close/> }.into_any()
    }
}
