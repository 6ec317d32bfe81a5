//! The banner over every page while the session is in a customer tenant (SPEC §15): which
//! tenant, whose, and the way back to the MSP.

use leptos::{prelude::*, task::spawn_local};
use leptos_router::hooks::use_navigate;

use crate::{session::use_session, visit};

#[component]
pub fn CustomerTenantBanner() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let current = move || session.signed_in().and_then(|me| me.customer_tenant);
    move || {
        let navigate = navigate.clone();
        current().map(|here| {
            let tenant = here.customer_tenant.display_name;
            let msp = here.msp.name;
            let whose = format!(" (customer tenant of {msp})");
            let back = {
                let navigate = navigate.clone();
                move |_| {
                    if busy.get_untracked() {
                        return;
                    }
                    busy.set(true);
                    problem.set(None);
                    let navigate = navigate.clone();
                    spawn_local(async move {
                        if let Err(failure) = visit::leave(session, navigate).await {
                            problem.try_set(Some(failure.message()));
                        }
                        busy.try_set(false);
                    });
                }
            };
            view! {
                <section class="tenant-banner" aria-label="Customer tenant" data-testid="customer-tenant-banner">
                    <p>
                        "You are in " <strong>{tenant}</strong>
                        {whose}
                    </p>
                    <button type="button" aria-disabled=move || busy.get().to_string() on:click=back>
                        {format!("Back to {msp}")}
                    </button>
                    {move || problem.get().map(|text| view! { <p class="error" role="alert">{text}</p> })}
                </section>
            }
        })
    }
}
