//! Endpoint Settings → Windows GP: Reseller Master GPs Distribution, the group policies and
//! their on/off switches (SPEC §3). Read-only without `edit_endpoint_settings`.

use domain::{WizardAction, WizardStep};
use leptos::{prelude::*, task::spawn_local};
use proto::{Claim, GroupPolicy, WindowsGpSettings};
use uuid::Uuid;

use crate::{
    api,
    components::{self, new_policy::NewPolicyForm},
    session::use_session,
    wizard::{Spotlight, use_wizard},
};

/// One listed policy; its switch has its own signal so toggling keeps the row (and focus).
#[derive(Clone)]
struct PolicyRow {
    policy: GroupPolicy,
    enabled: RwSignal<bool>,
}

impl PolicyRow {
    fn new(policy: GroupPolicy) -> Self {
        let enabled = RwSignal::new(policy.enabled);
        Self { policy, enabled }
    }
}

#[component]
pub fn WindowsGpPage() -> impl IntoView {
    let session = use_session();
    let holds = move |claim| {
        session
            .signed_in()
            .is_some_and(|me| me.claims.contains(&claim))
    };
    if !holds(Claim::ViewEndpointSettings) {
        return view! {
            <h1 tabindex="-1">"Windows GP"</h1>
            <p>"Endpoint settings need the “View endpoint settings” permission. Ask an admin of your tenant."</p>
        }
        .into_any();
    }
    let can_edit = holds(Claim::EditEndpointSettings);
    view! {
        <p class="breadcrumb">"Endpoint Settings › Windows GP"</p>
        <h1 tabindex="-1">"Windows GP"</h1>
        {(!can_edit).then(|| view! {
            <p class="notice card" data-testid="read-only-notice">"You can view these settings. Changing them needs the “Edit endpoint settings” permission."</p>
        })}
        <MasterDistribution can_edit/>
        <PolicyList can_edit/>
    }
    .into_any()
}

