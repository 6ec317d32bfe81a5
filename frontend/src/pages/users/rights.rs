//! What a user may do, as chosen in the invite and edit dialogs: role, claims, Use MFA and
//! Allow access to UI.

use leptos::prelude::*;
use proto::{Claim, Role, User};

use crate::components::claim_label;

/// The choices being made, one signal each so the checkboxes keep focus while they change.
#[derive(Clone, Copy)]
pub struct RightsDraft {
    pub role: RwSignal<Role>,
    pub claims: RwSignal<Vec<Claim>>,
    pub use_mfa: RwSignal<bool>,
    pub allow_ui_access: RwSignal<bool>,
}

impl RightsDraft {
    /// What an invitation offers unless changed: a technician without claims who signs in to the
    /// web app without MFA.
    pub fn for_invitation() -> Self {
        Self {
            role: RwSignal::new(Role::Technician),
            claims: RwSignal::new(Vec::new()),
            use_mfa: RwSignal::new(false),
            allow_ui_access: RwSignal::new(true),
        }
    }

    pub fn of(user: &User) -> Self {
        Self {
            role: RwSignal::new(user.role),
            claims: RwSignal::new(user.claims.clone()),
            use_mfa: RwSignal::new(user.use_mfa),
            allow_ui_access: RwSignal::new(user.allow_ui_access),
        }
    }

    /// The chosen claims in the product's order, as the API lists them.
    pub fn chosen_claims(&self) -> Vec<Claim> {
        self.claims.with_untracked(|chosen| {
            Claim::ALL
                .into_iter()
                .filter(|claim| chosen.contains(claim))
                .collect()
        })
    }
}

pub fn role_label(role: Role) -> &'static str {
    match role {
        Role::Admin => "Admin",
        Role::Technician => "Technician",
    }
}

fn checkbox(
    id: String,
    label: &'static str,
    help: &'static str,
    value: RwSignal<bool>,
) -> impl IntoView {
    let help_id = format!("{id}-help");
    view! {
        <div class="choice">
            <input id=id.clone() type="checkbox" aria-describedby=help_id.clone()
                prop:checked=move || value.get() on:change=move |event| value.set(event_target_checked(&event))/>
            <label for=id>{label}</label>
            <span id=help_id class="help">{help}</span>
        </div>
    }
}

#[component]
pub fn RightsFields(
    /// Prefix of the controls' ids, unique on the page.
    id: &'static str,
    draft: RightsDraft,
) -> impl IntoView {
    let role_id = format!("{id}-role");
    let claim_boxes = Claim::ALL
        .into_iter()
        .map(|claim| {
            let box_id = format!("{id}-claim-{}", claim.as_str());
            let toggle = move |event| {
                let wanted = event_target_checked(&event);
                draft.claims.update(|claims| {
                    claims.retain(|held| *held != claim);
                    if wanted {
                        claims.push(claim);
                    }
                });
            };
            view! {
                <div class="choice">
                    <input id=box_id.clone() type="checkbox"
                        prop:checked=move || draft.claims.with(|claims| claims.contains(&claim)) on:change=toggle/>
                    <label for=box_id>{claim_label(claim)}</label>
                </div>
            }
        })
        .collect_view();
    view! {
        <div class="field">
            <label for=role_id.clone()>"Role"</label>
            <select id=role_id on:change=move |event| {
                if let Some(role) = Role::from_code(&event_target_value(&event)) {
                    draft.role.set(role);
                }
            }>
                {Role::ALL.into_iter().map(|role| view! {
                    <option value=role.as_str() selected=move || draft.role.get() == role>{role_label(role)}</option>
                }).collect_view()}
            </select>
            <p class="help">"Admins manage users, integrations and everyone's API tokens."</p>
        </div>
        <fieldset class="choices">
            <legend>"Permissions"</legend>
            {claim_boxes}
        </fieldset>
        <fieldset class="choices">
            <legend>"Sign-in"</legend>
            {checkbox(format!("{id}-use-mfa"), "Use MFA", "A code from an authenticator app at every sign-in.", draft.use_mfa)}
            {checkbox(format!("{id}-ui-access"), "Allow access to UI", "Off: API tokens only, e.g. for an integration account.", draft.allow_ui_access)}
        </fieldset>
    }
}
