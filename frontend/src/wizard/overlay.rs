//! The wizard's panel over the real pages: a backdrop, the step's words and buttons, and the
//! control it points at lifted above the backdrop so the user acts on the page itself.

use domain::{WizardAction, WizardStep};
use leptos::{ev, prelude::*, web_sys::HtmlElement};
use leptos_router::hooks::{use_location, use_navigate};

use super::{
    WizardControl, focus,
    screens::{NO_TENANT_ID_CONFIRMATION, Screen, screen},
    use_wizard,
};

#[component]
pub fn WizardOverlay() -> impl IntoView {
    let wizard = use_wizard();
    let navigate = use_navigate();
    let location = use_location();
    let previous_focus = StoredValue::new_local(None::<HtmlElement>);

    // Every step belongs to one page: the wizard shows it, also after a reload.
    Effect::new(move |_| {
        if let Some(step) = wizard.step() {
            let route = screen(step).route;
            if location.pathname.get_untracked() != route {
                navigate(route, Default::default());
            }
        }
    });

    Effect::new(move |was_open: Option<bool>| {
        let step = wizard.step();
        // Read so that focus also moves when step 9's confirmation replaces the panel.
        let _ = wizard.confirming_without_tenant_id();
        let list_open = wizard.customer_list_open();
        let open = step.is_some();
        if open && was_open != Some(true) {
            previous_focus.set_value(focus::focused_element());
        }
        if open && !(list_open && step == Some(WizardStep::CustomerList)) {
            request_animation_frame(focus::focus_title);
        }
        if !open && was_open == Some(true) {
            let previous = previous_focus.get_value();
            request_animation_frame(move || focus::restore(previous));
        }
        open
    });

    let keys = window_event_listener(ev::keydown, move |event| {
        if wizard.step().is_none() {
            return;
        }
        if event.key() == "Escape" && wizard.confirming_without_tenant_id() {
            wizard.apply(WizardAction::CancelConfirmation);
            return;
        }
        focus::keep_tab_inside(&event);
    });
    on_cleanup(move || keys.remove());

    move || {
        let step = wizard.step()?;
        if step == WizardStep::CustomerList && wizard.customer_list_open() {
            // The customer list is its own modal; its footer carries Done.
            return None;
        }
        let shown = screen(step);
        let body = if wizard.confirming_without_tenant_id() {
            confirmation(wizard).into_any()
        } else {
            panel(wizard, step, shown).into_any()
        };
        Some(view! {
            <div class="wizard-backdrop" data-testid="wizard-backdrop"></div>
            {body}
        })
    }
}

fn panel(wizard: WizardControl, step: WizardStep, shown: Screen) -> impl IntoView {
    let modal = shown.spotlight.is_none();
    let buttons = shown
        .buttons
        .iter()
        .map(|(label, action)| {
            let action = *action;
            let class = if action == WizardAction::Back {
                "secondary"
            } else {
                ""
            };
            view! {
                <button type="button" class=class on:click=move |_| wizard.apply(action)>{*label}</button>
            }
        })
        .collect_view();
    view! {
        <section
            id=focus::PANEL_ID
            class=if modal { "wizard-panel centered" } else { "wizard-panel" }
            role="dialog"
            aria-modal=if modal { "true" } else { "false" }
            aria-labelledby=focus::TITLE_ID
            aria-describedby="wizard-text"
            data-step=step.number()
        >
            <div class="wizard-head">
                <p class="wizard-progress">{format!("Onboarding wizard · step {} of 12", step.number())}</p>
                <button
                    type="button"
                    class="wizard-close"
                    aria-label="Close the onboarding wizard"
                    on:click=move |_| wizard.apply(WizardAction::Dismiss)
                >"×"</button>
            </div>
            <h2 id=focus::TITLE_ID tabindex="-1">{shown.title}</h2>
            <p id="wizard-text">{shown.text}</p>
            {move || wizard.problem().map(|problem| view! { <p class="error" role="alert">{problem}</p> })}
            <div class="wizard-actions">{buttons}</div>
        </section>
    }
}

fn confirmation(wizard: WizardControl) -> impl IntoView {
    view! {
        <section
            id=focus::PANEL_ID
            class="wizard-panel centered"
            role="alertdialog"
            aria-modal="true"
            aria-labelledby=focus::TITLE_ID
            aria-describedby="wizard-text"
            data-step="9"
        >
            <h2 id=focus::TITLE_ID tabindex="-1">"Continue without a Tenant ID?"</h2>
            <p id="wizard-text">{NO_TENANT_ID_CONFIRMATION}</p>
            <div class="wizard-actions">
                <button type="button" class="secondary" on:click=move |_| wizard.apply(WizardAction::CancelConfirmation)>"Cancel"</button>
                <button type="button" on:click=move |_| wizard.apply(WizardAction::FinishWithoutTenantId)>"Finish"</button>
            </div>
        </section>
    }
}

/// Step 12's Done, shown inside the customer list modal (within its focus trap).
pub fn done_button(wizard: WizardControl) -> impl IntoView {
    view! {
        <div class="wizard-footer">
            <p>"Onboarding wizard · step 12 of 12: this is your customer list. Press Done to finish the wizard."</p>
            <button type="button" on:click=move |_| wizard.apply(WizardAction::Done)>"Done"</button>
        </div>
    }
}
