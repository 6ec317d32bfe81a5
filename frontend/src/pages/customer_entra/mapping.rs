//! The role mapping's part of the form: one set of Entra built-in roles for **All admins**, or a
//! set per technician group (rows to add and remove, several roles each), each a multiple choice.

use leptos::{ev::Event, prelude::*, web_sys::HtmlSelectElement};
use proto::{EntraRole, RoleMappingMode, RoleMappingSettings, TechnicianGroup};
use uuid::Uuid;

use super::rules::{GroupRow, mapping_to_send};

/// The role mapping as it is being edited.
#[derive(Clone, Copy)]
pub struct MappingDraft {
    pub per_group: RwSignal<bool>,
    pub all_admins: RwSignal<Vec<Uuid>>,
    pub rows: RwSignal<Vec<GroupRow>>,
    next_key: StoredValue<u32>,
}

impl MappingDraft {
    /// The saved mapping, with one empty row to fill in when no group is mapped yet.
    pub fn of(saved: Option<&RoleMappingSettings>) -> Self {
        let per_group = saved.is_some_and(|saved| saved.mode == RoleMappingMode::PerGroup);
        let all_admins = saved
            .filter(|saved| saved.mode == RoleMappingMode::AllAdmins)
            .map(|saved| saved.all_admins.clone())
            .unwrap_or_default();
        let mut rows: Vec<GroupRow> = saved
            .filter(|saved| saved.mode == RoleMappingMode::PerGroup)
            .map(|saved| {
                (0..)
                    .zip(&saved.groups)
                    .map(|(key, group)| GroupRow {
                        key,
                        group: Some(group.group_id),
                        roles: group.roles.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        if rows.is_empty() {
            rows.push(GroupRow {
                key: 0,
                group: None,
                roles: Vec::new(),
            });
        }
        let next_key = u32::try_from(rows.len()).unwrap_or(u32::MAX);
        Self {
            per_group: RwSignal::new(per_group),
            all_admins: RwSignal::new(all_admins),
            rows: RwSignal::new(rows),
            next_key: StoredValue::new(next_key),
        }
    }

    pub fn to_send(self) -> Result<Option<RoleMappingSettings>, String> {
        let per_group = self.per_group.get_untracked();
        self.all_admins.with_untracked(|all_admins| {
            self.rows
                .with_untracked(|rows| mapping_to_send(per_group, all_admins, rows))
        })
    }

    fn add_row(self) {
        let key = self.next_key.get_value();
        self.next_key.set_value(key.saturating_add(1));
        self.rows.update(|rows| {
            rows.push(GroupRow {
                key,
                group: None,
                roles: Vec::new(),
            });
        });
    }

    fn change_row(self, key: u32, change: impl FnOnce(&mut GroupRow)) {
        self.rows.update(|rows| {
            if let Some(row) = rows.iter_mut().find(|row| row.key == key) {
                change(row);
            }
        });
    }

    /// The row's number as the admin sees it, counting from 1.
    fn number(self, key: u32) -> usize {
        self.rows
            .with(|rows| rows.iter().position(|row| row.key == key))
            .map_or(0, |position| position + 1)
    }
}

/// The IDs of the options chosen in the `<select>` an event came from.
fn chosen_ids(event: &Event) -> Vec<Uuid> {
    let select: HtmlSelectElement = event_target(event);
    let options = select.selected_options();
    (0..options.length())
        .filter_map(|index| options.item(index))
        .filter_map(|option| option.get_attribute("value"))
        .filter_map(|value| Uuid::parse_str(&value).ok())
        .collect()
}

/// A multiple choice of roles, `chosen` kept in step with it.
fn roles_select<F: Fn(Vec<Uuid>) + 'static>(
    id: String,
    described_by: &'static str,
    roles: &[EntraRole],
    chosen: Signal<Vec<Uuid>>,
    on_choose: F,
) -> impl IntoView + use<F> {
    let options = roles
        .iter()
        .map(|role| {
            let value = role.id;
            view! {
                <option value=value.to_string() title=role.description.clone()
                    prop:selected=move || chosen.with(|chosen| chosen.contains(&value))>
                    {role.display_name.clone()}
                </option>
            }
        })
        .collect_view();
    view! {
        <select id=id multiple size="8" class="roles" aria-describedby=described_by
            on:change=move |event| on_choose(chosen_ids(&event))>
            {options}
        </select>
    }
}

fn group_row(
    key: u32,
    draft: MappingDraft,
    roles: StoredValue<Vec<EntraRole>>,
    groups: StoredValue<Vec<TechnicianGroup>>,
) -> impl IntoView {
    let group_id = format!("mapping-group-{key}");
    let roles_id = format!("mapping-roles-{key}");
    let current = move || {
        draft
            .rows
            .with(|rows| rows.iter().find(|row| row.key == key).cloned())
    };
    let chosen_group = move || current().and_then(|row| row.group);
    let chosen_roles = Signal::derive(move || current().map(|row| row.roles).unwrap_or_default());
    let group_options = groups.with_value(|groups| {
        groups
            .iter()
            .map(|group| {
                let id = group.id;
                view! {
                    <option value=id.to_string() prop:selected=move || chosen_group() == Some(id)>{group.name.clone()}</option>
                }
            })
            .collect_view()
    });
    let roles_view = roles.with_value(|roles| {
        roles_select(
            roles_id.clone(),
            "roles-help",
            roles,
            chosen_roles,
            move |chosen| draft.change_row(key, |row| row.roles = chosen),
        )
    });
    view! {
        <fieldset class="mapping-row">
            <legend>{move || format!("Group mapping {}", draft.number(key))}</legend>
            <label for=group_id.clone()>"Technician group"</label>
            <select id=group_id on:change=move |event| {
                let group = Uuid::parse_str(&event_target_value(&event)).ok();
                draft.change_row(key, |row| row.group = group);
            }>
                <option value="" prop:selected=move || chosen_group().is_none()>"Choose a group"</option>
                {group_options}
            </select>
            <label for=roles_id>"Roles"</label>
            {roles_view}
            <div class="actions">
                <button type="button" class="secondary small" on:click=move |_| {
                    draft.rows.update(|rows| rows.retain(|row| row.key != key));
                }>
                    "Remove" <span class="visually-hidden">{move || format!(" group mapping {}", draft.number(key))}</span>
                </button>
            </div>
        </fieldset>
    }
}

/// The mapping's part of the form, once the directory's roles and the MSP's groups are read.
pub fn mapping_editor(
    draft: MappingDraft,
    roles: Vec<EntraRole>,
    groups: Vec<TechnicianGroup>,
) -> impl IntoView {
    let roles = StoredValue::new(roles);
    let groups = StoredValue::new(groups);
    let choice =
        move |per_group: bool, id: &'static str, label: &'static str, help: &'static str| {
            let help_id = format!("{id}-help");
            view! {
                <div class="choice">
                    <input type="radio" id=id name="mapping-mode" aria-describedby=help_id.clone()
                        prop:checked=move || draft.per_group.get() == per_group
                        on:change=move |_| draft.per_group.set(per_group)/>
                    <label for=id>{label}</label>
                    <p id=help_id class="help">{help}</p>
                </div>
            }
        };
    let all_admins = roles.with_value(|listed| {
        roles_select(
            "all-admins-roles".to_owned(),
            "roles-help",
            listed,
            draft.all_admins.into(),
            move |chosen| draft.all_admins.set(chosen),
        )
    });
    view! {
        {choice(false, "mapping-all", "All admins", "Every technician who may go into this customer gets the same roles.")}
        {choice(true, "mapping-groups", "Per technician group", "Each group gets its own roles; a technician in several groups gets all of theirs, and one in none cannot request an account.")}
        <p id="roles-help" class="help">"Hold Ctrl (⌘ on a Mac) to choose several roles."</p>
        <div class="field" hidden=move || draft.per_group.get()>
            <label for="all-admins-roles">"Roles for every technician with access"</label>
            {all_admins}
        </div>
        <div hidden=move || !draft.per_group.get()>
            <For each=move || draft.rows.with(|rows| rows.iter().map(|row| row.key).collect::<Vec<_>>())
                key=|key| *key
                children=move |key| group_row(key, draft, roles, groups)/>
            <button type="button" class="secondary" on:click=move |_| draft.add_row()>"Add a group"</button>
        </div>
    }
}
