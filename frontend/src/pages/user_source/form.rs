//! Choosing the user source: local or Microsoft Entra ID, the onboarding domain among the
//! directory's domains, and the just-in-time username prefix, checked as it is typed with the
//! domain crate's own rule. **Save**'s refusals show at the fields they concern.

use domain::{Email, JitPrefix};
use leptos::{ev::SubmitEvent, prelude::*, task::spawn_local};
use proto::{EntraDomain, UpdateUserSource, UserSourceKind, UserSourceSettings};

use super::sync::SyncWatch;
use crate::{
    api::{ApiFailure, sentence, user_source as api},
    components::{self, aria_invalid},
};

/// The form's fields, by the API's names.
const SOURCE: &str = "source";
const DOMAIN: &str = "onboarding_domain";
const PREFIX: &str = "jit_prefix";

/// Each field's problem, by the API's field name.
type Problems = Vec<(&'static str, String)>;

pub fn source_label(source: UserSourceKind) -> &'static str {
    match source {
        UserSourceKind::Local => "Local",
        UserSourceKind::Azuread => "Microsoft Entra ID",
    }
}

/// What `JitPrefix::parse` says of the typed prefix, as the API would say it.
fn prefix_problem(typed: &str) -> Option<String> {
    JitPrefix::parse(typed)
        .err()
        .map(|error| sentence(&error.to_string()))
}

/// `alex@acme.com → msp-alex`: the username a technician of `domain` would get, while the typed
/// prefix is valid.
fn preview(typed: &str, domain: Option<&str>) -> Option<String> {
    let prefix = JitPrefix::parse(typed).ok()?;
    let email = domain
        .and_then(|domain| Email::parse(&format!("alex@{domain}")).ok())
        .or_else(|| Email::parse("alex@acme.com").ok())?;
    Some(format!(
        "{} → {}",
        email.as_str(),
        prefix.username_for(&email)
    ))
}

/// A refusal of Save split into the fields' problems and what concerns the whole form.
fn refusal(failure: &ApiFailure) -> (Problems, Option<String>) {
    let mut found = failure.field_problems(&[DOMAIN, PREFIX]);
    if let Some("too_many_users" | "not_connected" | "entra_app_not_configured") = failure.code() {
        found.push((SOURCE, failure.message()));
    }
    let whole = found.is_empty().then(|| failure.message());
    (found, whole)
}

fn kind(entra: bool) -> UserSourceKind {
    if entra {
        UserSourceKind::Azuread
    } else {
        UserSourceKind::Local
    }
}

/// Forgets the refusal of `field` once it is changed.
fn clear(problems: RwSignal<Problems>, field: &'static str) {
    problems.update(|found| found.retain(|(name, _)| *name != field));
}

fn problem_of(problems: RwSignal<Problems>, field: &'static str) -> Option<String> {
    problems.with(|found| {
        found
            .iter()
            .find(|(name, _)| *name == field)
            .map(|(_, text)| text.clone())
    })
}

/// Why the domains cannot be listed, in words.
fn domains_refusal(failure: &ApiFailure) -> String {
    match failure.code() {
        Some("not_connected") => {
            "Authorize the connection first: the domains come from your Entra directory.".to_owned()
        }
        Some("entra_app_not_configured") => "This server has no Microsoft Entra app configured, so it cannot read your directory. Ask its operator.".to_owned(),
        _ => failure.message(),
    }
}

