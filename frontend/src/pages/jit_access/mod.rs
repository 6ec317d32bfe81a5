//! Just-in-time admin access (SPEC §16), on the home page of a customer tenant: the customer's
//! Entra application, **Request access** (or **Extend**) for an admin account of one's own there,
//! the accounts that exist now with **End now**, and the devices' local administrator passwords.
//! Loaded with its own file the first time a customer tenant is opened (`lazy_pages.rs`).

mod accounts;
mod granted;
mod laps;

use std::time::Duration;

use leptos::{prelude::*, task::spawn_local};
use leptos_router::components::A;
use proto::{GrantedJitAccount, JitAccess, JitAccount, Role};
use uuid::Uuid;

use self::{
    accounts::{Viewer, accounts_table, own_active, settling},
    granted::{GrantedDialog, extended_words},
    laps::LapsSection,
};
use crate::{
    api::{jit_accounts as api, sentence},
    components::outcome,
    pages::customer_entra::customer_entra_path,
    session::use_session,
};

/// While an account is being made or removed the list changes by itself (the expiry job takes
/// an ended account apart within seconds): it is read again this often, at most `LOOKS` times.
const LOOK_EVERY: Duration = Duration::from_secs(2);
const LOOKS: u32 = 45;

/// The accounts as last read, and their reading.
#[derive(Clone, Copy)]
struct Accounts {
    customer_id: Uuid,
    access: RwSignal<Option<JitAccess>>,
    /// Why the last reading failed; the accounts read before stay on screen.
    problem: RwSignal<Option<String>>,
    looks_left: StoredValue<u32>,
    /// The latest reading: a slower, older one is dropped, and its follow-up look too.
    latest: StoredValue<u64>,
}

impl Accounts {
    fn new(customer_id: Uuid) -> Self {
        Self {
            customer_id,
            access: RwSignal::new(None),
            problem: RwSignal::new(None),
            looks_left: StoredValue::new(LOOKS),
            latest: StoredValue::new(0),
        }
    }

    /// Reads the accounts now, and again while they settle.
    fn reload(self) {
        self.looks_left.set_value(LOOKS);
        self.look();
    }

    fn look(self) {
        self.latest.update_value(|reading| *reading += 1);
        let this_reading = self.latest.get_value();
        spawn_local(async move {
            let answer = api::access(self.customer_id).await;
            // The page was left, or a newer reading is on its way.
            if self.latest.try_get_value() != Some(this_reading) {
                return;
            }
            let again = match answer {
                Ok(access) => {
                    let again = settling(&access.accounts);
                    self.access.set(Some(access));
                    self.problem.set(None);
                    again
                }
                Err(failure) => {
                    self.problem.set(Some(failure.message()));
                    false
                }
            };
            let looks_left = self.looks_left.get_value();
            if !again || looks_left == 0 {
                return;
            }
            self.looks_left.set_value(looks_left - 1);
            set_timeout(
                move || {
                    if self.latest.try_get_value() == Some(this_reading) {
                        self.look();
                    }
                },
                LOOK_EVERY,
            );
        });
    }
}

