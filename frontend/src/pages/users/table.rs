//! One row of the Users table per user, with an admin's actions on it.

use leptos::prelude::*;
use proto::{User, UserSource};
use uuid::Uuid;

use super::rights::role_label;
use crate::components;

/// What an admin can do to a listed user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowAction {
    Edit,
    Deactivate,
    Reactivate,
    ResetMfa,
    CreateToken,
    Delete,
}

fn source_label(source: UserSource) -> &'static str {
    match source {
        UserSource::Local => "Local",
        UserSource::Scim => "Entra (SCIM)",
        UserSource::Entra => "Entra ID",
    }
}

/// When Entra's provisioning last changed the user, under its source.
fn provisioning(user: &User) -> Option<impl IntoView + use<>> {
    let at = user.provisioned_at.as_ref()?;
    let words = if user.active {
        "provisioned"
    } else {
        "deactivated; last provisioned"
    };
    Some(
        view! { <span class="help provisioning">{format!(" · {words} {}", components::minute(at))}</span> },
    )
}

fn yes_no(value: bool) -> &'static str {
    if value { "Yes" } else { "No" }
}

fn status(user: &User) -> &'static str {
    match (user.active, user.invitation_pending) {
        (false, _) => "Deactivated",
        (true, true) => "Invited",
        (true, false) => "Active",
    }
}

fn pencil() -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M3 17.25V21h3.75L17.81 9.94l-3.75-3.75L3 17.25zM20.71 7.04a1 1 0 0 0 0-1.41l-2.34-2.34a1 1 0 0 0-1.41 0l-1.83 1.83 3.75 3.75 1.83-1.83z"/>
        </svg>
    }
}

/// A text button whose accessible name ends with the user's e-mail, e.g. "Delete a@b.test".
fn action(
    words: &'static str,
    user: &User,
    what: RowAction,
    on_action: Callback<(RowAction, User)>,
) -> impl IntoView + use<> {
    let target = user.clone();
    view! {
        <button type="button" class="secondary small" on:click=move |_| on_action.run((what, target.clone()))>
            {words} <span class="visually-hidden">{format!(" {}", user.email)}</span>
        </button>
    }
}

/// `own`: the admin's own row, without Deactivate and Delete (nobody shuts itself out).
fn actions(
    user: &User,
    own: bool,
    on_action: Callback<(RowAction, User)>,
) -> impl IntoView + use<> {
    let target = user.clone();
    let edit = view! {
        <button type="button" class="icon-button" aria-label=format!("Edit {}", user.email)
            title="Edit" on:click=move |_| on_action.run((RowAction::Edit, target.clone()))>
            {pencil()}
        </button>
    };
    let activation = match (own, user.active) {
        (true, _) => None,
        (false, true) => {
            Some(action("Deactivate", user, RowAction::Deactivate, on_action).into_any())
        }
        (false, false) => {
            Some(action("Reactivate", user, RowAction::Reactivate, on_action).into_any())
        }
    };
    view! {
        <td><div class="row-actions">
            {edit}
            {activation}
            {user.mfa_enrolled.then(|| action("Reset MFA", user, RowAction::ResetMfa, on_action))}
            {(!user.allow_ui_access).then(|| action("API token", user, RowAction::CreateToken, on_action))}
            {(!own).then(|| action("Delete", user, RowAction::Delete, on_action))}
        </div></td>
    }
}

/// `admin`: the signed-in admin's own ID, `None` for a technician (who gets no actions).
pub fn user_row(
    user: User,
    admin: Option<Uuid>,
    on_action: Callback<(RowAction, User)>,
) -> impl IntoView {
    let mfa = match (user.use_mfa, user.mfa_enrolled) {
        (true, false) => "Yes (app not set up yet)",
        (use_mfa, _) => yes_no(use_mfa),
    };
    let actions = admin.map(|me| actions(&user, me == user.id, on_action));
    view! {
        <tr class:inactive=!user.active>
            <th scope="row">{user.email.clone()}</th>
            <td>{user.display_name.clone()}</td>
            <td>{role_label(user.role)}</td>
            <td>{mfa}</td>
            <td>{yes_no(user.allow_ui_access)}</td>
            <td>{status(&user)}</td>
            <td>{source_label(user.source)}{provisioning(&user)}</td>
            <td class="when">{user.last_sign_in_at.as_ref().map(components::minute).unwrap_or_else(|| "Never".to_owned())}</td>
            {actions}
        </tr>
    }
}

pub fn header(admin: bool) -> impl IntoView {
    view! {
        <thead><tr>
            <th scope="col">"E-mail"</th>
            <th scope="col">"Display name"</th>
            <th scope="col">"Role"</th>
            <th scope="col">"Use MFA"</th>
            <th scope="col">"Allow access to UI"</th>
            <th scope="col">"Status"</th>
            <th scope="col">"Source"</th>
            <th scope="col">"Last sign-in"</th>
            {admin.then(|| view! { <th scope="col">"Actions"</th> })}
        </tr></thead>
    }
}
