//! A modal dialog: shown with the browser's `showModal` (the rest of the page becomes inert),
//! Tab and Shift+Tab cycle inside it, Escape asks the owner to close it, and focus goes back to
//! whatever opened it.

use leptos::{
    __reexports::send_wrapper::SendWrapper,
    ev::KeyboardEvent,
    html,
    prelude::*,
    wasm_bindgen::JsCast,
    web_sys::{Element, HtmlDialogElement, HtmlElement},
};

/// The elements Tab reaches inside `dialog`, in document order, leaving out those of a dialog
/// opened on top of it.
fn focusable_inside(dialog: &HtmlDialogElement) -> Vec<HtmlElement> {
    let all = dialog.get_elements_by_tag_name("*");
    let own: &Element = dialog;
    (0..all.length())
        .filter_map(|index| all.item(index))
        .filter(|element| element.closest("dialog").ok().flatten().as_ref() == Some(own))
        .filter_map(|element| element.dyn_into::<HtmlElement>().ok())
        .filter(|element| {
            element.tab_index() >= 0
                && !element.has_attribute("disabled")
                && (element.offset_width() > 0 || element.offset_height() > 0)
        })
        .collect()
}

fn focused_element() -> Option<HtmlElement> {
    document()
        .active_element()
        .and_then(|element| element.dyn_into::<HtmlElement>().ok())
}

/// Keeps Tab inside the dialog: from the last control to the first and back.
fn keep_tab_inside(dialog: &HtmlDialogElement, event: &KeyboardEvent) {
    let focusable = focusable_inside(dialog);
    let (Some(first), Some(last)) = (focusable.first(), focusable.last()) else {
        event.prevent_default();
        return;
    };
    let current = focused_element();
    let inside = current
        .as_ref()
        .is_some_and(|current| focusable.contains(current));
    let target = match (event.shift_key(), current) {
        (_, _) if !inside => Some(if event.shift_key() { last } else { first }),
        (true, Some(current)) if &current == first => Some(last),
        (false, Some(current)) if &current == last => Some(first),
        _ => None,
    };
    if let Some(target) = target {
        event.prevent_default();
        let _ = target.focus();
    }
}

/// A modal dialog labelled by the element with id `labelled_by`.
#[component]
pub fn ModalDialog(
    labelled_by: &'static str,
    #[prop(into)] on_close: Callback<()>,
    #[prop(optional)] class: &'static str,
    children: Children,
) -> impl IntoView {
    let dialog = NodeRef::<html::Dialog>::new();
    let opener = SendWrapper::new(focused_element());
    Effect::new(move |_| {
        let Some(element) = dialog.get() else {
            return;
        };
        if !element.open() {
            let _ = element.show_modal();
        }
        if let Some(first) = focusable_inside(&element).first() {
            let _ = first.focus();
        }
        let element = SendWrapper::new(element);
        let opener = opener.clone();
        on_cleanup(move || {
            // Close first: while the dialog is modal the opener is inert and cannot take focus.
            element.close();
            if let Some(opener) = opener.as_ref().filter(|opener| opener.is_connected()) {
                let _ = opener.focus();
            }
        });
    });
    let on_keydown = move |event: KeyboardEvent| {
        let Some(element) = dialog.get_untracked() else {
            return;
        };
        match event.key().as_str() {
            "Escape" => {
                // Cancelling the key stops the browser from closing the dialog by itself: the
                // owner decides, and unmounts it.
                event.prevent_default();
                event.stop_propagation();
                on_close.run(());
            }
            "Tab" => {
                keep_tab_inside(&element, &event);
                event.stop_propagation();
            }
            _ => {}
        }
    };
    view! {
        <dialog node_ref=dialog class=format!("modal {class}") aria-labelledby=labelled_by on:keydown=on_keydown>
            {children()}
        </dialog>
    }
}
