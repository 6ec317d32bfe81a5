//! A button that puts a secret shown once (an invitation link, a token, recovery codes) on the
//! clipboard, and says whether that worked.

use leptos::{
    __reexports::wasm_bindgen_futures::JsFuture,
    prelude::*,
    task::spawn_local,
    wasm_bindgen::{JsCast, JsValue},
    web_sys::js_sys::{Function, Promise, Reflect},
};

/// `navigator.clipboard.writeText(text)`, reached by name: the web-sys bindings for the
/// clipboard are behind features this crate does not otherwise need.
async fn write_to_clipboard(text: &str) -> bool {
    let Ok(navigator) = Reflect::get(&window(), &JsValue::from_str("navigator")) else {
        return false;
    };
    let Ok(clipboard) = Reflect::get(&navigator, &JsValue::from_str("clipboard")) else {
        return false;
    };
    let Ok(write) = Reflect::get(&clipboard, &JsValue::from_str("writeText")) else {
        return false;
    };
    let Some(write) = write.dyn_ref::<Function>() else {
        return false;
    };
    let Ok(promise) = write.call1(&clipboard, &JsValue::from_str(text)) else {
        return false;
    };
    let Ok(promise) = promise.dyn_into::<Promise>() else {
        return false;
    };
    JsFuture::from(promise).await.is_ok()
}

#[component]
pub fn CopyButton(
    /// What is copied.
    text: String,
    /// The button's words, e.g. "Copy link".
    label: &'static str,
) -> impl IntoView {
    let outcome = RwSignal::new(None::<bool>);
    let text = StoredValue::new(text);
    let copy = move |_| {
        spawn_local(async move {
            let copied = write_to_clipboard(&text.get_value()).await;
            outcome.set(Some(copied));
        });
    };
    view! {
        <button type="button" class="secondary" on:click=copy>{label}</button>
        <span class="copy-outcome" role="status">{move || match outcome.get() {
            Some(true) => "Copied.",
            Some(false) => "The browser did not allow copying: select the text and copy it yourself.",
            None => "",
        }}</span>
    }
}