#[component]
pub fn JitAccessSection(customer_id: Uuid) -> impl IntoView {
    let me = use_session().signed_in();
    let my_id = me.as_ref().map(|me| me.user.id).unwrap_or_default();
    let admin = me.is_some_and(|me| me.role == Role::Admin);
    let accounts = Accounts::new(customer_id);
    accounts.reload();
    let busy = RwSignal::new(false);
    let told = RwSignal::new(None::<Result<String, String>>);
    let granted = RwSignal::new(None::<GrantedJitAccount>);
    let ending = RwSignal::new(None::<Uuid>);

    let extending = Memo::new(move |_| {
        accounts.access.with(|access| {
            access
                .as_ref()
                .is_some_and(|access| own_active(&access.accounts, my_id).is_some())
        })
    });
    let request = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        told.set(None);
        spawn_local(async move {
            match api::request(customer_id).await {
                Ok(answer) if answer.password.is_some() && !answer.extended => {
                    granted.try_set(Some(answer));
                }
                Ok(answer) => {
                    told.try_set(Some(Ok(extended_words(&answer))));
                }
                Err(failure) => {
                    told.try_set(Some(Err(failure.message())));
                }
            }
            busy.try_set(false);
            accounts.reload();
        });
    };
    let on_end = Callback::new(move |account: JitAccount| {
        if ending.get_untracked().is_some() {
            return;
        }
        ending.set(Some(account.id));
        told.set(None);
        spawn_local(async move {
            let answer = api::end(customer_id, account.id).await;
            ending.try_set(None);
            told.try_set(Some(match answer {
                Ok(_) => Ok(format!(
                    "{} is being removed from the customer's directory.",
                    account.user_principal_name
                )),
                Err(failure) => Err(failure.message()),
            }));
            accounts.reload();
        });
    });
    let viewer = Viewer {
        me: my_id,
        admin,
        ending,
        on_end,
    };
    let ready = move || {
        accounts
            .access
            .with(|access| access.as_ref().is_some_and(|access| access.ready))
    };
    let app_name = move || {
        accounts
            .access
            .with(|access| access.as_ref().map(|access| access.app_name.clone()))
            .unwrap_or_default()
    };

    view! {
        <section class="card jit-access" aria-labelledby="jit-title">
            <h2 id="jit-title">"Just-in-time admin access"</h2>
            {move || accounts.access.with(|access| match access {
                None => view! { <p role="status">"Loading…"</p> }.into_any(),
                Some(access) => intro(access).into_any(),
            })}
            <p id="jit-not-ready" class="error" data-testid="jit-not-ready">
                {move || accounts.access.with(|access| not_ready(access.as_ref()))}
            </p>
            {admin.then(|| view! {
                <p><A href=customer_entra_path(customer_id)>"Entra ID for just-in-time accounts"</A>" (settings, admins)"</p>
            })}
            <div class="actions">
                <button type="button" aria-describedby="jit-not-ready"
                    aria-disabled=move || (busy.get() || !ready()).to_string()
                    on:click=move |event| if ready() { request(event) }>
                    {move || match (busy.get(), extending.get()) {
                        (true, true) => "Extending…",
                        (true, false) => "Requesting…",
                        (false, true) => "Extend",
                        (false, false) => "Request access",
                    }}
                </button>
            </div>
            {move || told.get().map(outcome)}
            {move || accounts.problem.get().map(|text| view! { <p class="error" role="alert">{text}</p> })}
            <h3 id="jit-accounts-title">"Accounts now"</h3>
            {move || accounts.access.get().map(|access| accounts_table(access.accounts, viewer))}
            {move || granted.get().map(|answer| view! {
                <GrantedDialog granted=answer app_name=app_name() on_close=move || granted.set(None)/>
            })}
        </section>
        <LapsSection customer_id/>
    }
}

/// The application and how long accounts last.
fn intro(access: &JitAccess) -> impl IntoView + use<> {
    let hours = match access.lifetime_hours {
        1 => "1 hour".to_owned(),
        hours => format!("{hours} hours"),
    };
    view! {
        <p>"Application: " <strong data-testid="jit-app-name">{access.app_name.clone()}</strong></p>
        <p class="help">{format!("Request an admin account of your own in this customer's Microsoft Entra directory, with the roles your technician groups are mapped to. It lasts {hours}; requesting again while it is active extends it.")}</p>
    }
}

/// Why accounts cannot be requested yet; `None` once they can (or before the first reading).
fn not_ready(access: Option<&JitAccess>) -> Option<String> {
    let access = access.filter(|access| !access.ready)?;
    Some(
        access
            .not_ready_reason
            .as_deref()
            .map_or_else(|| "Accounts cannot be requested yet.".to_owned(), sentence),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn access(ready: bool, reason: Option<&str>) -> JitAccess {
        JitAccess {
            app_name: "Entra ID - retail customer".to_owned(),
            lifetime_hours: 4,
            ready,
            not_ready_reason: reason.map(str::to_owned),
            accounts: Vec::new(),
        }
    }

    #[test]
    fn the_reason_shows_only_while_accounts_cannot_be_requested() {
        assert_eq!(not_ready(None), None);
        assert_eq!(not_ready(Some(&access(true, None))), None);
        assert_eq!(
            not_ready(Some(&access(
                false,
                Some("an admin of your MSP must choose the domain for accounts first")
            ))),
            Some("An admin of your MSP must choose the domain for accounts first.".to_owned())
        );
        assert_eq!(
            not_ready(Some(&access(false, None))),
            Some("Accounts cannot be requested yet.".to_owned())
        );
    }
}
