//! What the customer's directory offers the form once it is authorised: its domains (one where
//! accounts cannot be made is disabled, with why), its built-in roles and the MSP's technician
//! groups for the mapping.

use leptos::prelude::*;
use proto::{EntraDomain, EntraRole, TechnicianGroup};
use uuid::Uuid;

use super::{
    form::{DOMAIN, MAPPING, Problems, problem_of},
    mapping::{MappingDraft, mapping_editor},
};
use crate::{
    api::{ApiFailure, customer_entra as api, groups::list_groups, sentence},
    components::aria_invalid,
};

/// A domain as a choice of the list: one where accounts cannot be made is disabled, with why.
fn domain_label(domain: &EntraDomain) -> String {
    let mut label = domain.name.clone();
    if domain.default {
        label.push_str(" (default)");
    }
    if !domain.selectable {
        label.push_str(" — cannot be chosen: ");
        label.push_str(&sentence(
            domain
                .reason
                .as_deref()
                .unwrap_or("Entra does not manage it"),
        ));
    }
    label
}

/// What the directory offers, read once it is authorised.
#[derive(Clone)]
pub struct Directory {
    domains: Result<Vec<EntraDomain>, String>,
    roles: Result<Vec<EntraRole>, String>,
    groups: Result<Vec<TechnicianGroup>, String>,
}

pub async fn read_directory(customer_id: Uuid) -> Directory {
    let message = |failure: ApiFailure| failure.message();
    Directory {
        domains: api::domains(customer_id)
            .await
            .map(|page| page.items)
            .map_err(message),
        roles: api::roles(customer_id)
            .await
            .map(|page| page.items)
            .map_err(message),
        groups: list_groups().await.map_err(message),
    }
}

fn domain_select(
    listed: Vec<EntraDomain>,
    chosen: RwSignal<String>,
    problems: RwSignal<Problems>,
) -> impl IntoView {
    // The saved domain stays a choice even when the directory no longer lists it, so that saving
    // something else does not drop it unseen.
    let saved = chosen.get_untracked();
    let missing = (!saved.is_empty() && !listed.iter().any(|domain| domain.name == saved))
        .then(|| view! { <option value=saved.clone() selected>{saved.clone()}</option> });
    let options = listed
        .into_iter()
        .map(|domain| {
            let name = domain.name.clone();
            view! {
                <option value=domain.name.clone() disabled=!domain.selectable
                    prop:selected=move || chosen.with(|chosen| *chosen == name)>{domain_label(&domain)}</option>
            }
        })
        .collect_view();
    view! {
        <select id="account-domain" aria-describedby="account-domain-help account-domain-problem"
            aria-invalid=move || aria_invalid(problem_of(problems, DOMAIN).is_some())
            on:change=move |event| {
                chosen.set(event_target_value(&event));
                problems.update(|found| found.retain(|(field, _)| *field != DOMAIN));
            }>
            <option value="" prop:selected=move || chosen.with(String::is_empty)>"Choose a domain"</option>
            {missing}
            {options}
        </select>
    }
}

/// The domain and the roles, or why they cannot be chosen yet.
pub fn directory_fields(
    directory: Option<Directory>,
    domain: RwSignal<String>,
    draft: MappingDraft,
    problems: RwSignal<Problems>,
) -> AnyView {
    let Some(directory) = directory else {
        return view! { <p role="status">"Reading the customer's directory…"</p> }.into_any();
    };
    let failed = |message: String| view! { <p class="error" role="alert">{message}</p> }.into_any();
    let domains = match directory.domains {
        Ok(listed) => domain_select(listed, domain, problems).into_any(),
        Err(message) => failed(message),
    };
    let mapping = match (directory.roles, directory.groups) {
        (Ok(roles), Ok(groups)) => mapping_editor(draft, roles, groups).into_any(),
        (Err(message), _) | (_, Err(message)) => failed(message),
    };
    view! {
        <div class="field">
            <label for="account-domain">"Account domain"</label>
            {domains}
            <p id="account-domain-help" class="help">"Accounts are made as <prefix><your e-mail's local part>@<domain>. Only a verified domain that Entra manages itself can be chosen."</p>
            <p id="account-domain-problem" class="field-problem" aria-live="polite">{move || problem_of(problems, DOMAIN)}</p>
        </div>
        <fieldset class="choices" aria-describedby="role-mapping-problem">
            <legend>"Roles accounts get"</legend>
            {mapping}
            <p id="role-mapping-problem" class="field-problem" aria-live="polite">{move || problem_of(problems, MAPPING)}</p>
        </fieldset>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_domain_that_cannot_be_chosen_says_why() {
        let domain = |name: &str, selectable: bool, reason: Option<&str>| EntraDomain {
            name: name.to_owned(),
            default: name == "woodgrovebank.test",
            selectable,
            reason: reason.map(str::to_owned),
        };
        assert_eq!(
            domain_label(&domain("woodgrovebank.test", true, None)),
            "woodgrovebank.test (default)"
        );
        assert_eq!(
            domain_label(&domain(
                "sso.woodgrovebank.test",
                false,
                Some("the domain is federated")
            )),
            "sso.woodgrovebank.test — cannot be chosen: The domain is federated."
        );
    }
}