#[component]
fn MasterDistribution(can_edit: bool) -> impl IntoView {
    let wizard = use_wizard();
    let enabled = RwSignal::new(None::<bool>);
    let message = RwSignal::new(None::<Result<String, String>>);
    spawn_local(async move {
        match api::windows_gp_settings().await {
            Ok(settings) => enabled.set(Some(settings.master_gp_distribution)),
            Err(failure) => message.set(Some(Err(failure.message()))),
        }
    });
    let change = move |event| {
        let wanted = event_target_checked(&event);
        let before = enabled.get_untracked();
        enabled.set(Some(wanted));
        message.set(None);
        spawn_local(async move {
            let settings = WindowsGpSettings {
                master_gp_distribution: wanted,
            };
            match api::save_windows_gp_settings(settings).await {
                Ok(saved) => {
                    enabled.set(Some(saved.master_gp_distribution));
                    message.set(Some(Ok("Saved.".to_owned())));
                }
                Err(failure) => {
                    enabled.set(before);
                    message.set(Some(Err(failure.message())));
                }
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="distribution-title">
            <h2 id="distribution-title">"Master GPs"</h2>
            <div class="switch-line" class:spotlit=move || wizard.points_at(Spotlight::MasterGpToggle)>
                <input
                    id="master-gp-distribution"
                    type="checkbox"
                    role="switch"
                    prop:checked=move || enabled.get().unwrap_or(false)
                    disabled=move || !can_edit || enabled.get().is_none()
                    on:change=change
                    aria-describedby="distribution-help"
                />
                <label for="master-gp-distribution">"Reseller Master GPs Distribution"</label>
            </div>
            <p id="distribution-help" class="help">"When on, your enabled group policies are your master GPs: new customers that opt in receive them."</p>
            {move || message.get().map(|outcome| match outcome {
                Ok(text) => view! { <p class="saved" role="status">{text}</p> }.into_any(),
                Err(text) => view! { <p class="error" role="alert">{text}</p> }.into_any(),
            })}
        </section>
    }
}

/// The policy the wizard's step 7 points at: the one created in step 5, or after a reload the
/// newest one.
fn new_policy(rows: &[PolicyRow], created: Option<Uuid>) -> Option<Uuid> {
    created
        .filter(|id| rows.iter().any(|row| row.policy.id == *id))
        .or_else(|| {
            rows.iter()
                .max_by_key(|row| row.policy.created_at)
                .map(|row| row.policy.id)
        })
}

#[component]
fn PolicyList(can_edit: bool) -> impl IntoView {
    let wizard = use_wizard();
    let rows = RwSignal::new(Vec::<PolicyRow>::new());
    let loaded = RwSignal::new(None::<Result<(), String>>);
    let form_open = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);

    let reload = move || {
        spawn_local(async move {
            match api::list_group_policies().await {
                Ok(page) => {
                    rows.set(page.items.into_iter().map(PolicyRow::new).collect());
                    loaded.set(Some(Ok(())));
                }
                Err(failure) => loaded.set(Some(Err(failure.message()))),
            }
        });
    };
    reload();

    let taken = Signal::derive(move || {
        rows.with(|rows| {
            rows.iter()
                .map(|row| row.policy.name.to_lowercase())
                .collect()
        })
    });
    let showing_form = move || {
        form_open.get() || wizard.at(WizardStep::PolicyName) || wizard.at(WizardStep::CreatePolicy)
    };
    let open_form = move |_| {
        form_open.set(true);
        wizard.apply_at(
            WizardStep::CreatePolicyPrompt,
            WizardAction::CreateNewPolicy,
        );
    };
    let created = Callback::new(move |_policy: GroupPolicy| {
        form_open.set(false);
        reload();
    });
    let cancelled = Callback::new(move |()| form_open.set(false));
    let highlighted = Memo::new(move |_| {
        rows.with(|rows| new_policy(rows, wizard.created_policy()))
            .filter(|_| wizard.at(WizardStep::PolicyList))
    });

    let toggle = move |row: PolicyRow, wanted: bool| {
        problem.set(None);
        row.enabled.set(wanted);
        spawn_local(async move {
            match api::set_group_policy_enabled(row.policy.id, wanted).await {
                Ok(saved) => {
                    row.enabled.set(saved.enabled);
                    if saved.enabled && highlighted.get_untracked() == Some(saved.id) {
                        wizard.apply_at(WizardStep::PolicyList, WizardAction::PolicyEnabled);
                    }
                }
                Err(failure) => {
                    row.enabled.set(!wanted);
                    problem.set(Some(failure.message()));
                }
            }
        });
    };

    view! {
        <section class="card" aria-labelledby="policies-title">
            <h2 id="policies-title">"Windows group policies"</h2>
            {can_edit.then(|| view! {
                <Show when=move || !showing_form()>
                    <button
                        type="button"
                        class:spotlit=move || wizard.points_at(Spotlight::CreatePolicyButton)
                        on:click=open_form
                    >"Create New Policy"</button>
                </Show>
            })}
            <Show when=showing_form>
                <NewPolicyForm taken on_created=created on_cancel=cancelled/>
            </Show>
            {move || problem.get().map(|text| view! { <p class="error" role="alert">{text}</p> })}
            {move || match loaded.get() {
                None => view! { <p role="status">"Loading group policies…"</p> }.into_any(),
                Some(Err(text)) => view! { <p class="error" role="alert">{text}</p> }.into_any(),
                Some(Ok(())) if rows.with(Vec::is_empty) => view! { <p>"No group policies yet."</p> }.into_any(),
                Some(Ok(())) => view! {
                    <table>
                        <thead><tr><th scope="col">"Name"</th><th scope="col">"On"</th><th scope="col">"Created"</th></tr></thead>
                        <tbody>
                            <For each=move || rows.get() key=|row| row.policy.id let:row>
                                {policy_row(row, can_edit, highlighted, wizard, toggle)}
                            </For>
                        </tbody>
                    </table>
                }.into_any(),
            }}
        </section>
    }
}

fn policy_row(
    row: PolicyRow,
    can_edit: bool,
    highlighted: Memo<Option<Uuid>>,
    wizard: crate::wizard::WizardControl,
    toggle: impl Fn(PolicyRow, bool) + Copy + 'static,
) -> impl IntoView {
    let id = row.policy.id;
    let is_new = move || highlighted.get() == Some(id);
    let switch_id = format!("policy-{id}");
    let name = row.policy.name.clone();
    let enabled = row.enabled;
    let created_at = components::minute(&row.policy.created_at);
    view! {
        <tr class:highlighted=is_new>
            <th scope="row"><label for=switch_id.clone()>{name}</label></th>
            <td>
                <span class="switch-line" class:spotlit=move || is_new() && wizard.points_at(Spotlight::NewPolicySwitch)>
                    <input
                        id=switch_id
                        type="checkbox"
                        role="switch"
                        prop:checked=move || enabled.get()
                        disabled=!can_edit
                        on:change=move |event| toggle(row.clone(), event_target_checked(&event))
                    />
                    <span aria-hidden="true">{move || if enabled.get() { "On" } else { "Off" }}</span>
                </span>
            </td>
            <td>{created_at}</td>
        </tr>
    }
}
