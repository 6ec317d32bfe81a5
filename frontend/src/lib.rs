//! The MSP Onboarding web app: a Leptos client-side-rendered single-page app that talks only to
//! the documented REST API. The access token lives in an HttpOnly cookie the API sets; the app
//! never sees or stores it.

mod address;
mod api;
mod app;
mod components;
mod lazy_pages;
mod pages;
mod session;
mod visit;
mod wizard;

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
