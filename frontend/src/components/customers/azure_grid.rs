//! The Azure customers grid (SPEC §6): the reseller's CSP sub-tenants from Microsoft Graph, in
//! the server's alphabetical order, searched by name, each with Create customer or the reason
//! it cannot be created, the existing customer it most likely is, and a checkbox to create many
//! at once; with Show new sub-tenants on, what is new or renamed in Azure. What is done from the
//! customer list changes the rows in place rather than listing again (see `azure_rows`).

use domain::ResellerTerms;
use leptos::{prelude::*, task::spawn_local};
use proto::{AzureCustomer, AzureCustomerBlock, Customer, Page};

use super::{
    GraphCredentials,
    azure_match::{MatchRefusals, match_note, source_label},
    azure_news::{NewSubTenantsSwitch, RenameOutcomes, new_badge, rename_note},
    azure_rows::{self, KnownCustomer, RowChange},
    bulk_create::BulkCreateForm,
};
use crate::api::{ApiFailure, customers as api};
use crate::components::search::SearchBox;

/// The tenant IDs of the rows ticked for a bulk create.
type Selection = RwSignal<Vec<String>>;

/// The grid's latest listing, held by the customer list so that a customer created from its form
/// changes the rows in place.
#[derive(Clone, Copy, Default)]
pub struct AzureListing(RwSignal<Option<Result<Page<AzureCustomer>, ApiFailure>>>);

impl AzureListing {
    pub fn change(self, changes: &[RowChange]) {
        self.0.update(|listing| {
            if let Some(Ok(found)) = listing {
                for change in changes {
                    azure_rows::apply(&mut found.items, change);
                }
            }
        });
    }
}

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

fn select_cell(row: &AzureCustomer, selection: Selection) -> AnyView {
    if !row.can_create {
        return view! { <td></td> }.into_any();
    }
    let tenant_id = row.tenant_id.clone();
    let checked = {
        let tenant_id = tenant_id.clone();
        move || selection.with(|chosen| chosen.contains(&tenant_id))
    };
    view! {
        <td class="select">
            <input type="checkbox" aria-label=format!("Select {}", row.name) prop:checked=checked
                on:change=move |event| {
                    let on = event_target_checked(&event);
                    selection.update(|chosen| {
                        chosen.retain(|id| id != &tenant_id);
                        if on {
                            chosen.push(tenant_id.clone());
                        }
                    });
                }/>
        </td>
    }
    .into_any()
}

/// What the table needs besides its rows.
#[derive(Clone, Copy)]
struct TableWiring {
    loading: RwSignal<bool>,
    on_create: Option<Callback<AzureCustomer>>,
    /// Present for those who may create customers: bulk selection, Link, Not this one and
    /// Rename customer.
    selection: Option<Selection>,
    refusals: MatchRefusals,
    renames: RenameOutcomes,
    on_decided: Callback<RowChange>,
}

