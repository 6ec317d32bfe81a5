//! A customer tenant's address, `/t/<address>` (SPEC §15): once signed in, it opens that tenant
//! when the technician may go into it. Without a session the sign-in page shows at this address,
//! so signing in comes back here.

use leptos::{prelude::*, task::spawn_local};
use leptos_router::{
    NavigateOptions,
    components::A,
    hooks::{use_navigate, use_params_map},
};

use crate::{api::customer_tenants as api, session::use_session, visit};

/// The app's path of a customer tenant's address.
pub fn address_path(address: &str) -> String {
    format!("/t/{address}")
}

/// How the arrival at an address went.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Arrival {
    Opening,
    /// No customer tenant there that this user may go into.
    NotFound,
    Failed(String),
}

#[component]
pub fn TenantAddressPage() -> impl IntoView {
    let params = use_params_map();
    let session = use_session();
    let navigate = use_navigate();
    let arrival = RwSignal::new(Arrival::Opening);
    let address = Memo::new(move |_| {
        params
            .with(|params| params.get("address"))
            .unwrap_or_default()
    });

    Effect::new(move |_| {
        let address = address.get();
        let navigate = navigate.clone();
        let inside = session.0.with_untracked(|state| {
            state
                .as_ref()
                .and_then(Option::as_ref)
                .and_then(|me| me.customer_tenant.as_ref())
                .is_some_and(|visit| visit.customer_tenant.address == address)
        });
        if inside {
            let replace = NavigateOptions {
                replace: true,
                ..NavigateOptions::default()
            };
            navigate("/", replace);
            return;
        }
        arrival.set(Arrival::Opening);
        spawn_local(async move {
            let opened = match api::find_customer_tenant(&address).await {
                Ok(found) => visit::open(session, navigate, found.customer_id).await,
                Err(failure) => Err(failure),
            };
            let next = match opened {
                Ok(()) => return,
                Err(failure) if failure.status() == Some(404) => Arrival::NotFound,
                Err(failure) => Arrival::Failed(failure.message()),
            };
            arrival.try_set(next);
        });
    });

    move || {
        match arrival.get() {
        Arrival::Opening => view! {
            <h1 tabindex="-1">"Opening customer tenant"</h1>
            <p role="status">{move || format!("Opening {}…", address.get())}</p>
        }
        .into_any(),
        Arrival::NotFound => view! {
            <h1 tabindex="-1">"No such customer tenant"</h1>
            <p data-testid="no-such-customer-tenant">{move || format!(
                "There is no customer tenant at “{}” that you may open. Check the address, or ask an admin of your MSP to delegate the tenant to you.",
                address.get()
            )}</p>
            <p><A href="/">"Back to the home page"</A></p>
        }
        .into_any(),
        Arrival::Failed(message) => view! {
            <h1 tabindex="-1">"Opening customer tenant"</h1>
            <p class="error" role="alert">{message}</p>
            <p><A href="/">"Back to the home page"</A></p>
        }
        .into_any(),
    }
    }
}
