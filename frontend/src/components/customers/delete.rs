//! Deleting a customer tenant (SPEC §15): a dialog that says what goes and asks for the
//! customer's name to be typed before the Delete customer button works.

use leptos::{ev::SubmitEvent, prelude::*, task::spawn_local};
use proto::Customer;

use crate::{api::customers as api, components::dialog::ModalDialog};

/// Whether `typed` confirms the deletion of the customer called `name`: the exact name, with
/// spaces around it forgiven.
pub fn confirms(typed: &str, name: &str) -> bool {
    let typed = typed.trim();
    !typed.is_empty() && typed == name.trim()
}

/// Asks for `customer`'s name, then deletes it. `on_deleted` runs once the server removed it,
/// with its name; `on_gone` when the server says it no longer exists, so the grid can ask again.
#[component]
pub fn DeleteCustomerDialog(
    customer: Customer,
    #[prop(into)] on_deleted: Callback<String>,
    #[prop(into)] on_gone: Callback<()>,
    #[prop(into)] on_close: Callback<()>,
) -> impl IntoView {
    let Customer { id, name, .. } = customer;
    let name = StoredValue::new(name);
    let typed = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    // After a 404 there is nothing left to delete.
    let gone = RwSignal::new(false);
    let confirmed =
        Memo::new(move |_| typed.with(|typed| name.with_value(|name| confirms(typed, name))));
    let blocked = move || !confirmed.get() || busy.get() || gone.get();

    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        if !confirmed.get_untracked() || busy.get_untracked() || gone.get_untracked() {
            return;
        }
        busy.set(true);
        problem.set(None);
        let deleted = name.get_value();
        // The dialog may be cancelled while the call runs: its signals are then only tried.
        spawn_local(async move {
            match api::delete_customer(id).await {
                Ok(()) => {
                    on_deleted.try_run(deleted);
                }
                Err(failure) if failure.status() == Some(404) => {
                    gone.try_set(true);
                    problem.try_set(Some("This customer no longer exists.".to_owned()));
                    on_gone.try_run(());
                }
                Err(failure) => {
                    problem.try_set(Some(failure.message()));
                }
            }
            busy.try_set(false);
        });
    };

    view! {
        <ModalDialog labelled_by="delete-customer-title" on_close=on_close class="confirm delete-customer">
            <h2 id="delete-customer-title">{format!("Delete {}?", name.get_value())}</h2>
            <form on:submit=submit>
                <p>"This cannot be undone. It removes for good:"</p>
                <ul>
                    <li>"the customer and its users, with their sessions and tokens"</li>
                    <li>"its licence key and the key’s activations"</li>
                    <li>"its group policy assignments"</li>
                    <li>"its settings, such as its sign-in setup"</li>
                </ul>
                <p class="help">"Your audit log keeps a record of the deletion."</p>
                <label for="delete-customer-name">
                    "To confirm, type the customer’s name: " <strong class="typed-name">{name.get_value()}</strong>
                </label>
                <input id="delete-customer-name" type="text" autocomplete="off" spellcheck="false"
                    prop:value=typed on:input=move |event| typed.set(event_target_value(&event))/>
                {move || problem.get().map(|text| view! { <p class="error" role="alert">{text}</p> })}
                <div class="modal-foot">
                    <button type="button" class="secondary" on:click=move |_| on_close.run(())>"Cancel"</button>
                    <button type="submit" class="danger" disabled=blocked>
                        {move || if busy.get() { "Deleting…" } else { "Delete customer" }}
                    </button>
                </div>
            </form>
        </ModalDialog>
    }
}

#[cfg(test)]
mod tests {
    use super::confirms;

    #[test]
    fn only_the_exact_name_confirms_a_deletion() {
        let name = "Delete Me Bakery";
        let cases = [
            ("Delete Me Bakery", true),
            ("  Delete Me Bakery ", true),
            ("delete me bakery", false),
            ("Delete Me", false),
            ("Delete  Me Bakery", false),
            ("Delete Me Bakery!", false),
            ("", false),
            ("   ", false),
        ];
        for (typed, confirmed) in cases {
            assert_eq!(confirms(typed, name), confirmed, "{typed:?}");
        }
    }
}