fn azure_table(rows: Vec<AzureCustomer>, wiring: TableWiring) -> impl IntoView {
    let TableWiring {
        loading,
        on_create,
        selection,
        refusals,
        renames,
        on_decided,
    } = wiring;
    let may_decide = selection.is_some().then_some(on_decided);
    view! {
        <div class="grid-scroll tall" tabindex="0" role="region" aria-labelledby="azure-title">
            <table aria-labelledby="azure-title" aria-busy=move || loading.get().to_string() data-testid="azure-grid">
                <thead>
                    <tr>
                        {selection.map(|_| view! { <th scope="col"><span class="visually-hidden">"Select"</span></th> })}
                        <th scope="col">"Name"</th>
                        <th scope="col">"Tenant ID"</th>
                        <th scope="col">"Action"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().enumerate().map(|(index, row)| view! {
                        <tr class:cannot-create=!row.can_create>
                            {selection.map(|selection| select_cell(&row, selection))}
                            <th scope="row">{row.name.clone()}{new_badge(&row)}</th>
                            <td><code>{row.tenant_id.clone()}</code>" "{source_label(row.source)}</td>
                            <td class="action">
                                {action_cell(&row, index, on_create)}
                                {match_note(&row, index, refusals, may_decide)}
                                {rename_note(&row, index, renames, may_decide)}
                            </td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// The rows of the listing that can be created, and those of them ticked.
fn creatable_rows(
    listing: AzureListing,
    selection: Selection,
) -> (Vec<AzureCustomer>, Vec<AzureCustomer>) {
    let creatable: Vec<AzureCustomer> = listing.0.with(|result| match result {
        Some(Ok(found)) => found
            .items
            .iter()
            .filter(|row| row.can_create)
            .cloned()
            .collect(),
        _ => Vec::new(),
    });
    let chosen = selection.with(|chosen| {
        creatable
            .iter()
            .filter(|row| chosen.contains(&row.tenant_id))
            .cloned()
            .collect()
    });
    (creatable, chosen)
}

/// "Select all creatable" and, once a row is ticked, "Create N customers".
fn bulk_bar(
    listing: AzureListing,
    selection: Selection,
    bulk_open: RwSignal<Option<Vec<AzureCustomer>>>,
) -> impl IntoView {
    let rows = Memo::new(move |_| creatable_rows(listing, selection));
    let all_chosen = move || {
        rows.with(|(creatable, chosen)| !creatable.is_empty() && creatable.len() == chosen.len())
    };
    let chosen_count = move || rows.with(|(_, chosen)| chosen.len());
    view! {
        <div class="bulk-bar">
            <div class="choice">
                <input type="checkbox" id="azure-select-all" prop:checked=all_chosen
                    disabled=move || rows.with(|(creatable, _)| creatable.is_empty())
                    on:change=move |event| {
                        let ids = if event_target_checked(&event) {
                            rows.with_untracked(|(creatable, _)| creatable.iter().map(|row| row.tenant_id.clone()).collect())
                        } else {
                            Vec::new()
                        };
                        selection.set(ids);
                    }/>
                <label for="azure-select-all">"Select all creatable"</label>
            </div>
            {move || (chosen_count() > 0).then(|| {
                let count = chosen_count();
                view! {
                    <button type="button" on:click=move |_| {
                        bulk_open.set(Some(rows.with_untracked(|(_, chosen)| chosen.clone())));
                        selection.set(Vec::new());
                    }>{format!("Create {count} customer{}", if count == 1 { "" } else { "s" })}</button>
                }
            })}
        </div>
    }
}

#[component]
pub fn AzureGrid(
    credentials: StoredValue<GraphCredentials>,
    /// The rows, which the customer list changes when a customer is created from its form.
    listing: AzureListing,
    /// Changes when the sub-tenants must be listed again (a customer was deleted).
    #[prop(into)]
    relist: Signal<u32>,
    /// Opens the create-customer form for a row; absent without `create_customer`.
    on_create: Option<Callback<AzureCustomer>>,
    #[prop(into)] terms: Signal<ResellerTerms>,
    /// Customers were created, linked or renamed here: the Customers grid should ask again.
    #[prop(into)]
    on_changed: Callback<()>,
) -> impl IntoView {
    let selection = on_create.map(|_| RwSignal::new(Vec::<String>::new()));
    let refusals: MatchRefusals = RwSignal::new(Vec::new());
    let renames: RenameOutcomes = RwSignal::new(Vec::new());
    let bulk_open = RwSignal::new(None::<Vec<AzureCustomer>>);
    let query = RwSignal::new(String::new());
    let result = listing.0;
    let loading = RwSignal::new(true);
    let retry = RwSignal::new(0_u32);
    let latest = StoredValue::new(0_u64);

    Effect::new(move |_| {
        let query = query.get();
        relist.track();
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

    let on_decided = Callback::new(move |change: RowChange| {
        listing.change(&[change]);
        on_changed.run(());
    });
    let on_bulk_created = Callback::new(move |made: Vec<Customer>| {
        let changes: Vec<RowChange> = made
            .iter()
            .map(|customer| RowChange::Customer(KnownCustomer::from(customer)))
            .collect();
        listing.change(&changes);
        on_changed.run(());
    });
    let list_again = Callback::new(move |()| retry.update(|count| *count += 1));

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
                <NewSubTenantsSwitch on_saved=list_again/>
            </div>
            <SearchBox id="azure-search" label="Search Azure customers by name"
                hint="Sorted by name; part of a name is enough"
                on_search=move |text| query.set(text)/>
            <p class="grid-status" role="status" data-testid="azure-status">{status}</p>
            {selection.map(|selection| bulk_bar(listing, selection, bulk_open))}
            {move || match result.get() {
                None => view! { <p class="loading-rows">"Asking Microsoft Graph for your sub-tenants…"</p> }.into_any(),
                Some(Err(failure)) => view! {
                    <div class="card problem" data-testid="azure-error">
                        <p class="error" role="alert">{failure.message()}</p>
                        <button type="button" class="secondary" on:click=move |_| list_again.run(())>"Try again"</button>
                    </div>
                }.into_any(),
                Some(Ok(found)) if found.items.is_empty() => view! {
                    <p class="empty-state" data-testid="azure-empty">{move || if query.with(String::is_empty) {
                        "Your Entra tenant has no sub-tenants.".to_owned()
                    } else {
                        format!("No sub-tenant name contains “{}”.", query.get())
                    }}</p>
                }.into_any(),
                Some(Ok(found)) => azure_table(found.items, TableWiring { loading, on_create, selection, refusals, renames, on_decided }).into_any(),
            }}
            {move || bulk_open.get().map(|rows| view! {
                <BulkCreateForm rows terms on_created=on_bulk_created on_close=move |()| bulk_open.set(None)/>
            })}
        </section>
    }
}
