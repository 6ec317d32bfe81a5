//! The Customers table: one row per customer tenant, with its URL, its counts and an actions
//! (…) menu.

use leptos::{ev::FocusEvent, prelude::*, wasm_bindgen::JsCast, web_sys::Node};
use proto::Customer;
use uuid::Uuid;

use crate::{components::customers::focus_by_id, pages::customer_entra::customer_entra_path};

/// What can be done to a listed customer tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowAction {
    Open,
    Delegation,
    Delete,
}

fn toggle_id(id: Uuid) -> String {
    format!("customer-actions-{id}")
}

/// Whether focus moved to somewhere outside the element the event's handler sits on.
fn focus_left(event: &FocusEvent) -> bool {
    let container = event
        .current_target()
        .and_then(|target| target.dyn_into::<Node>().ok());
    let next = event
        .related_target()
        .and_then(|target| target.dyn_into::<Node>().ok());
    match (container, next) {
        (Some(container), Some(next)) => !container.contains(Some(&next)),
        _ => true,
    }
}

/// One item of the menu, whose accessible name ends with the customer's display name.
fn item(
    words: &'static str,
    customer: &Customer,
    what: RowAction,
    choose: Callback<(RowAction, Customer)>,
) -> impl IntoView + use<> {
    let target = customer.clone();
    let class = if what == RowAction::Delete {
        "menu-item danger-text"
    } else {
        "menu-item"
    };
    view! {
        <li><button type="button" class=class on:click=move |_| choose.run((what, target.clone()))>
            {words} <span class="visually-hidden">{format!(" {}", customer.display_name)}</span>
        </button></li>
    }
}

/// A disclosure: the "…" button shows a list of action buttons under it; Escape or leaving it
/// closes it again.
fn actions_menu(
    customer: &Customer,
    admin: bool,
    open_menu: RwSignal<Option<Uuid>>,
    on_action: Callback<(RowAction, Customer)>,
) -> impl IntoView + use<> {
    let id = customer.id;
    let toggle = toggle_id(id);
    let list_id = format!("customer-actions-list-{id}");
    let is_open = move || open_menu.get() == Some(id);
    let choose = Callback::new(move |(what, customer): (RowAction, Customer)| {
        open_menu.set(None);
        // The chosen item is about to be hidden: the toggle keeps focus, and a dialog opened
        // now gives focus back to it.
        focus_by_id(&toggle_id(id));
        on_action.run((what, customer));
    });
    let on_keydown = {
        let toggle = toggle.clone();
        move |event: leptos::ev::KeyboardEvent| {
            if event.key() == "Escape" && open_menu.try_get_untracked() == Some(Some(id)) {
                event.prevent_default();
                open_menu.set(None);
                focus_by_id(&toggle);
            }
        }
    };
    // Also fired while the table is taken down (e.g. after Open), when the signal is gone.
    let on_focusout = move |event: FocusEvent| {
        if focus_left(&event) && open_menu.try_get_untracked() == Some(Some(id)) {
            open_menu.try_set(None);
        }
    };
    view! {
        <div class="menu" on:keydown=on_keydown on:focusout=on_focusout>
            <button type="button" id=toggle class="secondary small menu-toggle"
                aria-expanded=move || is_open().to_string() aria-controls=list_id.clone()
                on:click=move |_| open_menu.update(|open| {
                    *open = if *open == Some(id) { None } else { Some(id) };
                })>
                <span aria-hidden="true">"…"</span>
                <span class="visually-hidden">{format!("Actions for {}", customer.display_name)}</span>
            </button>
            <ul id=list_id class="menu-list" hidden=move || !is_open()>
                {item("Open", customer, RowAction::Open, choose)}
                {admin.then(|| item("Access delegation", customer, RowAction::Delegation, choose))}
                {admin.then(|| view! {
                    <li><a class="menu-item" href=customer_entra_path(id)>
                        "Entra ID for just-in-time accounts" <span class="visually-hidden">{format!(" {}", customer.display_name)}</span>
                    </a></li>
                })}
                {admin.then(|| item("Delete", customer, RowAction::Delete, choose))}
            </ul>
        </div>
    }
}

fn customer_row(
    customer: Customer,
    admin: bool,
    open_menu: RwSignal<Option<Uuid>>,
    on_action: Callback<(RowAction, Customer)>,
) -> impl IntoView {
    let menu = actions_menu(&customer, admin, open_menu, on_action);
    view! {
        <tr>
            <th scope="row">{customer.display_name.clone()}</th>
            <td><a href=customer.url.clone()>{customer.url.clone()}</a></td>
            <td class="number">{customer.active_users}</td>
            <td class="number">{customer.technicians}</td>
            <td class="action">{menu}</td>
        </tr>
    }
}

/// `admin`: whether the rows offer Access delegation and Delete besides Open.
pub fn customers_table(
    customers: Vec<Customer>,
    loading: Signal<bool>,
    admin: bool,
    on_action: Callback<(RowAction, Customer)>,
) -> impl IntoView {
    let open_menu = RwSignal::new(None::<Uuid>);
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-labelledby="customers-heading">
            <table aria-labelledby="customers-heading" aria-busy=move || loading.get().to_string() data-testid="customers-table">
                <thead><tr>
                    <th scope="col">"Display name"</th>
                    <th scope="col">"URL"</th>
                    <th scope="col" class="number">"Active users"</th>
                    <th scope="col" class="number">"Technicians"</th>
                    <th scope="col">"Actions"</th>
                </tr></thead>
                <tbody>
                    {customers.into_iter().map(|customer| customer_row(customer, admin, open_menu, on_action)).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
