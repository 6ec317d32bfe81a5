//! Guide → Customer Settings → Login Setup → Azure Login: the reseller's Entra tenant ID
//! (SPEC §4), parsed as the server parses it. Read-only without `manage_customer_settings`.

use domain::AzureTenantId;
use leptos::{ev::SubmitEvent, prelude::*, task::spawn_local};
use proto::Claim;

use crate::{
    api::{self, sentence},
    components::guide_tabs::GuideTabs,
    session::use_session,
    wizard::{Spotlight, use_wizard},
};

/// What is wrong with `raw` as a tenant ID; empty is fine, it clears the saved one.
fn tenant_id_problem(raw: &str) -> Option<String> {
    if raw.trim().is_empty() {
        return None;
    }
    AzureTenantId::parse(raw)
        .err()
        .map(|problem| sentence(&problem.to_string()))
}

#[component]
pub fn AzureLoginPage() -> impl IntoView {
    let session = use_session();
    let me = session.signed_in();
    let can_manage = me
        .as_ref()
        .is_some_and(|me| me.claims.contains(&Claim::ManageCustomerSettings));
    let saved = me.and_then(|me| me.tenant.azure_tenant_id);
    view! {
        <GuideTabs/>
        <h1 tabindex="-1">"Azure Login"</h1>
        {if can_manage {
            view! { <TenantIdForm/> }.into_any()
        } else {
            view! {
                <section class="card" aria-labelledby="tenant-id-title">
                    <h2 id="tenant-id-title">"Azure (Entra) Tenant ID"</h2>
                    <p data-testid="saved-tenant-id">{saved.unwrap_or_else(|| "Not set".to_owned())}</p>
                    <p class="help">"Changing it needs the “Manage customer settings” permission. Ask an admin of your tenant."</p>
                </section>
            }.into_any()
        }}
    }
}

#[component]
fn TenantIdForm() -> impl IntoView {
    let session = use_session();
    let wizard = use_wizard();
    let value = RwSignal::new(String::new());
    let touched = RwSignal::new(false);
    let server_problem = RwSignal::new(None::<String>);
    let saved_message = RwSignal::new(None::<String>);
    let busy = RwSignal::new(true);
    spawn_local(async move {
        match api::azure_login().await {
            Ok(login) => value.set(login.tenant_id.unwrap_or_default()),
            Err(failure) => server_problem.set(Some(failure.message())),
        }
        busy.set(false);
    });

    let shown_problem = move || {
        server_problem.get().or_else(|| {
            touched
                .get()
                .then(|| value.with(|raw| tenant_id_problem(raw)))
                .flatten()
        })
    };
    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        touched.set(true);
        if value.with_untracked(|raw| tenant_id_problem(raw)).is_some() || busy.get_untracked() {
            return;
        }
        busy.set(true);
        saved_message.set(None);
        let raw = value.get_untracked();
        let wanted = (!raw.trim().is_empty()).then_some(raw);
        spawn_local(async move {
            let outcome = api::save_azure_login(wanted).await;
            busy.set(false);
            match outcome {
                Ok(login) => {
                    value.set(login.tenant_id.clone().unwrap_or_default());
                    saved_message.set(Some(if login.tenant_id.is_some() {
                        "Tenant ID saved.".to_owned()
                    } else {
                        "Tenant ID cleared.".to_owned()
                    }));
                    session.update_signed_in(|me| me.tenant.azure_tenant_id = login.tenant_id);
                }
                Err(failure) => server_problem.set(Some(
                    failure
                        .field_message("tenant_id")
                        .unwrap_or_else(|| failure.message()),
                )),
            }
        });
    };

    view! {
        <form
            class="card"
            on:submit=submit
            aria-labelledby="tenant-id-title"
            class:spotlit=move || wizard.points_at(Spotlight::AzureTenantForm)
        >
            <h2 id="tenant-id-title">"Azure (Entra) Tenant ID"</h2>
            <label for="azure-tenant-id">"Tenant ID"</label>
            <input
                id="azure-tenant-id"
                type="text"
                autocomplete="off"
                spellcheck="false"
                placeholder="5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f"
                prop:value=value
                on:input=move |event| {
                    value.set(event_target_value(&event));
                    touched.set(true);
                    server_problem.set(None);
                    saved_message.set(None);
                }
                aria-invalid=move || if shown_problem().is_some() { "true" } else { "false" }
                aria-describedby="tenant-id-problem tenant-id-help"
            />
            <p id="tenant-id-problem" class="field-problem" aria-live="polite">{shown_problem}</p>
            <p id="tenant-id-help" class="help">"Find it in the Microsoft Entra admin center under Overview. Leave it empty and press Update to remove it."</p>
            <button type="submit" disabled=move || busy.get()>"Update"</button>
            {move || saved_message.get().map(|text| view! { <p class="saved" role="status">{text}</p> })}
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tenant_id_is_checked_as_the_server_checks_it() {
        assert_eq!(tenant_id_problem(""), None);
        assert_eq!(
            tenant_id_problem("{5F1C2D3E-4A5B-4C6D-8E7F-9A0B1C2D3E4F}"),
            None
        );
        assert!(
            tenant_id_problem("not-a-guid").is_some_and(|p| p.starts_with("A tenant ID is a GUID"))
        );
    }
}
