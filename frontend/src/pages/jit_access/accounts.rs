//! The customer's just-in-time accounts: whose, their name, roles, end and state, with **End
//! now** for the MSP's admins (any account) and for a technician's own.

use leptos::prelude::*;
use proto::{JitAccount, JitAccountState};
use uuid::Uuid;

use super::granted::role_names;
use crate::{api::sentence, components::local_minute};

pub fn state_label(state: JitAccountState) -> &'static str {
    match state {
        JitAccountState::Creating => "Being created",
        JitAccountState::Active => "Active",
        JitAccountState::Ending => "Ending",
    }
}

/// Whether the list is about to change by itself: an account is being made or taken apart.
pub fn settling(accounts: &[JitAccount]) -> bool {
    accounts
        .iter()
        .any(|account| account.state != JitAccountState::Active)
}

/// The caller's active account, which a new request extends.
pub fn own_active(accounts: &[JitAccount], me: Uuid) -> Option<&JitAccount> {
    accounts
        .iter()
        .find(|account| account.technician_id == me && account.state == JitAccountState::Active)
}

/// Whether `me` may end `account` now: admins any, a technician its own, and only once it is
/// made and not already ending.
pub fn may_end(account: &JitAccount, me: Uuid, admin: bool) -> bool {
    account.state == JitAccountState::Active && (admin || account.technician_id == me)
}

/// Who may see which accounts, and what End now does.
#[derive(Clone, Copy)]
pub struct Viewer {
    pub me: Uuid,
    pub admin: bool,
    /// The account whose End now is on its way.
    pub ending: RwSignal<Option<Uuid>>,
    pub on_end: Callback<JitAccount>,
}

fn account_row(account: JitAccount, viewer: Viewer) -> impl IntoView {
    let id = account.id;
    let end = may_end(&account, viewer.me, viewer.admin).then(|| {
        let target = account.clone();
        let name = format!(" {}", account.user_principal_name);
        view! {
            <button type="button" class="secondary small"
                aria-disabled=move || (viewer.ending.get() == Some(id)).to_string()
                on:click=move |_| viewer.on_end.run(target.clone())>
                {move || if viewer.ending.get() == Some(id) { "Ending…" } else { "End now" }}
                <span class="visually-hidden">{name.clone()}</span>
            </button>
        }
    });
    let error = account.last_error.as_deref().map(|error| {
        view! { <span class="job-error error">{format!("Removing it failed: {}", sentence(error))}</span> }
    });
    view! {
        <tr>
            <th scope="row">{account.user_principal_name.clone()}</th>
            <td>{account.technician_email.clone()}</td>
            <td>{role_names(&account.roles)}</td>
            <td class="when">{local_minute(&account.expires_at)}</td>
            <td>{state_label(account.state)} {error}</td>
            <td class="action">{end}</td>
        </tr>
    }
}

pub fn accounts_table(accounts: Vec<JitAccount>, viewer: Viewer) -> AnyView {
    if accounts.is_empty() {
        return view! { <p class="empty-state" data-testid="jit-accounts-empty">"No just-in-time accounts right now."</p> }
            .into_any();
    }
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-labelledby="jit-accounts-title">
            <table aria-labelledby="jit-accounts-title" data-testid="jit-accounts">
                <thead><tr>
                    <th scope="col">"Account"</th>
                    <th scope="col">"Technician"</th>
                    <th scope="col">"Roles"</th>
                    <th scope="col">"Ends (your time)"</th>
                    <th scope="col">"State"</th>
                    <th scope="col">"Action"</th>
                </tr></thead>
                <tbody>
                    {accounts.into_iter().map(|account| account_row(account, viewer)).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};

    use super::*;

    fn account(technician: u128, state: JitAccountState) -> JitAccount {
        JitAccount {
            id: Uuid::from_u128(technician * 100),
            customer_id: Some(Uuid::from_u128(7)),
            customer_name: Some("Woodgrove Bank".to_owned()),
            technician_id: Uuid::from_u128(technician),
            technician_email: format!("tech{technician}@demo-reseller.test"),
            user_principal_name: format!("msp-tech{technician}@woodgrovebank.test"),
            roles: Vec::new(),
            created_at: DateTime::<Utc>::default(),
            expires_at: DateTime::<Utc>::default(),
            state,
            last_error: None,
        }
    }

    #[test]
    fn admins_end_any_active_account_and_technicians_their_own() {
        let (me, other) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let mine = account(1, JitAccountState::Active);
        let theirs = account(2, JitAccountState::Active);
        assert!(may_end(&mine, me, false));
        assert!(!may_end(&theirs, me, false));
        assert!(may_end(&theirs, me, true));
        assert!(may_end(&mine, other, true));
        // Nothing to end yet, or already ending.
        assert!(!may_end(&account(1, JitAccountState::Creating), me, true));
        assert!(!may_end(&account(1, JitAccountState::Ending), me, false));
    }

    #[test]
    fn a_request_extends_only_the_callers_active_account() {
        let me = Uuid::from_u128(1);
        let accounts = [
            account(2, JitAccountState::Active),
            account(1, JitAccountState::Ending),
        ];
        assert_eq!(own_active(&accounts, me), None);
        let accounts = [
            account(2, JitAccountState::Active),
            account(1, JitAccountState::Active),
        ];
        assert_eq!(
            own_active(&accounts, me).map(|account| account.technician_id),
            Some(me)
        );
    }

    #[test]
    fn the_list_settles_once_every_account_is_active() {
        assert!(!settling(&[]));
        assert!(!settling(&[account(1, JitAccountState::Active)]));
        assert!(settling(&[
            account(1, JitAccountState::Active),
            account(2, JitAccountState::Ending)
        ]));
        assert!(settling(&[account(1, JitAccountState::Creating)]));
    }
}
