//! A modal question before something that cannot be undone, e.g. deleting a user.

use leptos::prelude::*;

use crate::components::dialog::ModalDialog;

#[component]
pub fn ConfirmDialog(
    title: String,
    text: String,
    confirm_label: &'static str,
    #[prop(into)] on_confirm: Callback<()>,
    #[prop(into)] on_cancel: Callback<()>,
) -> impl IntoView {
    view! {
        <ModalDialog labelled_by="confirm-title" on_close=on_cancel class="confirm">
            <h2 id="confirm-title">{title}</h2>
            <p>{text}</p>
            <div class="modal-foot">
                <button type="button" class="secondary" on:click=move |_| on_cancel.run(())>"Cancel"</button>
                <button type="button" class="danger" on:click=move |_| on_confirm.run(())>{confirm_label}</button>
            </div>
        </ModalDialog>
    }
}
