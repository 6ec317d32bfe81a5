//! The four things an admin copies from Duo's Admin Panel, checked here as the API checks them,
//! and a labelled field with its help and its problem next to it.

use domain::{DuoApiHostname, DuoClientId, DuoClientSecret, IntegrationName};
use leptos::prelude::*;

use crate::{
    api::{ApiFailure, sentence},
    components::aria_invalid,
};

/// What the form holds; field names are the API's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Typed {
    pub name: String,
    pub client_id: String,
    pub client_secret: String,
    pub api_hostname: String,
}

pub const FIELDS: [&str; 4] = ["name", "client_id", "client_secret", "api_hostname"];

/// Each field's problem, by the API's field name.
pub type Problems = Vec<(&'static str, String)>;

/// What the API would refuse in `typed`; an empty secret is fine when `keep_secret` (an edit
/// keeps the saved one).
pub fn problems(typed: &Typed, keep_secret: bool) -> Problems {
    let words = |error: domain::DuoSettingsError| sentence(&error.to_string());
    let secret = if keep_secret && typed.client_secret.trim().is_empty() {
        None
    } else {
        DuoClientSecret::parse(&typed.client_secret).err()
    };
    [
        ("name", IntegrationName::parse(&typed.name).err()),
        ("client_id", DuoClientId::parse(&typed.client_id).err()),
        ("client_secret", secret),
        (
            "api_hostname",
            DuoApiHostname::parse(&typed.api_hostname).err(),
        ),
    ]
    .into_iter()
    .filter_map(|(field, error)| error.map(|error| (field, words(error))))
    .collect()
}

/// The server's refusal split into the fields' problems and what concerns the whole form.
pub fn refusal(failure: &ApiFailure) -> (Problems, Option<String>) {
    let found = failure.field_problems(&FIELDS);
    let whole = match failure.code() {
        _ if !found.is_empty() => None,
        Some("duo_unreachable") => Some(
            "Duo cannot be reached at this API hostname, so nothing was saved. Check the hostname, or try again in a few minutes."
                .to_owned(),
        ),
        _ => Some(failure.message()),
    };
    (found, whole)
}

/// One text field of the form, with its help and, once refused, its problem.
#[component]
pub fn DuoField(
    /// The API's field name.
    field: &'static str,
    label: &'static str,
    help: String,
    value: RwSignal<String>,
    problems: RwSignal<Problems>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "200")] maxlength: &'static str,
) -> impl IntoView {
    let id = format!("duo-{}", field.replace('_', "-"));
    let (help_id, problem_id) = (format!("{id}-help"), format!("{id}-problem"));
    let problem = move || {
        problems.with(|found| {
            found
                .iter()
                .find(|(name, _)| *name == field)
                .map(|(_, text)| text.clone())
        })
    };
    view! {
        <div class="field" class:invalid=move || problem().is_some()>
            <label for=id.clone()>{label}</label>
            <input id=id type=kind autocomplete="off" spellcheck="false" maxlength=maxlength
                aria-describedby=format!("{help_id} {problem_id}")
                aria-invalid=move || aria_invalid(problem().is_some()) bind:value=value/>
            <p id=help_id class="help">{help}</p>
            <p id=problem_id class="field-error" aria-live="polite">{problem}</p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(secret: &str, hostname: &str) -> Typed {
        Typed {
            name: "Duo".to_owned(),
            client_id: "DIWJ8X6AEYOR5OMC6TQ1".to_owned(),
            client_secret: secret.to_owned(),
            api_hostname: hostname.to_owned(),
        }
    }

    #[test]
    fn what_duo_shows_passes_and_each_mistake_is_told_at_its_field() {
        let secret = "a".repeat(40);
        assert_eq!(
            problems(&typed(&secret, "api-1a2b.duosecurity.com"), false),
            vec![]
        );
        let found = problems(&typed("short", "https://api-1a2b.duosecurity.com"), false);
        let fields: Vec<&str> = found.iter().map(|(field, _)| *field).collect();
        assert_eq!(fields, ["client_secret", "api_hostname"]);
        assert!(found[1].1.contains("without https://"), "{}", found[1].1);
        assert!(found.iter().all(|(_, text)| text.ends_with('.')));
    }

    #[test]
    fn an_edit_keeps_the_secret_when_none_is_typed() {
        assert_eq!(problems(&typed(" ", "api-1.duosecurity.com"), true), vec![]);
        assert_eq!(
            problems(&typed(" ", "api-1.duosecurity.com"), false).len(),
            1
        );
        assert_eq!(
            problems(&typed("bad", "api-1.duosecurity.com"), true).len(),
            1
        );
    }
}
