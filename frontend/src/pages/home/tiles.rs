//! "Your customers" on the home page (SPEC §15): a tile per customer tenant the signed-in user
//! may go into, each opening it.

use leptos::{prelude::*, task::spawn_local};
use leptos_router::hooks::use_navigate;
use proto::{CustomerTenant, Page};

use crate::{
    api::customer_tenants::{TILES_PER_PAGE, list_customer_tenants},
    components::search::SearchBox,
    session::use_session,
    visit,
};

fn tile(tenant: CustomerTenant, on_open: Callback<CustomerTenant>) -> impl IntoView {
    let target = tenant.clone();
    view! {
        <li>
            <button type="button" class="tile" on:click=move |_| on_open.run(target.clone())>
                <span class="tile-name">{tenant.display_name}</span>
                <span class="tile-address">{tenant.address}</span>
            </button>
        </li>
    }
}

/// `admin`: admins may go into every customer tenant, so theirs is never "delegated".
#[component]
pub fn YourCustomers(admin: bool) -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let query = RwSignal::new(String::new());
    let result = RwSignal::new(None::<Result<Page<CustomerTenant>, String>>);
    // Once more than a page of tiles exists the search box stays, even while a search finds few.
    let searchable = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let opening = RwSignal::new(false);
    let latest = StoredValue::new(0_u64);

    Effect::new(move |_| {
        let query = query.get();
        latest.update_value(|request| *request += 1);
        let this_request = latest.get_value();
        spawn_local(async move {
            let answer = list_customer_tenants(&query, 1)
                .await
                .map_err(|failure| failure.message());
            if latest.try_get_value() != Some(this_request) {
                return;
            }
            if answer
                .as_ref()
                .is_ok_and(|found| found.total > TILES_PER_PAGE)
            {
                searchable.set(true);
            }
            result.set(Some(answer));
        });
    });

    let on_open = Callback::new(move |tenant: CustomerTenant| {
        if opening.get_untracked() {
            return;
        }
        opening.set(true);
        problem.set(None);
        let navigate = navigate.clone();
        spawn_local(async move {
            if let Err(failure) = visit::open(session, navigate, tenant.customer_id).await {
                problem.try_set(Some(if failure.status() == Some(404) {
                    format!("You may no longer open {}.", tenant.display_name)
                } else {
                    failure.message()
                }));
            }
            opening.try_set(false);
        });
    });

    let empty = move || {
        if !query.with(String::is_empty) {
            format!("No customer matches “{}”.", query.get())
        } else if admin {
            "Your MSP has no customer tenants yet.".to_owned()
        } else {
            "No customers delegated to you yet.".to_owned()
        }
    };
    let more = move || {
        result.with(|result| match result {
            Some(Ok(found)) if found.total > found.items.len() as u64 => Some(format!(
                "Showing {} of {}: search to find the others.",
                found.items.len(),
                found.total
            )),
            _ => None,
        })
    };

    view! {
        <section class="card your-customers" aria-labelledby="your-customers-title">
            <h2 id="your-customers-title">"Your customers"</h2>
            <Show when=move || searchable.get()>
                <SearchBox id="your-customers-search" label="Search your customers" hint="Display name"
                    on_search=move |text: String| query.set(text)/>
            </Show>
            {move || problem.get().map(|text| view! { <p class="error" role="alert">{text}</p> })}
            {move || match result.get() {
                None => view! { <p role="status">"Loading your customers…"</p> }.into_any(),
                Some(Err(text)) => view! { <p class="error" role="alert">{text}</p> }.into_any(),
                Some(Ok(found)) if found.items.is_empty() => view! {
                    <p class="empty-state" data-testid="your-customers-empty">{empty}</p>
                }.into_any(),
                Some(Ok(found)) => view! {
                    <ul class="tiles" aria-busy=move || opening.get().to_string()>
                        {found.items.into_iter().map(|tenant| tile(tenant, on_open)).collect_view()}
                    </ul>
                }.into_any(),
            }}
            {move || more().map(|text| view! { <p class="help">{text}</p> })}
        </section>
    }
}
