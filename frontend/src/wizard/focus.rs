//! Keeps keyboard focus inside the wizard: its panel plus the real control the step points at,
//! so a keyboard user can act on the page without wandering behind the backdrop.

use leptos::{
    prelude::document,
    wasm_bindgen::JsCast,
    web_sys::{Element, HtmlElement, KeyboardEvent},
};

pub const PANEL_ID: &str = "wizard-panel";
pub const TITLE_ID: &str = "wizard-title";
/// The class the pages put on the control the wizard points at.
pub const SPOTLIGHT_CLASS: &str = "spotlit";

fn is_focusable(element: &Element) -> bool {
    let disabled = element.has_attribute("disabled");
    match element.tag_name().as_str() {
        "A" => element.has_attribute("href"),
        "BUTTON" | "SELECT" | "TEXTAREA" => !disabled,
        "INPUT" => !disabled && element.get_attribute("type").as_deref() != Some("hidden"),
        _ => element
            .get_attribute("tabindex")
            .and_then(|index| index.parse::<i32>().ok())
            .is_some_and(|index| index >= 0),
    }
}

fn collect_focusable(root: &Element, into: &mut Vec<HtmlElement>) {
    if is_focusable(root)
        && let Some(element) = root.dyn_ref::<HtmlElement>()
    {
        into.push(element.clone());
    }
    let children = root.children();
    for index in 0..children.length() {
        if let Some(child) = children.item(index) {
            collect_focusable(&child, into);
        }
    }
}

/// The controls a Tab may reach while the wizard is open, in page order then the panel's.
fn trapped_controls() -> Vec<HtmlElement> {
    let document = document();
    let mut controls = Vec::new();
    let spotlit = document.get_elements_by_class_name(SPOTLIGHT_CLASS);
    for index in 0..spotlit.length() {
        if let Some(element) = spotlit.item(index) {
            collect_focusable(&element, &mut controls);
        }
    }
    if let Some(panel) = document.get_element_by_id(PANEL_ID) {
        collect_focusable(&panel, &mut controls);
    }
    controls
}

/// Moves focus to the next (or, with Shift, previous) trapped control, wrapping around.
pub fn keep_tab_inside(event: &KeyboardEvent) {
    if event.key() != "Tab" || document().get_element_by_id(PANEL_ID).is_none() {
        return;
    }
    let controls = trapped_controls();
    if controls.is_empty() {
        return;
    }
    event.prevent_default();
    let active = document().active_element();
    let position = controls
        .iter()
        .position(|control| active.as_ref() == Some(control.unchecked_ref::<Element>()));
    let count = controls.len();
    let target = match (position, event.shift_key()) {
        (None, false) => 0,
        (None, true) => count - 1,
        (Some(at), false) => (at + 1) % count,
        (Some(at), true) => (at + count - 1) % count,
    };
    if let Some(control) = controls.get(target) {
        let _ = control.focus();
    }
}

/// Puts focus on the panel's title, so a screen reader reads the new step.
pub fn focus_title() {
    if let Some(title) = document()
        .get_element_by_id(TITLE_ID)
        .and_then(|element| element.dyn_into::<HtmlElement>().ok())
    {
        let _ = title.focus();
    }
}

/// The element with focus, unless that is just the page's body.
pub fn focused_element() -> Option<HtmlElement> {
    let document = document();
    let body = document.body();
    document
        .active_element()
        .and_then(|element| element.dyn_into::<HtmlElement>().ok())
        .filter(|element| Some(element) != body.as_ref())
}

/// Gives focus back to where it was before the wizard opened, or to the page's heading.
pub fn restore(previous: Option<HtmlElement>) {
    let target = previous
        .filter(|element| element.is_connected())
        .or_else(|| {
            document()
                .query_selector("main h1")
                .ok()
                .flatten()
                .and_then(|element| element.dyn_into::<HtmlElement>().ok())
        });
    if let Some(element) = target {
        let _ = element.focus();
    }
}
