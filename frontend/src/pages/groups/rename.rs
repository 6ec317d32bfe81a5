//! Renaming a technician group in a dialog; a refused name is said next to the field.

use domain::TechnicianGroupName;
use leptos::{ev::SubmitEvent, prelude::*, task::spawn_local};
use proto::TechnicianGroup;

use crate::{
    api::{groups as api, sentence},
    components::{aria_invalid, dialog::ModalDialog},
};

#[component]
pub fn RenameDialog(
    group: TechnicianGroup,
    /// Told "Old was renamed New." once saved.
    #[prop(into)]
    on_renamed: Callback<String>,
    #[prop(into)] on_close: Callback<()>,
) -> impl IntoView {
    let name = RwSignal::new(group.name.clone());
    let refused = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let (id, old) = (group.id, group.name.clone());
    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        refused.set(None);
        let typed = name.get_untracked();
        if let Err(problem) = TechnicianGroupName::parse(&typed) {
            refused.set(Some(sentence(&problem.to_string())));
            return;
        }
        if typed.trim() == old || busy.get_untracked() {
            if typed.trim() == old {
                on_close.run(());
            }
            return;
        }
        busy.set(true);
        let old = old.clone();
        spawn_local(async move {
            let answer = api::rename_group(id, typed).await;
            busy.set(false);
            match answer {
                Ok(renamed) => on_renamed.run(format!("{old} was renamed {}.", renamed.name)),
                Err(failure) => refused.set(Some(
                    failure
                        .field_message("name")
                        .unwrap_or_else(|| failure.message()),
                )),
            }
        });
    };
    view! {
        <ModalDialog labelled_by="rename-group-title" on_close class="user-dialog">
            <form on:submit=submit>
                <div class="modal-head">
                    <h2 id="rename-group-title">{format!("Rename {}", group.name)}</h2>
                    <button type="button" class="secondary" on:click=move |_| on_close.run(())>"Cancel"</button>
                </div>
                <div class="field" class:invalid=move || refused.with(Option::is_some)>
                    <label for="rename-group-name">"New name"</label>
                    <input id="rename-group-name" type="text" autocomplete="off" maxlength="100" required
                        bind:value=name aria-describedby="rename-group-problem"
                        aria-invalid=move || aria_invalid(refused.with(Option::is_some))/>
                    <p id="rename-group-problem" class="field-error" role="alert">{move || refused.get()}</p>
                </div>
                <div class="modal-foot">
                    <button type="submit" disabled=move || busy.get()>"Save name"</button>
                </div>
            </form>
        </ModalDialog>
    }
}
