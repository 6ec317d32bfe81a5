//! The just-in-time accounts' settings: the application's name technicians see, how long an
//! account lives, the domain where accounts are made and the roles they get. The domain and the
//! roles come from the customer's directory, so they can be chosen once it is authorised.
//! **Save**'s refusals show at the fields they concern.

use domain::AccountLifetime;
use leptos::{ev::SubmitEvent, prelude::*, task::spawn_local};
use proto::{CustomerEntraSettings, UpdateCustomerEntraSettings};
use uuid::Uuid;

use super::{
    directory::{Directory, directory_fields, read_directory},
    mapping::MappingDraft,
};
use crate::{
    api::{ApiFailure, customer_entra as api, sentence},
    components::{self, aria_invalid},
};

/// The form's fields, by the API's names.
const APP_NAME: &str = "app_name";
const LIFETIME: &str = "lifetime_hours";
pub(super) const DOMAIN: &str = "account_domain";
pub(super) const MAPPING: &str = "role_mapping";

/// Each field's problem, by the API's field name.
pub(super) type Problems = Vec<(&'static str, String)>;

type Settings = RwSignal<Option<Result<CustomerEntraSettings, String>>>;

const MAX_APP_NAME_CHARS: usize = 100;

fn app_name_problem(typed: &str) -> Option<String> {
    let length = typed.trim().chars().count();
    (length == 0 || length > MAX_APP_NAME_CHARS)
        .then(|| "The application's name is 1 to 100 characters.".to_owned())
}

/// The typed lifetime in hours, by the domain's rule.
fn lifetime_hours(typed: &str) -> Result<u32, String> {
    let hours: u32 = typed
        .trim()
        .parse()
        .map_err(|_| "Type a whole number of hours, 1 to 24.".to_owned())?;
    AccountLifetime::from_hours(hours)
        .map(AccountLifetime::hours)
        .map_err(|error| sentence(&error.to_string()))
}

/// A refusal of Save split into the fields' problems and what concerns the whole form.
fn refusal(failure: &ApiFailure) -> (Problems, Option<String>) {
    let mut found = failure.field_problems(&[APP_NAME, LIFETIME, DOMAIN]);
    // Every complaint about the mapping (an unknown role, an unknown group…) shows under it.
    let mapping: Vec<String> = failure
        .field_errors()
        .iter()
        .filter(|error| error.field == MAPPING)
        .map(|error| sentence(&error.message))
        .collect();
    if !mapping.is_empty() {
        found.push((MAPPING, mapping.join(" ")));
    }
    let whole = found.is_empty().then(|| failure.message());
    (found, whole)
}

pub(super) fn problem_of(problems: RwSignal<Problems>, field: &'static str) -> Option<String> {
    problems.with(|found| {
        found
            .iter()
            .find(|(name, _)| *name == field)
            .map(|(_, text)| text.clone())
    })
}

#[component]
pub fn EntraForm(
    customer_id: Uuid,
    settings: Settings,
    initial: CustomerEntraSettings,
) -> impl IntoView {
    let app_name = RwSignal::new(initial.app_name.clone());
    let lifetime = RwSignal::new(initial.lifetime_hours.to_string());
    let domain = RwSignal::new(initial.account_domain.clone().unwrap_or_default());
    let draft = MappingDraft::of(initial.role_mapping.as_ref());
    let problems = RwSignal::new(Problems::new());
    let outcome = RwSignal::new(None::<Result<String, String>>);
    let busy = RwSignal::new(false);
    let connected = Memo::new(move |_| {
        settings.with(
            |settings| matches!(settings, Some(Ok(settings)) if settings.connection.is_some()),
        )
    });
    let directory = RwSignal::new(None::<Directory>);
    Effect::new(move |_| {
        if connected.get() {
            spawn_local(async move {
                let read = read_directory(customer_id).await;
                directory.try_set(Some(read));
            });
        }
    });

    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        outcome.set(None);
        let name = app_name.get_untracked();
        let hours = lifetime.with_untracked(|typed| lifetime_hours(typed));
        let linked = connected.get_untracked();
        let mapping = if linked { draft.to_send() } else { Ok(None) };
        let mut found = Problems::new();
        if let Some(problem) = app_name_problem(&name) {
            found.push((APP_NAME, problem));
        }
        if let Err(problem) = &hours {
            found.push((LIFETIME, problem.clone()));
        }
        if let Err(problem) = &mapping {
            found.push((MAPPING, problem.clone()));
        }
        problems.set(found);
        let (Ok(hours), Ok(role_mapping)) = (hours, mapping) else {
            return;
        };
        let change = UpdateCustomerEntraSettings {
            app_name: name.trim().to_owned(),
            lifetime_hours: Some(hours),
            account_domain: linked
                .then(|| domain.get_untracked())
                .filter(|domain| !domain.is_empty()),
            role_mapping,
        };
        busy.set(true);
        spawn_local(async move {
            let answer = api::save(customer_id, &change).await;
            busy.try_set(false);
            match answer {
                Ok(saved) => {
                    settings.try_set(Some(Ok(saved)));
                    outcome.try_set(Some(Ok("Saved.".to_owned())));
                }
                Err(failure) => {
                    let (found, whole) = refusal(&failure);
                    problems.try_set(found);
                    outcome.try_set(whole.map(Err));
                }
            }
        });
    };

    let text_field = move |id: &'static str,
                           field: &'static str,
                           label: &'static str,
                           help: &'static str,
                           value: RwSignal<String>,
                           kind: &'static str| {
        let help_id = format!("{id}-help");
        let problem_id = format!("{id}-problem");
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <input id=id type=kind autocomplete="off"
                    min=(kind == "number").then_some("1") max=(kind == "number").then_some("24")
                    aria-describedby=format!("{help_id} {problem_id}")
                    aria-invalid=move || aria_invalid(problem_of(problems, field).is_some())
                    prop:value=move || value.get()
                    on:input=move |event| {
                        value.set(event_target_value(&event));
                        problems.update(|found| found.retain(|(name, _)| *name != field));
                    }/>
                <p id=help_id class="help">{help}</p>
                <p id=problem_id class="field-problem" aria-live="polite">{move || problem_of(problems, field)}</p>
            </div>
        }
    };

    view! {
        <form class="card user-source-form" on:submit=submit novalidate aria-labelledby="jit-settings-title">
            <h2 id="jit-settings-title">"Just-in-time accounts"</h2>
            {text_field("app-name", APP_NAME, "Application name", "What technicians see, e.g. “Entra ID - retail customer”.", app_name, "text")}
            {text_field("lifetime", LIFETIME, "Account lifetime (hours)", "How long an account lives, 1 to 24 hours; requesting again while it is active extends it.", lifetime, "number")}
            {move || if connected.get() {
                directory_fields(directory.get(), domain, draft, problems)
            } else {
                view! { <p class="help" data-testid="authorize-first">"Authorize the connection first: the account domain and the roles come from the customer's directory."</p> }.into_any()
            }}
            <div class="actions">
                <button type="submit" disabled=move || busy.get()>{move || if busy.get() { "Saving…" } else { "Save" }}</button>
            </div>
            {move || outcome.get().map(components::outcome)}
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(status: u16, code: &str, detail: &str, errors: &[(&str, &str)]) -> ApiFailure {
        ApiFailure::refused(status, code, Some(detail), errors)
    }

    #[test]
    fn the_lifetime_is_a_whole_number_of_hours_within_the_domains_bounds() {
        assert_eq!(lifetime_hours(" 4 "), Ok(4));
        assert_eq!(lifetime_hours("24"), Ok(24));
        assert_eq!(
            lifetime_hours("25"),
            Err("An account lives 1 to 24 hours, not 25.".to_owned())
        );
        assert_eq!(
            lifetime_hours("0"),
            Err("An account lives 1 to 24 hours, not 0.".to_owned())
        );
        assert_eq!(
            lifetime_hours("2.5"),
            Err("Type a whole number of hours, 1 to 24.".to_owned())
        );
    }

    #[test]
    fn the_application_name_is_1_to_100_characters() {
        assert_eq!(app_name_problem("Entra ID - retail customer"), None);
        assert!(app_name_problem("   ").is_some());
        assert_eq!(app_name_problem(&"é".repeat(100)), None);
        assert!(app_name_problem(&"é".repeat(101)).is_some());
    }

    #[test]
    fn each_refusal_of_save_shows_at_its_field() {
        let federated = refused(
            422,
            "validation_failed",
            "the settings have invalid fields",
            &[("account_domain", "the domain is federated")],
        );
        assert_eq!(
            refusal(&federated),
            (vec![(DOMAIN, "The domain is federated.".to_owned())], None)
        );
        let mapping = refused(
            422,
            "validation_failed",
            "invalid",
            &[
                ("role_mapping", "your MSP has no technician group 1"),
                (
                    "role_mapping",
                    "the customer's directory has no built-in role 2",
                ),
            ],
        );
        assert_eq!(
            refusal(&mapping),
            (
                vec![(
                    MAPPING,
                    "Your MSP has no technician group 1. The customer's directory has no built-in role 2."
                        .to_owned()
                )],
                None
            )
        );
        let not_connected = refused(
            409,
            "not_connected",
            "authorise the customer's Microsoft Entra directory first",
            &[],
        );
        assert_eq!(
            refusal(&not_connected),
            (
                Vec::new(),
                Some("Authorise the customer's Microsoft Entra directory first.".to_owned())
            )
        );
    }
}
