//! The customer directory's devices with a backed-up local administrator password (Windows
//! LAPS), and **Reveal password**: a dialog that shows the password (each reveal audited by the
//! server) and hides it again after a minute, or when it closes.

use std::time::Duration;

use leptos::{prelude::*, task::spawn_local};
use proto::{LapsDevice, RevealedLapsPassword};
use uuid::Uuid;

use crate::{
    api::jit_accounts as api,
    components::{copy::CopyButton, dialog::ModalDialog, local_minute},
};

/// How long a revealed password stays on screen: long enough to type or paste it, short enough
/// that it does not linger on an unattended screen.
const SHOWN_FOR: Duration = Duration::from_secs(60);

/// The password's life in the dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Secret {
    Asking,
    /// On screen until the timer of reveal number `reveal` runs out.
    Shown {
        password: RevealedLapsPassword,
        reveal: u32,
    },
    /// Hidden again after `SHOWN_FOR`.
    Hidden,
    Failed(String),
}

impl Secret {
    /// What the timer started by reveal number `reveal` leaves: it hides the password of that
    /// reveal and nothing else, so a password revealed again keeps its own full minute.
    fn after_timer(self, reveal: u32) -> Self {
        match self {
            Self::Shown {
                reveal: shown_by, ..
            } if shown_by == reveal => Self::Hidden,
            other => other,
        }
    }
}

fn last_backup(device: &LapsDevice) -> String {
    device
        .last_backup
        .as_ref()
        .map_or_else(|| "Unknown".to_owned(), local_minute)
}

/// The password of `device`, asked for as it opens; `on_close` drops it.
#[component]
fn RevealDialog(
    customer_id: Uuid,
    device: LapsDevice,
    #[prop(into)] on_close: Callback<()>,
) -> impl IntoView {
    let secret = RwSignal::new(Secret::Asking);
    let reveals = StoredValue::new(0_u32);
    let device_id = StoredValue::new(device.device_id.clone());
    let reveal = move || {
        reveals.update_value(|count| *count += 1);
        let this_reveal = reveals.get_value();
        secret.set(Secret::Asking);
        spawn_local(async move {
            let answer = api::reveal(customer_id, &device_id.get_value()).await;
            let next = match answer {
                Ok(password) => Secret::Shown {
                    password,
                    reveal: this_reveal,
                },
                Err(failure) => Secret::Failed(failure.message()),
            };
            let shown = matches!(next, Secret::Shown { .. });
            // The dialog may have closed meanwhile: then the password goes with this task.
            if secret.try_set(next).is_some() || !shown {
                return;
            }
            set_timeout(
                move || {
                    secret.try_update(|current| {
                        *current =
                            std::mem::replace(current, Secret::Hidden).after_timer(this_reveal);
                    });
                },
                SHOWN_FOR,
            );
        });
    };
    reveal();
    let title = format!("Local administrator password of {}", device.device_name);
    view! {
        <ModalDialog labelled_by="laps-title" on_close=on_close class="user-dialog laps">
            <h2 id="laps-title">{title}</h2>
            {move || match secret.get() {
                Secret::Asking => view! { <p role="status">"Asking Microsoft Entra for the password…"</p> }.into_any(),
                Secret::Shown { password, .. } => view! {
                    <dl>
                        <dt>"Account"</dt><dd data-testid="laps-account">{password.account_name.clone()}</dd>
                        <dt>"Backed up"</dt><dd>{password.backup_time.as_ref().map_or_else(|| "Unknown".to_owned(), local_minute)}</dd>
                    </dl>
                    <div class="field copyable">
                        <label for="laps-password">"Password"</label>
                        <div class="copy-line">
                            <input id="laps-password" type="text" readonly value=password.password.clone() spellcheck="false" autocomplete="off"/>
                            <CopyButton text=password.password label="Copy password"/>
                        </div>
                    </div>
                    <p class="help">"The password is hidden again after a minute, or when you close this dialog. Each reveal is recorded in the audit log."</p>
                }.into_any(),
                Secret::Hidden => view! {
                    <p role="status" data-testid="laps-hidden">"The password is hidden again."</p>
                    <button type="button" class="secondary" on:click=move |_| reveal()>"Reveal again"</button>
                }.into_any(),
                Secret::Failed(message) => view! {
                    <p class="error" role="alert">{message}</p>
                    <button type="button" class="secondary" on:click=move |_| reveal()>"Try again"</button>
                }.into_any(),
            }}
            <div class="modal-foot">
                <button type="button" on:click=move |_| on_close.run(())>"Close"</button>
            </div>
        </ModalDialog>
    }
}

