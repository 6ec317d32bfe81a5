//! The New Windows GP form: the name rules of SPEC §3 checked as the user types, the server's
//! verdict (422, 409) shown on the same field.

use domain::{GroupPolicyName, TextError, WizardAction, WizardStep};
use leptos::{ev::SubmitEvent, prelude::*, task::spawn_local};
use proto::GroupPolicy;

use crate::{
    api::{self, sentence},
    wizard::{Spotlight, use_wizard},
};

/// What is wrong with `raw` as a new policy's name, given the names already taken (lower-case).
fn name_problem(raw: &str, taken: &[String]) -> Option<String> {
    match GroupPolicyName::parse(raw) {
        Ok(name) if taken.contains(&name.key()) => {
            Some("A group policy with this name already exists (names ignore case).".to_owned())
        }
        Ok(_) => None,
        Err(TextError::Empty) => Some("Enter a Policy Name.".to_owned()),
        Err(problem) => Some(sentence(&problem.to_string())),
    }
}

#[component]
pub fn NewPolicyForm(
    /// The lower-case names of the existing policies.
    #[prop(into)]
    taken: Signal<Vec<String>>,
    on_created: Callback<GroupPolicy>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let wizard = use_wizard();
    let name = RwSignal::new(String::new());
    let touched = RwSignal::new(false);
    let server_problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    wizard.report_policy_name_valid(false);

    let live_problem = move || name.with(|raw| taken.with(|taken| name_problem(raw, taken)));
    let shown_problem = move || {
        server_problem
            .get()
            .or_else(|| touched.get().then(live_problem).flatten())
    };
    let on_input = move |event| {
        name.set(event_target_value(&event));
        touched.set(true);
        server_problem.set(None);
        wizard.report_policy_name_valid(live_problem().is_none());
    };

    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        // On step 4 the wizard wants the name confirmed first: Enter means its Next.
        if wizard.at(WizardStep::PolicyName) {
            wizard.apply(WizardAction::Next);
            return;
        }
        touched.set(true);
        if live_problem().is_some() || busy.get_untracked() {
            return;
        }
        busy.set(true);
        let requested = name.get_untracked();
        spawn_local(async move {
            let outcome = api::create_group_policy(requested).await;
            busy.set(false);
            match outcome {
                Ok(policy) => {
                    wizard.record_created_policy(policy.id);
                    wizard.apply_at(WizardStep::CreatePolicy, WizardAction::PolicyCreated);
                    on_created.run(policy);
                }
                Err(failure) => server_problem.set(Some(
                    failure
                        .field_message("name")
                        .unwrap_or_else(|| failure.message()),
                )),
            }
        });
    };
    let in_wizard_steps =
        move || wizard.at(WizardStep::PolicyName) || wizard.at(WizardStep::CreatePolicy);

    view! {
        <form class="card" on:submit=submit aria-labelledby="new-policy-title">
            <h2 id="new-policy-title">"New Windows GP"</h2>
            <div class:spotlit=move || wizard.points_at(Spotlight::PolicyNameField)>
                <label for="policy-name">"Policy Name"</label>
                <input
                    id="policy-name"
                    type="text"
                    autocomplete="off"
                    required
                    prop:value=name
                    on:input=on_input
                    aria-invalid=move || if shown_problem().is_some() { "true" } else { "false" }
                    aria-describedby="policy-name-problem"
                />
                <p id="policy-name-problem" class="field-problem" aria-live="polite">{shown_problem}</p>
            </div>
            <div class="actions">
                <button
                    type="submit"
                    class:spotlit=move || wizard.points_at(Spotlight::CreateGpButton)
                    disabled=move || busy.get() || wizard.at(WizardStep::PolicyName)
                >{move || if busy.get() { "Creating…" } else { "Create GP" }}</button>
                <Show when=move || !in_wizard_steps()>
                    <button type="button" class="secondary" on:click=move |_| on_cancel.run(())>"Cancel"</button>
                </Show>
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_policy_name_follows_the_rules_of_section_3() {
        let taken = vec!["baseline".to_owned()];
        assert_eq!(name_problem("Workstations", &taken), None);
        assert_eq!(
            name_problem(" ", &taken),
            Some("Enter a Policy Name.".to_owned())
        );
        assert!(name_problem(&"x".repeat(101), &taken).is_some_and(|p| p.contains("100")));
        assert!(name_problem(" BASELINE ", &taken).is_some_and(|p| p.contains("already exists")));
    }
}
