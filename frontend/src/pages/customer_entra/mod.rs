//! Customers › a customer › Entra ID for just-in-time accounts (SPEC §16, the MSP's admins): the
//! customer's Microsoft Entra directory authorised by admin consent, and what just-in-time admin
//! accounts are made there: the application's name, their lifetime, their domain and their
//! roles. Entra's admin consent comes back to `/customer-entra/<customer id>?consent=…`.

mod directory;
mod form;
mod mapping;
mod rules;

use leptos::{prelude::*, task::spawn_local};
use leptos_router::{components::A, hooks::use_params_map};
use proto::{CustomerEntraSettings, Role};
use uuid::Uuid;

use self::form::EntraForm;
use crate::{
    api::{customer_entra as api, customers::get_customer},
    components::{
        entra_consent::{Connection, ConsentFor, ConsentReturn, take_return},
        outcome,
    },
    pages::customers::CUSTOMERS,
    session::use_session,
};

const TITLE: &str = "Entra ID for just-in-time accounts";

const CONSENT_HELP: &str = "Authorize opens Microsoft Entra, where an administrator of the customer's directory accepts that this app manages its just-in-time admin accounts and reads its devices' local administrator passwords. No secret is stored here.";

/// The page of a customer's connection.
pub fn customer_entra_path(customer_id: Uuid) -> String {
    format!("/customer-entra/{customer_id}")
}

#[component]
pub fn CustomerEntraPage() -> impl IntoView {
    let admin = use_session()
        .signed_in()
        .is_some_and(|me| me.role == Role::Admin);
    // Read before anything else, and once: it is removed from the address.
    let returned = take_return();
    let params = use_params_map();
    let customer = Memo::new(move |_| {
        params
            .with(|params| params.get("id"))
            .and_then(|id| Uuid::parse_str(&id).ok())
    });
    if !admin {
        return view! {
            <h1 tabindex="-1">{TITLE}</h1>
            <p class="error" role="alert">"Only admins of your MSP connect a customer's Microsoft Entra directory."</p>
        }
        .into_any();
    }
    let returned = StoredValue::new(returned);
    // A new customer in the address builds the page again.
    (move || match customer.get() {
        Some(id) => view! { <CustomerEntra id returned=returned.get_value()/> }.into_any(),
        None => view! {
            <h1 tabindex="-1">{TITLE}</h1>
            {returned.get_value().map(|returned| outcome(returned.told()))}
            <p>"Open a customer's Entra connection from its row on the " <A href=CUSTOMERS>"Customers"</A> " page."</p>
        }
        .into_any(),
    })
    .into_any()
}

#[component]
fn CustomerEntra(id: Uuid, returned: Option<ConsentReturn>) -> impl IntoView {
    let settings = RwSignal::new(None::<Result<CustomerEntraSettings, String>>);
    let name = RwSignal::new(None::<String>);
    spawn_local(async move {
        let answer = api::settings(id).await.map_err(|failure| {
            if failure.status() == Some(404) {
                "Your MSP has no such customer.".to_owned()
            } else {
                failure.message()
            }
        });
        settings.try_set(Some(answer));
    });
    spawn_local(async move {
        // Only names the page; without it the page still works.
        if let Ok(customer) = get_customer(id).await {
            name.try_set(Some(customer.display_name));
        }
    });
    let loaded = Memo::new(move |_| settings.with(Option::is_some));
    let connection = Signal::derive(move || {
        settings.with(|settings| match settings {
            Some(Ok(settings)) => settings.connection.clone(),
            _ => None,
        })
    });
    let customer_name = move || name.get().unwrap_or_else(|| "Customer".to_owned());
    view! {
        <p class="breadcrumb"><A href=CUSTOMERS>"Customers"</A> " › " {customer_name} " › " {TITLE}</p>
        <h1 tabindex="-1">{TITLE}</h1>
        <p data-testid="customer-entra-customer">{move || name.get().map(|name| format!("Customer: {name}"))}</p>
        <p>"Technicians who may go into this customer request an admin account of their own in its Microsoft Entra directory for a few hours, with the roles chosen here, instead of standing admin accounts."</p>
        {move || {
            if !loaded.get() {
                return view! { <p role="status">"Loading…"</p> }.into_any();
            }
            match settings.get_untracked() {
                Some(Ok(initial)) => view! {
                    <Connection connection returned=returned.clone() target=ConsentFor::Customer(id) help=CONSENT_HELP/>
                    <EntraForm customer_id=id settings initial/>
                }
                .into_any(),
                Some(Err(message)) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
                None => ().into_any(),
            }
        }}
    }
}
