//! The Customers grid (SPEC §6): the Corporate customers under the reseller, one search box over
//! every column, searched and paged by the server; admins delete a customer from its row
//! (SPEC §15).

use leptos::{prelude::*, task::spawn_local};
use proto::{Customer, Page};

use super::{delete::DeleteCustomerDialog, focus_by_id};
use crate::{
    api::customers::{self as api, CUSTOMERS_PER_PAGE},
    components::{
        day,
        pager::{self, Pager},
        search::SearchBox,
    },
};

/// Where focus goes once a deleted customer's row, whose button opened the dialog, is gone.
const SEARCH_ID: &str = "customers-search";

fn page_count(total: u64) -> u64 {
    pager::page_count(total, CUSTOMERS_PER_PAGE)
}

fn plural(count: u64, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

/// The row's actions cell; `on_delete` is absent for technicians, who get no actions column.
fn actions_cell(customer: &Customer, on_delete: Callback<Customer>) -> impl IntoView + use<> {
    let target = customer.clone();
    view! {
        <td class="action">
            <button type="button" class="secondary small" on:click=move |_| on_delete.run(target.clone())>
                "Delete" <span class="visually-hidden">{format!(" {}", customer.name)}</span>
            </button>
        </td>
    }
}

fn customer_row(customer: Customer, on_delete: Option<Callback<Customer>>) -> impl IntoView {
    let actions = on_delete.map(|on_delete| actions_cell(&customer, on_delete));
    view! {
        <tr>
            <th scope="row">{customer.name}</th>
            <td>{customer.customer_type}</td>
            <td>{day(&customer.created_at)}</td>
            <td>{if customer.spla { "Yes" } else { "No" }}</td>
            <td class="number">{customer.active_licenses}</td>
            <td class="number">{customer.total_licenses}</td>
            <td class="number">{customer.churn_score}</td>
            {actions}
        </tr>
    }
}

fn customers_table(
    customers: Vec<Customer>,
    loading: RwSignal<bool>,
    on_delete: Option<Callback<Customer>>,
) -> impl IntoView {
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
                        {on_delete.is_some().then(|| view! { <th scope="col">"Actions"</th> })}
                    </tr>
                </thead>
                <tbody>{customers.into_iter().map(|customer| customer_row(customer, on_delete)).collect_view()}</tbody>
            </table>
        </div>
    }
}

/// `refresh` changes whenever a customer was created or deleted, so the grid asks again.
#[component]
pub fn CustomersGrid(
    #[prop(into)] refresh: Signal<u32>,
    /// Opens a blank create-customer form; absent without `create_customer`.
    on_new: Option<Callback<()>>,
    /// Told that a customer was deleted (or found gone), so the grids ask again; present for
    /// admins only, who alone may delete.
    on_deleted: Option<Callback<()>>,
) -> impl IntoView {
    let query = RwSignal::new(String::new());
    let page = RwSignal::new(1_u64);
    let result = RwSignal::new(None::<Result<Page<Customer>, String>>);
    let loading = RwSignal::new(true);
    // Answers to superseded searches are dropped, so a slow old answer cannot overwrite a new one.
    let latest = StoredValue::new(0_u64);
    let deleting = RwSignal::new(None::<Customer>);
    let deleted = RwSignal::new(String::new());
    let on_delete = on_deleted.map(|_| {
        Callback::new(move |customer: Customer| {
            deleted.set(String::new());
            deleting.set(Some(customer));
        })
    });

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
            <SearchBox id=SEARCH_ID label="Search customers"
                hint="Name, customer type, created date (YYYY-MM-DD) or a number of licences or churn score"
                on_search=on_search/>
            <p class="grid-status" role="status" data-testid="customers-status">{status}</p>
            <p class="saved grid-outcome" role="status" data-testid="customer-deleted">{deleted}</p>
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
                Some(Ok(found)) => customers_table(found.items, loading, on_delete).into_any(),
            }}
            <Pager page total=Signal::derive(total) per_page=CUSTOMERS_PER_PAGE label="Customers pages"/>
            {move || deleting.get().zip(on_deleted).map(|(customer, on_deleted)| delete_dialog(customer, deleting, deleted, on_deleted))}
        </section>
    }
}

/// The open deletion dialog: on success it closes, says so above the grid and puts focus on the
/// search box, since the row that held focus is about to go.
fn delete_dialog(
    customer: Customer,
    deleting: RwSignal<Option<Customer>>,
    deleted: RwSignal<String>,
    on_deleted: Callback<()>,
) -> impl IntoView {
    let close = Callback::new(move |()| deleting.set(None));
    let done = move |name: String| {
        deleting.set(None);
        deleted.set(format!("Deleted {name}."));
        on_deleted.run(());
        // After the dialog's own clean-up, which hands focus back to the row's button.
        request_animation_frame(|| focus_by_id(SEARCH_ID));
    };
    view! { <DeleteCustomerDialog customer on_deleted=done on_gone=on_deleted on_close=close/> }
}
