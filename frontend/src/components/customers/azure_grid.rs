//! The Azure customers grid (SPEC §6): the reseller's CSP sub-tenants from Microsoft Graph, in
//! the server's alphabetical order, searched by name, each with Create customer or the reason
//! it cannot be created.

use leptos::{prelude::*, task::spawn_local};
use proto::{AzureCustomer, AzureCustomerBlock, Page};

use super::GraphCredentials;
use crate::api::{ApiFailure, customers as api};
use crate::components::search::SearchBox;

/// Why a sub-tenant cannot become a customer, in words.
pub fn reason_text(reason: Option<AzureCustomerBlock>) -> &'static str {
    match reason {
        Some(AzureCustomerBlock::NameExists) => "A customer with this name already exists",
        Some(AzureCustomerBlock::TenantIdExists) => "A customer already has this Azure tenant ID",
        None => "This sub-tenant cannot be created as a customer",
    }
}

fn action_cell(
    row: &AzureCustomer,
    index: usize,
    on_create: Option<Callback<AzureCustomer>>,
) -> AnyView {
    let reason_id = format!("azure-reason-{index}");
    match (row.can_create, on_create) {
        (true, Some(on_create)) => {
            let chosen = row.clone();
            view! {
                <button type="button" on:click=move |_| on_create.run(chosen.clone())>
                    "Create customer" <span class="visually-hidden">{format!(" {}", row.name)}</span>
                </button>
            }
            .into_any()
        }
        (true, None) => view! { <span class="muted">"Not yet a customer"</span> }.into_any(),
        (false, Some(_)) => view! {
            <button type="button" disabled aria-describedby=reason_id.clone()>
                "Create customer" <span class="visually-hidden">{format!(" {}", row.name)}</span>
            </button>
            <span id=reason_id class="reason">{reason_text(row.reason)}</span>
        }
        .into_any(),
        (false, None) => view! {
            <span id=reason_id class="reason">{reason_text(row.reason)}</span>
        }
        .into_any(),
    }
}

fn azure_table(
    rows: Vec<AzureCustomer>,
    loading: RwSignal<bool>,
    on_create: Option<Callback<AzureCustomer>>,
) -> impl IntoView {
    view! {
        <div class="grid-scroll tall" tabindex="0" role="region" aria-labelledby="azure-title">
            <table aria-labelledby="azure-title" aria-busy=move || loading.get().to_string() data-testid="azure-grid">
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Tenant ID"</th>
                        <th scope="col">"Action"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().enumerate().map(|(index, row)| view! {
                        <tr class:cannot-create=!row.can_create>
                            <th scope="row">{row.name.clone()}</th>
                            <td><code>{row.tenant_id.clone()}</code></td>
                            <td class="action">{action_cell(&row, index, on_create)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
pub fn AzureGrid(
    credentials: StoredValue<GraphCredentials>,
    #[prop(into)] refresh: Signal<u32>,
    /// Opens the create-customer form for a row; absent without `create_customer`.
    on_create: Option<Callback<AzureCustomer>>,
) -> impl IntoView {
    let query = RwSignal::new(String::new());
    let result = RwSignal::new(None::<Result<Page<AzureCustomer>, ApiFailure>>);
    let loading = RwSignal::new(true);
    let retry = RwSignal::new(0_u32);
    let latest = StoredValue::new(0_u64);

    Effect::new(move |_| {
        let query = query.get();
        refresh.track();
        retry.track();
        latest.update_value(|request| *request += 1);
        let this_request = latest.get_value();
        loading.set(true);
        let credentials = credentials.get_value();
        spawn_local(async move {
            let answer = api::azure_customers(&credentials, &query).await;
            if latest.try_get_value() == Some(this_request) {
                result.set(Some(answer));
                loading.set(false);
            }
        });
    });

    let status = move || {
        if loading.get() {
            "Loading Azure customers from Microsoft Graph…".to_owned()
        } else {
            match result.get() {
                Some(Ok(found)) => format!(
                    "{} sub-tenant{}",
                    found.total,
                    if found.total == 1 { "" } else { "s" }
                ),
                _ => String::new(),
            }
        }
    };

    view! {
        <section class="grid-section" aria-labelledby="azure-title">
            <div class="grid-head">
                <h3 id="azure-title">"Azure customers"</h3>
            </div>
            <SearchBox id="azure-search" label="Search Azure customers by name"
                hint="Sorted by name; part of a name is enough"
                on_search=move |text| query.set(text)/>
            <p class="grid-status" role="status" data-testid="azure-status">{status}</p>
            {move || match result.get() {
                None => view! { <p class="loading-rows">"Asking Microsoft Graph for your sub-tenants…"</p> }.into_any(),
                Some(Err(failure)) => view! {
                    <div class="card problem" data-testid="azure-error">
                        <p class="error" role="alert">{failure.message()}</p>
                        <button type="button" class="secondary" on:click=move |_| retry.update(|count| *count += 1)>"Try again"</button>
                    </div>
                }.into_any(),
                Some(Ok(found)) if found.items.is_empty() => view! {
                    <p class="empty-state" data-testid="azure-empty">{move || if query.with(String::is_empty) {
                        "Your Entra tenant has no sub-tenants.".to_owned()
                    } else {
                        format!("No sub-tenant name contains “{}”.", query.get())
                    }}</p>
                }.into_any(),
                Some(Ok(found)) => azure_table(found.items, loading, on_create).into_any(),
            }}
        </section>
    }
}
