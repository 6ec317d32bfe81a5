//! Access delegation (SPEC §15, admins): which of the MSP's technicians and technician groups
//! may go into one customer tenant, besides the admins who always may.

use leptos::{ev::SubmitEvent, prelude::*, task::spawn_local};
use proto::{Customer, Delegation, Role, TechnicianGroup, User};
use uuid::Uuid;

use crate::{
    api::{ApiFailure, customers as api, groups::list_groups, users::all_users},
    components::{dialog::ModalDialog, sort_by_text},
};

/// What the dialog offers, read once when it opens.
#[derive(Clone)]
struct Choices {
    technicians: Vec<User>,
    groups: Vec<TechnicianGroup>,
}

async fn load(id: Uuid) -> Result<(Choices, Delegation), ApiFailure> {
    let delegation = api::delegation(id).await?;
    let mut technicians: Vec<User> = all_users()
        .await?
        .into_iter()
        .filter(|user| user.role == Role::Technician)
        .collect();
    sort_by_text(&mut technicians, |user| user.email.to_lowercase());
    let mut groups = list_groups().await?;
    sort_by_text(&mut groups, |group| group.name.to_lowercase());
    Ok((
        Choices {
            technicians,
            groups,
        },
        delegation,
    ))
}

/// Adds or removes `id` in `chosen`.
fn toggle(chosen: &mut Vec<Uuid>, id: Uuid, on: bool) {
    chosen.retain(|held| *held != id);
    if on {
        chosen.push(id);
    }
}

fn user_line(user: &User) -> String {
    let name = user.display_name.trim();
    let mut line = if name.is_empty() || name == user.email {
        user.email.clone()
    } else {
        format!("{name} ({})", user.email)
    };
    if !user.active {
        line.push_str(" — deactivated");
    }
    line
}

fn member_count(group: &TechnicianGroup) -> String {
    match group.member_ids.len() {
        1 => "1 member".to_owned(),
        count => format!("{count} members"),
    }
}

/// One checkbox of a list, checked while `id` is in `chosen`.
fn choice(prefix: &str, id: Uuid, words: String, chosen: RwSignal<Vec<Uuid>>) -> impl IntoView {
    let control = format!("{prefix}-{id}");
    view! {
        <div class="choice">
            <input type="checkbox" id=control.clone()
                prop:checked=move || chosen.with(|chosen| chosen.contains(&id))
                on:change=move |event| {
                    let on = event_target_checked(&event);
                    chosen.update(|chosen| toggle(chosen, id, on));
                }/>
            <label for=control>{words}</label>
        </div>
    }
}

fn choices_view(
    choices: Choices,
    users: RwSignal<Vec<Uuid>>,
    groups: RwSignal<Vec<Uuid>>,
) -> impl IntoView {
    let Choices {
        technicians,
        groups: all_groups,
    } = choices;
    view! {
        <fieldset class="choices">
            <legend>"Technicians"</legend>
            {if technicians.is_empty() {
                view! { <p class="help">"Your MSP has no technicians yet."</p> }.into_any()
            } else {
                technicians.iter().map(|user| choice("delegate-user", user.id, user_line(user), users)).collect_view().into_any()
            }}
        </fieldset>
        <fieldset class="choices">
            <legend>"Technician groups"</legend>
            {if all_groups.is_empty() {
                view! { <p class="help">"Your MSP has no technician groups yet."</p> }.into_any()
            } else {
                all_groups.iter().map(|group| {
                    let words = format!("{} ({})", group.name, member_count(group));
                    choice("delegate-group", group.id, words, groups)
                }).collect_view().into_any()
            }}
        </fieldset>
    }
}

/// `on_saved` runs with the customer's display name once the server stored the delegation.
#[component]
pub fn DelegationDialog(
    customer: Customer,
    #[prop(into)] on_saved: Callback<String>,
    #[prop(into)] on_close: Callback<()>,
) -> impl IntoView {
    let Customer {
        id, display_name, ..
    } = customer;
    let display_name = StoredValue::new(display_name);
    let loaded = RwSignal::new(None::<Result<Choices, String>>);
    let users = RwSignal::new(Vec::<Uuid>::new());
    let groups = RwSignal::new(Vec::<Uuid>::new());
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);

    spawn_local(async move {
        let answer = match load(id).await {
            Ok((choices, delegation)) => {
                users.try_set(delegation.user_ids);
                groups.try_set(delegation.group_ids);
                Ok(choices)
            }
            Err(failure) if failure.status() == Some(404) => {
                Err("This customer no longer exists.".to_owned())
            }
            Err(failure) => Err(failure.message()),
        };
        loaded.try_set(Some(answer));
    });

    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() || !matches!(loaded.get_untracked(), Some(Ok(_))) {
            return;
        }
        busy.set(true);
        problem.set(None);
        let body = Delegation {
            user_ids: users.get_untracked(),
            group_ids: groups.get_untracked(),
        };
        spawn_local(async move {
            match api::save_delegation(id, &body).await {
                Ok(_) => {
                    on_saved.try_run(display_name.get_value());
                }
                Err(failure) => {
                    problem.try_set(Some(failure.message()));
                }
            }
            busy.try_set(false);
        });
    };

    view! {
        <ModalDialog labelled_by="delegation-title" on_close=on_close class="user-dialog delegation">
            <h2 id="delegation-title">{format!("Access delegation: {}", display_name.get_value())}</h2>
            <form on:submit=submit aria-labelledby="delegation-title">
                <p class="help">"Admins of your MSP may always open every customer tenant. Choose the technicians and technician groups who may open this one too."</p>
                {move || match loaded.get() {
                    None => view! { <p role="status">"Loading technicians and groups…"</p> }.into_any(),
                    Some(Err(message)) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
                    Some(Ok(choices)) => choices_view(choices, users, groups).into_any(),
                }}
                {move || problem.get().map(|text| view! { <p class="error" role="alert">{text}</p> })}
                <div class="modal-foot">
                    <button type="button" class="secondary" on:click=move |_| on_close.run(())>"Cancel"</button>
                    <button type="submit" aria-disabled=move || (busy.get() || !matches!(loaded.get(), Some(Ok(_)))).to_string()>
                        {move || if busy.get() { "Saving…" } else { "Save" }}
                    </button>
                </div>
            </form>
        </ModalDialog>
    }
}

#[cfg(test)]
mod tests {
    use super::toggle;
    use uuid::Uuid;

    #[test]
    fn a_choice_is_held_once_or_not_at_all() {
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let mut chosen = vec![a];
        toggle(&mut chosen, b, true);
        toggle(&mut chosen, b, true);
        assert_eq!(chosen, [a, b]);
        toggle(&mut chosen, a, false);
        assert_eq!(chosen, [b]);
    }
}
