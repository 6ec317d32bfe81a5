//! A search box that asks the server only once the user pauses typing.

use std::time::Duration;

use leptos::{ev::SubmitEvent, prelude::*};

/// How long typing must pause before a search is sent.
const PAUSE: Duration = Duration::from_millis(300);

#[component]
pub fn SearchBox(
    id: &'static str,
    label: &'static str,
    hint: &'static str,
    #[prop(into)] on_search: Callback<String>,
) -> impl IntoView {
    let text = RwSignal::new(String::new());
    // Each keystroke supersedes the pending search of the one before.
    let typed = StoredValue::new(0_u64);
    let hint_id = format!("{id}-hint");
    let on_input = move |event| {
        let value = event_target_value(&event);
        text.set(value.clone());
        typed.update_value(|count| *count += 1);
        let this_keystroke = typed.get_value();
        set_timeout(
            move || {
                if typed.try_get_value() == Some(this_keystroke) {
                    on_search.run(value);
                }
            },
            PAUSE,
        );
    };
    // Enter searches at once.
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        typed.update_value(|count| *count += 1);
        on_search.run(text.get_untracked());
    };
    view! {
        <form class="grid-search" role="search" aria-label=label on:submit=on_submit>
            <label for=id>{label}</label>
            <input id=id type="search" autocomplete="off" aria-describedby=hint_id.clone()
                prop:value=text on:input=on_input/>
            <span id=hint_id class="help">{hint}</span>
        </form>
    }
}
