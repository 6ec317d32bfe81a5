//! Teams → Technician groups (SPEC §15): admins make groups of the tenant's users, e.g. "Level 1
//! techs", rename and delete them, and add and remove members.

mod card;
mod new_group;
mod people;
mod rename;

use leptos::{prelude::*, task::spawn_local};
use proto::{Role, TechnicianGroup, User};

use self::{
    card::{GroupAction, GroupCard},
    new_group::NewGroupForm,
    people::{candidates, members},
    rename::RenameDialog,
};
use crate::{
    api::{ApiFailure, groups as api, users::all_users},
    components::{self, confirm::ConfirmDialog},
    session::use_session,
};

pub const GROUPS: &str = "/teams/groups";

/// Tells the outcome of an action above the groups and reads them again.
#[derive(Clone, Copy)]
struct Reporter {
    message: RwSignal<Option<Result<String, String>>>,
    refresh: RwSignal<u32>,
}

impl Reporter {
    fn report(self, outcome: Result<String, String>) {
        self.message.set(Some(outcome));
        self.refresh.update(|count| *count += 1);
    }

    fn after<T>(self, call: impl Future<Output = Result<T, ApiFailure>> + 'static, done: String) {
        spawn_local(async move {
            self.report(
                call.await
                    .map(|_| done)
                    .map_err(|failure| failure.message()),
            );
        });
    }
}

#[component]
pub fn GroupsPage() -> impl IntoView {
    let admin = use_session()
        .signed_in()
        .is_some_and(|me| me.role == Role::Admin);
    view! {
        <p class="breadcrumb">"Teams › Technician groups"</p>
        <h1 tabindex="-1">"Technician groups"</h1>
        {if admin {
            view! { <Groups/> }.into_any()
        } else {
            view! { <p class="error" role="alert">"Only admins see and manage technician groups."</p> }.into_any()
        }}
    }
}

#[component]
fn Groups() -> impl IntoView {
    let groups = RwSignal::new(None::<Result<Vec<TechnicianGroup>, String>>);
    let users = RwSignal::new(Vec::<User>::new());
    let users_problem = RwSignal::new(None::<String>);
    let reporter = Reporter {
        message: RwSignal::new(None),
        refresh: RwSignal::new(0),
    };
    let dialog = RwSignal::new(None::<GroupAction>);

    spawn_local(async move {
        match all_users().await {
            Ok(found) => users.set(found),
            Err(failure) => users_problem.set(Some(format!(
                "The users could not be listed: {}",
                failure.message()
            ))),
        }
    });
    Effect::new(move |_| {
        reporter.refresh.track();
        spawn_local(async move {
            let answer = api::list_groups()
                .await
                .map_err(|failure| failure.message());
            groups.try_set(Some(answer));
        });
    });

    let close = Callback::new(move |()| dialog.set(None));
    let on_added = Callback::new(move |done: String| reporter.report(Ok(done)));
    let on_action = Callback::new(move |action: GroupAction| {
        reporter.message.set(None);
        match action {
            GroupAction::Remove(group, person) => reporter.after(
                api::remove_member(group.id, person.id),
                format!("{} was removed from {}.", person.name, group.name),
            ),
            open => dialog.set(Some(open)),
        }
    });
    let cards = move || {
        let listed = groups.get()?;
        Some(match listed {
            Err(message) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
            Ok(listed) if listed.is_empty() => {
                view! { <p class="empty-state">"No technician groups yet."</p> }.into_any()
            }
            Ok(listed) => users.with(|users| {
                listed
                    .into_iter()
                    .map(|group| {
                        let (members, candidates) = (
                            members(&group.member_ids, users),
                            candidates(&group.member_ids, users),
                        );
                        view! { <GroupCard group members candidates on_action on_added/> }
                    })
                    .collect_view()
                    .into_any()
            }),
        })
    };

    view! {
        <p class="help">"Groups of technicians, e.g. Level 1 techs, to let into customer tenants together."</p>
        <NewGroupForm on_created=move |name| reporter.report(Ok(format!("{name} was created.")))/>
        {move || reporter.message.get().map(components::outcome)}
        {move || users_problem.get().map(|text| view! { <p class="error" role="alert">{text}</p> })}
        {move || if groups.with(Option::is_none) {
            Some(view! { <p role="status">"Loading technician groups…"</p> })
        } else {
            None
        }}
        {cards}
        {move || dialog.get().map(|open| open_dialog(open, reporter, close))}
    }
}

fn open_dialog(open: GroupAction, reporter: Reporter, close: Callback<()>) -> AnyView {
    match open {
        GroupAction::Rename(group) => view! {
            <RenameDialog group on_renamed=move |done| { close.run(()); reporter.report(Ok(done)); } on_close=close/>
        }
        .into_any(),
        GroupAction::Delete(group) => {
            let done = format!("{} was deleted.", group.name);
            let confirm = move |()| {
                close.run(());
                reporter.after(api::delete_group(group.id), done.clone());
            };
            view! {
                <ConfirmDialog title=format!("Delete {}?", group.name)
                    text="The group is removed for good; its members keep their accounts.".to_owned()
                    confirm_label="Delete group" on_confirm=confirm on_cancel=close/>
            }
            .into_any()
        }
        GroupAction::Remove(..) => ().into_any(),
    }
}