#[component]
pub fn SourceForm(
    settings: RwSignal<Option<Result<UserSourceSettings, String>>>,
    /// The settings as first read, for the fields' starting values.
    initial: UserSourceSettings,
    watch: SyncWatch,
) -> impl IntoView {
    // Whether Entra is the chosen source (a bool: one signal type fewer in the wasm).
    let entra_chosen = RwSignal::new(initial.source == UserSourceKind::Azuread);
    let chosen = RwSignal::new(initial.onboarding_domain.clone());
    let prefix = RwSignal::new(initial.jit_prefix.clone());
    let problems = RwSignal::new(Problems::new());
    let outcome = RwSignal::new(None::<Result<String, String>>);
    let busy = RwSignal::new(false);
    let entra = Memo::new(move |_| {
        settings.with(|settings| {
            settings
                .as_ref()
                .and_then(|settings| settings.as_ref().ok())
                .and_then(|settings| settings.connection.as_ref())
                .map(|connection| connection.entra_tenant_id.clone())
        })
    });
    let domains = RwSignal::new(None::<Result<Vec<EntraDomain>, String>>);
    Effect::new(move |_| {
        if entra.get().is_none() {
            domains.set(Some(Err(
                "Authorize the connection first: the domains come from your Entra directory."
                    .to_owned(),
            )));
            return;
        }
        domains.set(None);
        spawn_local(async move {
            let answer = api::domains()
                .await
                .map(|page| page.items)
                .map_err(|failure| domains_refusal(&failure));
            domains.try_set(Some(answer));
        });
    });

    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        outcome.set(None);
        let typed = prefix.get_untracked();
        if let Some(problem) = prefix_problem(&typed) {
            problems.set(vec![(PREFIX, problem)]);
            return;
        }
        problems.set(Vec::new());
        let wanted = kind(entra_chosen.get_untracked());
        let change = UpdateUserSource {
            source: wanted,
            onboarding_domain: (wanted == UserSourceKind::Azuread)
                .then(|| chosen.get_untracked())
                .flatten(),
            jit_prefix: Some(typed.trim().to_owned()),
        };
        let before = settings.with_untracked(|settings| {
            settings
                .as_ref()
                .and_then(|settings| settings.as_ref().ok())
                .map(|settings| {
                    (
                        settings.source,
                        settings.last_sync.as_ref().map(|sync| sync.at),
                    )
                })
        });
        busy.set(true);
        spawn_local(async move {
            let answer = api::save(&change).await;
            busy.try_set(false);
            match answer {
                Ok(saved) => {
                    let told = format!("Saved: users come from {}.", source_label(saved.source));
                    let now_entra = saved.source == UserSourceKind::Azuread;
                    settings.try_set(Some(Ok(saved)));
                    outcome.try_set(Some(Ok(told)));
                    // A switch to Entra makes its sync due at once: its result shows when it ends.
                    if let (true, Some((UserSourceKind::Local, last_sync))) = (now_entra, before) {
                        watch.watch(settings, last_sync);
                    }
                }
                Err(failure) => {
                    let (found, whole) = refusal(&failure);
                    problems.try_set(found);
                    outcome.try_set(whole.map(Err));
                }
            }
        });
    };

    let source_problem = move || problem_of(problems, SOURCE);
    let domain_problem = move || problem_of(problems, DOMAIN);
    let prefix_shown = move || {
        prefix
            .with(|typed| prefix_problem(typed))
            .or_else(|| problem_of(problems, PREFIX))
    };
    let example =
        move || chosen.with(|domain| prefix.with(|typed| preview(typed, domain.as_deref())));
    let mut entra_help = "Only enabled accounts of your Entra directory can be invited, and the sync deactivates users removed or disabled there.".to_owned();
    if initial.source == UserSourceKind::Local {
        entra_help.push_str(&format!(
            " Switching needs your tenant to have at most {} user (you); it has {}.",
            domain::MAX_USERS_TO_SWITCH_SOURCE,
            initial.onboarded_users
        ));
    }
    let choice = move |choice: UserSourceKind, id: &'static str, help: String| {
        let help_id = format!("{id}-help");
        view! {
            <div class="choice">
                <input type="radio" id=id name="user-source" aria-describedby=help_id.clone()
                    prop:checked=move || kind(entra_chosen.get()) == choice
                    on:change=move |_| { entra_chosen.set(choice == UserSourceKind::Azuread); clear(problems, SOURCE); }/>
                <label for=id>{source_label(choice)}</label>
                <p id=help_id class="help">{help}</p>
            </div>
        }
    };

    view! {
        <form class="card user-source-form" on:submit=submit novalidate aria-labelledby="source-form-title">
            <h2 id="source-form-title">"Where users come from"</h2>
            <fieldset class="choices" aria-describedby="source-problem">
                <legend>"User source"</legend>
                {choice(UserSourceKind::Local, "source-local", "Admins invite users here (or Entra provisions them over SCIM).".to_owned())}
                {choice(UserSourceKind::Azuread, "source-entra", entra_help)}
                <p id="source-problem" class="field-problem" aria-live="polite">{source_problem}</p>
            </fieldset>
            <Show when=move || entra_chosen.get()>
                <fieldset class="choices" aria-describedby="domain-problem">
                    <legend>"Onboarding domain"</legend>
                    <p class="help">"Technicians are onboarded with an e-mail at this domain. Only a verified domain that Entra manages itself can be chosen."</p>
                    {move || match domains.get() {
                        None => view! { <p role="status">"Loading the directory's domains…"</p> }.into_any(),
                        Some(Err(message)) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
                        Some(Ok(found)) if found.is_empty() => view! { <p>"Your directory lists no domains."</p> }.into_any(),
                        Some(Ok(found)) => found.into_iter().enumerate().map(|(index, entry)| domain_choice(index, entry, chosen, problems)).collect_view().into_any(),
                    }}
                    <p id="domain-problem" class="field-problem" aria-live="polite">{domain_problem}</p>
                </fieldset>
            </Show>
            <div class="field">
                <label for="jit-prefix">"Username prefix"</label>
                <input id="jit-prefix" type="text" autocomplete="off" spellcheck="false"
                    aria-describedby="jit-prefix-help jit-prefix-preview jit-prefix-problem"
                    aria-invalid=move || aria_invalid(prefix_shown().is_some())
                    prop:value=move || prefix.get()
                    on:input=move |event| {
                        prefix.set(event_target_value(&event));
                        clear(problems, PREFIX);
                    }/>
                <p id="jit-prefix-help" class="help">"Just-in-time usernames start with it: 1 to 20 lower-case letters, digits, '-', '_' or '.', starting with a letter."</p>
                <p id="jit-prefix-preview" class="help" data-testid="jit-preview">{move || example().map(|text| format!("Example: {text}"))}</p>
                <p id="jit-prefix-problem" class="field-problem" aria-live="polite">{prefix_shown}</p>
            </div>
            <div class="actions">
                <button type="submit" disabled=move || busy.get()>{move || if busy.get() { "Saving…" } else { "Save" }}</button>
            </div>
            {move || outcome.get().map(components::outcome)}
        </form>
    }
}

