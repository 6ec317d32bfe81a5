//! Customers (SPEC §15): the MSP's customer tenants with their URLs, active users and
//! technicians; each opens from its row, and admins delegate access to it, connect its Entra
//! directory for just-in-time accounts, or delete it. Customers are added here by hand, besides
//! from Azure on the MSP Onboarding tab.

mod delegation;
mod table;

use leptos::{prelude::*, task::spawn_local};
use leptos_router::hooks::use_navigate;
use proto::{Claim, Customer, Me, Page, Role, TenantType};

use self::{
    delegation::DelegationDialog,
    table::{RowAction, customers_table},
};
use crate::{
    api::customers::{self as api, CUSTOMERS_PER_PAGE},
    components::{
        customers::{CreateCustomerForm, DeleteCustomerDialog, focus_by_id, reseller_terms},
        outcome,
        pager::Pager,
        search::SearchBox,
    },
    session::use_session,
    visit,
};

pub const CUSTOMERS: &str = "/customers";

const SEARCH_ID: &str = "customers-page-search";

/// Whether the signed-in user sees the Customers page: an MSP's user who may view customers.
pub fn sees_customers(me: &Me) -> bool {
    matches!(
        me.tenant.tenant_type,
        TenantType::Reseller | TenantType::Distributor
    ) && me.customer_tenant.is_none()
        && me.claims.contains(&Claim::ViewCustomers)
}

/// The dialog open over the table, if any.
#[derive(Clone)]
enum Dialog {
    Create,
    Delegation(Customer),
    Delete(Customer),
}

#[component]
pub fn CustomersPage() -> impl IntoView {
    let me = use_session().signed_in();
    let allowed = me.as_ref().is_some_and(sees_customers);
    let holds = |claim| me.as_ref().is_some_and(|me| me.claims.contains(&claim));
    let may_create = allowed && holds(Claim::CreateCustomer);
    let admin = me.as_ref().is_some_and(|me| me.role == Role::Admin);
    let message = RwSignal::new(None::<Result<String, String>>);
    let dialog = RwSignal::new(None::<Dialog>);
    view! {
        <div class="page-head">
            <h1 id="customers-heading" tabindex="-1">"Customers"</h1>
            {may_create.then(|| view! {
                <button type="button" on:click=move |_| {
                    message.set(None);
                    dialog.set(Some(Dialog::Create));
                }>"Add customer"</button>
            })}
        </div>
        {if allowed {
            view! { <Customers admin message dialog/> }.into_any()
        } else {
            view! { <p class="error" role="alert">"Customers are shown to users of a reseller or distributor who have the “View customers” permission."</p> }.into_any()
        }}
    }
}

#[component]
fn Customers(
    admin: bool,
    message: RwSignal<Option<Result<String, String>>>,
    dialog: RwSignal<Option<Dialog>>,
) -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let query = RwSignal::new(String::new());
    let page = RwSignal::new(1_u64);
    let result = RwSignal::new(None::<Result<Page<Customer>, String>>);
    let loading = RwSignal::new(true);
    let refresh = RwSignal::new(0_u32);
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

    let on_action = Callback::new(move |(what, customer): (RowAction, Customer)| {
        message.set(None);
        match what {
            RowAction::Open => {
                let navigate = navigate.clone();
                let name = customer.display_name.clone();
                spawn_local(async move {
                    if let Err(failure) = visit::open(session, navigate, customer.id).await {
                        let text = if failure.status() == Some(404) {
                            format!("You may not open {name}, or it no longer exists.")
                        } else {
                            failure.message()
                        };
                        message.try_set(Some(Err(text)));
                    }
                });
            }
            RowAction::Delegation => dialog.set(Some(Dialog::Delegation(customer))),
            RowAction::Delete => dialog.set(Some(Dialog::Delete(customer))),
        }
    });
    let total = Signal::derive(move || {
        result.with(|result| match result {
            Some(Ok(found)) => found.total,
            _ => 0,
        })
    });

    view! {
        <div class="search-bar">
            <SearchBox id=SEARCH_ID label="Search customers" hint="Display name, name or a number"
                on_search=move |text: String| { query.set(text); page.set(1); }/>
            // The session cookie goes with the browser's own download.
            <a class="button secondary" href=move || api::export_url(&query.get()) download="customers.csv"
                data-testid="customers-export">"Export CSV"</a>
        </div>
        {move || message.get().map(outcome)}
        {move || match result.get() {
            None => view! { <p role="status">"Loading customers…"</p> }.into_any(),
            Some(Err(text)) => view! { <p class="error" role="alert">{text}</p> }.into_any(),
            Some(Ok(found)) if found.items.is_empty() => view! {
                <p class="empty-state" data-testid="customers-empty">{move || if query.with(String::is_empty) {
                    "There are no customers yet.".to_owned()
                } else {
                    format!("No customer matches “{}”.", query.get())
                }}</p>
            }.into_any(),
            Some(Ok(found)) => customers_table(found.items, loading.into(), admin, on_action).into_any(),
        }}
        <Pager page total per_page=CUSTOMERS_PER_PAGE label="Customers pages"/>
        {move || dialog.get().map(|open| open_dialog(open, dialog, message, refresh))}
    }
}

fn open_dialog(
    open: Dialog,
    dialog: RwSignal<Option<Dialog>>,
    message: RwSignal<Option<Result<String, String>>>,
    refresh: RwSignal<u32>,
) -> impl IntoView {
    let close = Callback::new(move |()| dialog.set(None));
    let list_again = Callback::new(move |()| refresh.update(|count| *count += 1));
    let report = move |text: String| {
        dialog.set(None);
        message.set(Some(Ok(text)));
        list_again.run(());
        // After the dialog's own clean-up, which hands focus back to a row that may be gone.
        request_animation_frame(|| focus_by_id(SEARCH_ID));
    };
    match open {
        Dialog::Create => {
            let me = use_session().signed_in();
            let terms = reseller_terms(me.as_ref(), true);
            view! { <CreateCustomerForm from_azure=None terms tenant_fields=true on_created=move |_| list_again.run(()) on_close=close/> }
                .into_any()
        }
        Dialog::Delegation(customer) => view! {
            <DelegationDialog customer on_saved=move |name| report(format!("Access delegation of {name} saved.")) on_close=close/>
        }
        .into_any(),
        Dialog::Delete(customer) => view! {
            <DeleteCustomerDialog customer on_deleted=move |name| report(format!("Deleted {name}.")) on_gone=list_again on_close=close/>
        }
        .into_any(),
    }
}