fn device_row(device: LapsDevice, open: RwSignal<Option<LapsDevice>>) -> impl IntoView {
    let chosen = device.clone();
    view! {
        <tr>
            <th scope="row">{device.device_name.clone()}</th>
            <td class="when">{last_backup(&device)}</td>
            <td class="action">
                <button type="button" class="secondary small" on:click=move |_| open.set(Some(chosen.clone()))>
                    "Reveal password" <span class="visually-hidden">{format!(" of {}", device.device_name)}</span>
                </button>
            </td>
        </tr>
    }
}

#[component]
pub fn LapsSection(customer_id: Uuid) -> impl IntoView {
    let devices = RwSignal::new(None::<Result<Vec<LapsDevice>, String>>);
    let open = RwSignal::new(None::<LapsDevice>);
    spawn_local(async move {
        let answer = api::laps_devices(customer_id)
            .await
            .map(|page| page.items)
            .map_err(|failure| failure.message());
        devices.try_set(Some(answer));
    });
    view! {
        <section class="card" aria-labelledby="laps-devices-title">
            <h2 id="laps-devices-title">"Devices: local administrator passwords"</h2>
            <p class="help">"Windows LAPS passwords that the customer's devices backed up to Microsoft Entra. They are read when you reveal one and never stored here."</p>
            {move || match devices.get() {
                None => view! { <p role="status">"Loading the devices…"</p> }.into_any(),
                Some(Err(message)) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
                Some(Ok(found)) if found.is_empty() => view! {
                    <p class="empty-state">"No device of this customer has backed up a password."</p>
                }.into_any(),
                Some(Ok(found)) => view! {
                    <div class="table-scroll" tabindex="0" role="region" aria-labelledby="laps-devices-title">
                        <table aria-labelledby="laps-devices-title" data-testid="laps-devices">
                            <thead><tr>
                                <th scope="col">"Device"</th>
                                <th scope="col">"Last backup (your time)"</th>
                                <th scope="col">"Action"</th>
                            </tr></thead>
                            <tbody>{found.into_iter().map(|device| device_row(device, open)).collect_view()}</tbody>
                        </table>
                    </div>
                }.into_any(),
            }}
            {move || open.get().map(|device| view! {
                <RevealDialog customer_id device on_close=move || open.set(None)/>
            })}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(reveal: u32) -> Secret {
        Secret::Shown {
            password: RevealedLapsPassword {
                device_id: "4f8a2c6e".to_owned(),
                account_name: "Administrator".to_owned(),
                password: "Tq7#mR2v!Lx9Kd4p".to_owned(),
                backup_time: None,
            },
            reveal,
        }
    }

    #[test]
    fn the_timer_hides_the_password_it_was_started_for() {
        assert_eq!(shown(1).after_timer(1), Secret::Hidden);
    }

    #[test]
    fn an_older_reveals_timer_leaves_a_newer_password_its_minute() {
        assert_eq!(shown(2).after_timer(1), shown(2));
    }

    #[test]
    fn a_timer_changes_nothing_once_the_password_is_gone() {
        for state in [
            Secret::Asking,
            Secret::Hidden,
            Secret::Failed("Graph is down.".to_owned()),
        ] {
            assert_eq!(state.clone().after_timer(1), state);
        }
    }
}