/// One domain of the directory as a choice: one that cannot onboard is disabled, with its reason.
fn domain_choice(
    index: usize,
    entry: EntraDomain,
    chosen: RwSignal<Option<String>>,
    problems: RwSignal<Problems>,
) -> impl IntoView {
    let id = format!("domain-{index}");
    let help_id = format!("{id}-help");
    let name = entry.name.clone();
    let picked = entry.name.clone();
    let mut notes = Vec::new();
    if entry.default {
        notes.push("The directory's default domain.".to_owned());
    }
    if !entry.selectable {
        notes.push(format!(
            "Cannot be chosen. {}",
            sentence(
                entry
                    .reason
                    .as_deref()
                    .unwrap_or("Entra does not manage it")
            )
        ));
    }
    view! {
        <div class="choice" class:unavailable=!entry.selectable>
            <input type="radio" id=id.clone() name="onboarding-domain" value=entry.name.clone()
                aria-describedby=help_id.clone() disabled=!entry.selectable
                prop:checked=move || chosen.with(|chosen| chosen.as_deref() == Some(name.as_str()))
                on:change=move |_| {
                    chosen.set(Some(picked.clone()));
                    clear(problems, DOMAIN);
                }/>
            <label for=id>{entry.name}</label>
            <p id=help_id class="help">{notes.join(" ")}</p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(status: u16, code: &str, detail: &str, errors: &[(&str, &str)]) -> ApiFailure {
        ApiFailure::refused(status, code, Some(detail), errors)
    }

    #[test]
    fn the_prefix_is_judged_by_the_domain_rule_and_previewed_while_valid() {
        assert_eq!(prefix_problem("msp-"), None);
        assert_eq!(
            prefix_problem("1msp"),
            Some("The prefix starts with a letter (a–z).".to_owned())
        );
        assert_eq!(
            prefix_problem(""),
            Some("The prefix is 1 to 20 characters.".to_owned())
        );
        assert_eq!(
            preview("msp-", None).as_deref(),
            Some("alex@acme.com → msp-alex")
        );
        assert_eq!(
            preview("jit.", Some("demo-entra.test")).as_deref(),
            Some("alex@demo-entra.test → jit.alex")
        );
        assert_eq!(preview("MSP", Some("demo-entra.test")), None);
    }

    #[test]
    fn each_refusal_of_save_shows_at_its_field() {
        let federated = refused(
            422,
            "validation_failed",
            "the request has invalid fields",
            &[("onboarding_domain", "the domain is federated")],
        );
        assert_eq!(
            refusal(&federated),
            (vec![(DOMAIN, "The domain is federated.".to_owned())], None)
        );
        let prefix = refused(
            422,
            "validation_failed",
            "invalid",
            &[("jit_prefix", "bad")],
        );
        assert_eq!(refusal(&prefix), (vec![(PREFIX, "Bad.".to_owned())], None));
        let too_many = refused(
            409,
            "too_many_users",
            "your tenant has 3 users; remove 2 first",
            &[],
        );
        assert_eq!(
            refusal(&too_many),
            (
                vec![(
                    SOURCE,
                    "Your tenant has 3 users; remove 2 first.".to_owned()
                )],
                None
            )
        );
        let not_connected = refused(
            409,
            "not_connected",
            "authorise the Microsoft Entra connection first",
            &[],
        );
        assert_eq!(
            refusal(&not_connected).0.first().map(|(field, _)| *field),
            Some(SOURCE)
        );
        let busy = refused(503, "graph_throttled", "try again later", &[]);
        assert_eq!(
            refusal(&busy),
            (Vec::new(), Some("Try again later.".to_owned()))
        );
    }

    #[test]
    fn domains_that_cannot_be_listed_say_why() {
        assert!(
            domains_refusal(&refused(409, "not_connected", "x", &[]))
                .starts_with("Authorize the connection first")
        );
        assert!(
            domains_refusal(&refused(409, "entra_app_not_configured", "x", &[]))
                .contains("no Microsoft Entra app")
        );
        assert_eq!(
            domains_refusal(&refused(502, "graph_unreachable", "graph is down", &[])),
            "Graph is down."
        );
    }
}
