//! One technician group: its name, its members with a Remove button each, Rename, Delete and
//! Add member.

use leptos::{ev::SubmitEvent, prelude::*, task::spawn_local};
use proto::TechnicianGroup;
use uuid::Uuid;

use super::people::{Person, member_count};
use crate::{api::groups as api, components::aria_invalid};

/// What the page does for a group's button.
#[derive(Debug, Clone)]
pub enum GroupAction {
    Rename(TechnicianGroup),
    Delete(TechnicianGroup),
    Remove(TechnicianGroup, Person),
}

/// A button whose accessible name goes on in hidden words, e.g. "Remove" + " Alex from Level 1
/// techs".
fn named_button(
    words: &'static str,
    hidden: String,
    class: &'static str,
    on_click: impl Fn() + 'static,
) -> impl IntoView {
    view! {
        <button type="button" class=class on:click=move |_| on_click()>
            {words}<span class="visually-hidden">{hidden}</span>
        </button>
    }
}

fn member_item(
    group: &TechnicianGroup,
    person: Person,
    on_action: Callback<GroupAction>,
) -> impl IntoView + use<> {
    let hidden = format!(" {} from {}", person.name, group.name);
    let (group, line) = (group.clone(), person.line());
    view! {
        <li>
            <span>{line}</span>
            {named_button("Remove", hidden, "secondary small", move || {
                on_action.run(GroupAction::Remove(group.clone(), person.clone()));
            })}
        </li>
    }
}

/// Add member: a choice of the users who are not members yet; a refusal is said next to it.
#[component]
fn AddMember(
    group: TechnicianGroup,
    candidates: Vec<Person>,
    #[prop(into)] on_added: Callback<String>,
) -> impl IntoView {
    let select_id = format!("add-member-{}", group.id);
    let problem_id = format!("{select_id}-problem");
    if candidates.is_empty() {
        return view! { <p class="help">"Every user of your tenant is a member."</p> }.into_any();
    }
    let chosen = RwSignal::new(String::new());
    let refused = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let people = StoredValue::new(candidates.clone());
    let (group_id, group_name) = (group.id, group.name.clone());
    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        refused.set(None);
        let Ok(user) = chosen.get_untracked().parse::<Uuid>() else {
            refused.set(Some("Choose a user to add.".to_owned()));
            return;
        };
        if busy.get_untracked() {
            return;
        }
        let name = people.with_value(|people| {
            people
                .iter()
                .find(|person| person.id == user)
                .map(|person| person.name.clone())
                .unwrap_or_default()
        });
        let done = format!("{name} was added to {group_name}.");
        busy.set(true);
        spawn_local(async move {
            let answer = api::add_member(group_id, user).await;
            busy.set(false);
            match answer {
                Ok(()) => on_added.run(done),
                Err(failure) => refused.set(Some(
                    failure
                        .field_errors()
                        .first()
                        .map(|error| crate::api::sentence(&error.message))
                        .unwrap_or_else(|| failure.message()),
                )),
            }
        });
    };
    view! {
        <form class="add-member" on:submit=submit>
            <label for=select_id.clone()>"Add member"<span class="visually-hidden">{format!(" to {}", group.name)}</span></label>
            <select id=select_id aria-describedby=problem_id.clone()
                aria-invalid=move || aria_invalid(refused.with(Option::is_some))
                on:change=move |event| chosen.set(event_target_value(&event))>
                <option value="" prop:selected=move || chosen.with(String::is_empty)>"Choose a user…"</option>
                {candidates.into_iter().map(|person| {
                    let value = person.id.to_string();
                    let this = value.clone();
                    view! {
                        <option value=value prop:selected=move || chosen.with(|chosen| *chosen == this)>{person.line()}</option>
                    }
                }).collect_view()}
            </select>
            <button type="submit" class="secondary" disabled=move || busy.get()>
                "Add"<span class="visually-hidden">{format!(" to {}", group.name)}</span>
            </button>
            <p id=problem_id class="field-problem" role="alert">{move || refused.get()}</p>
        </form>
    }
    .into_any()
}

#[component]
pub fn GroupCard(
    group: TechnicianGroup,
    members: Vec<Person>,
    candidates: Vec<Person>,
    #[prop(into)] on_action: Callback<GroupAction>,
    #[prop(into)] on_added: Callback<String>,
) -> impl IntoView {
    let heading_id = format!("group-{}", group.id);
    let labelled_by = heading_id.clone();
    let count = member_count(members.len());
    let hidden = format!(" {}", group.name);
    let (renamed, deleted) = (group.clone(), group.clone());
    let list = if members.is_empty() {
        view! { <p class="empty-state">"No members yet."</p> }.into_any()
    } else {
        let items = members
            .into_iter()
            .map(|person| member_item(&group, person, on_action))
            .collect_view();
        view! { <ul class="members" aria-label=format!("Members of {}", group.name)>{items}</ul> }
            .into_any()
    };
    view! {
        <section class="card group" aria-labelledby=labelled_by data-testid="technician-group">
            <div class="group-head">
                <h2 id=heading_id>{group.name.clone()}</h2>
                <span class="help">{count}</span>
                <div class="row-actions">
                    {named_button("Rename", hidden.clone(), "secondary small", move || on_action.run(GroupAction::Rename(renamed.clone())))}
                    {named_button("Delete", hidden, "secondary small", move || on_action.run(GroupAction::Delete(deleted.clone())))}
                </div>
            </div>
            {list}
            <AddMember group candidates on_added/>
        </section>
    }
}
