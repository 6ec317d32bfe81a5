//! The Customers grid (SPEC §6): the Corporate customers under the reseller, one search box over
//! every column, searched and paged by the server.

use leptos::{prelude::*, task::spawn_local};
use proto::{Customer, Page};

use crate::{
    api::customers::{self as api, CUSTOMERS_PER_PAGE},
    components::{
        day,
        pager::{self, Pager},
        search::SearchBox,
    },
};

fn page_count(total: u64) -> u64 {
    pager::page_count(total, CUSTOMERS_PER_PAGE)
}

fn plural(count: u64, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

fn customer_row(customer: Customer) -> impl IntoView {
    view! {
        <tr>
            <th scope="row">{customer.name}</th>
            <td>{customer.customer_type}</td>
            <td>{day(&customer.created_at)}</td>
            <td>{if customer.spla { "Yes" } else { "No" }}</td>
            <td class="number">{customer.active_licenses}</td>
            <td class="number">{customer.total_licenses}</td>
            <td class="number">{customer.churn_score}</td>
        </tr>
    }
}

fn customers_table(customers: Vec<Customer>, loading: RwSignal<bool>) -> impl IntoView {
    view! {
        <div class="grid-scroll" tabindex="0" role="region" aria-labelledby="customers-title">
            <table aria-labelledby="customers-title" aria-busy=move || loading.get().to_string() data-testid="customers-grid">
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Customer Type"</th>
                        <th scope="col">"Created Date"</th>
                        <th scope="col">"SPLA"</th>
                        <th scope="col" class="number">"Active Licenses"</th>
                        <th scope="col" class="number">"Total Licenses"</th>
                        <th scope="col" class="number">"Churn Score"</th>
                    </tr>
                </thead>
                <tbody>{customers.into_iter().map(customer_row).collect_view()}</tbody>
            </table>
        </div>
    }
}

/// `refresh` changes whenever a customer was created, so the grid asks again.
#[component]
pub fn CustomersGrid(
    #[prop(into)] refresh: Signal<u32>,
    /// Opens a blank create-customer form; absent without `create_customer`.
    on_new: Option<Callback<()>>,
) -> impl IntoView {
    let query = RwSignal::new(String::new());
    let page = RwSignal::new(1_u64);
    let result = RwSignal::new(None::<Result<Page<Customer>, String>>);
    let loading = RwSignal::new(true);
    // Answers to superseded searches are dropped, so a slow old answer cannot overwrite a new one.
    let latest = StoredValue::new(0_u64);

    Effect::new(move |_| {
        let (query, page) = (query.get(), page.get());
        refresh.track();
        latest.update_value(|request| *request += 1);
        let this_request = latest.get_value();
        loading.set(true);
        spawn_local(async move {
            let answer = api::list_customers(&query, page)
                .await
                .map_err(|failure| failure.message());
            if latest.try_get_value() == Some(this_request) {
                result.set(Some(answer));
                loading.set(false);
            }
        });
    });

    let on_search = move |text: String| {
        query.set(text);
        page.set(1);
    };
    let total = move || {
        result.with(|result| match result {
            Some(Ok(found)) => found.total,
            _ => 0,
        })
    };
    let status = move || {
        if loading.get() {
            "Loading customers…".to_owned()
        } else {
            match result.get() {
                Some(Ok(found)) => format!(
                    "{} · page {} of {}",
                    plural(found.total, "customer", "customers"),
                    page.get(),
                    page_count(found.total)
                ),
                _ => String::new(),
            }
        }
    };

    view! {
        <section class="grid-section" aria-labelledby="customers-title">
            <div class="grid-head">
                <h3 id="customers-title">"Customers"</h3>
                {on_new.map(|on_new| view! {
                    <button type="button" class="secondary" on:click=move |_| on_new.run(())>"New customer"</button>
                })}
            </div>
            <SearchBox id="customers-search" label="Search customers"
                hint="Name, customer type, created date (YYYY-MM-DD) or a number of licences or churn score"
                on_search=on_search/>
            <p class="grid-status" role="status" data-testid="customers-status">{status}</p>
            {move || match result.get() {
                None => view! { <p class="loading-rows">"Loading customers…"</p> }.into_any(),
                Some(Err(message)) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
                Some(Ok(found)) if found.items.is_empty() => view! {
                    <p class="empty-state" data-testid="customers-empty">{move || if query.with(String::is_empty) {
                        "There are no customers yet.".to_owned()
                    } else {
                        format!("No customer matches “{}”.", query.get())
                    }}</p>
                }.into_any(),
                Some(Ok(found)) => customers_table(found.items, loading).into_any(),
            }}
            <Pager page total=Signal::derive(total) per_page=CUSTOMERS_PER_PAGE label="Customers pages"/>
        </section>
    }
}
