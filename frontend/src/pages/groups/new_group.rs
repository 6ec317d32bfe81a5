//! New group: a name, checked here by the API's rules, then by the server (a taken name).

use domain::TechnicianGroupName;
use leptos::{ev::SubmitEvent, prelude::*, task::spawn_local};

use crate::{
    api::{groups as api, sentence},
    components::aria_invalid,
};

#[component]
pub fn NewGroupForm(
    /// Told the new group's name once created.
    #[prop(into)]
    on_created: Callback<String>,
) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let refused = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        refused.set(None);
        let typed = name.get_untracked();
        if let Err(problem) = TechnicianGroupName::parse(&typed) {
            refused.set(Some(sentence(&problem.to_string())));
            return;
        }
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let answer = api::create_group(typed).await;
            busy.set(false);
            match answer {
                Ok(group) => {
                    name.set(String::new());
                    on_created.run(group.name);
                }
                Err(failure) => refused.set(Some(
                    failure
                        .field_message("name")
                        .unwrap_or_else(|| failure.message()),
                )),
            }
        });
    };
    view! {
        <form class="card" on:submit=submit aria-labelledby="new-group-title">
            <h2 id="new-group-title">"New group"</h2>
            <label for="new-group-name">"Group name"</label>
            <input id="new-group-name" type="text" autocomplete="off" maxlength="100"
                bind:value=name on:input=move |_| refused.set(None)
                aria-invalid=move || aria_invalid(refused.with(Option::is_some))
                aria-describedby="new-group-problem"/>
            <p id="new-group-problem" class="field-problem" role="alert">{move || refused.get()}</p>
            <div class="actions">
                <button type="submit" disabled=move || busy.get()>"Create group"</button>
            </div>
        </form>
    }
}
