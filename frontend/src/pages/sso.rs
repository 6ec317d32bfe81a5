//! Settings → User Management → SSO (SPEC §13, admins): what to paste into the Entra enterprise
//! app's provisioning (Tenant URL, Secret Token), the token's rotation and revocation, and the
//! provisioning log that shows what Entra did.

use leptos::{prelude::*, task::spawn_local};
use proto::{CreatedScimToken, Page, ProvisioningCall, ScimSettings};

use crate::{
    api::sso as api,
    components::{self, confirm::ConfirmDialog, copy::CopyButton, pager::Pager},
};

/// What an admin asked to do with the token, waiting for confirmation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TokenChange {
    Rotate,
    Revoke,
}

/// Where the SSO page lives.
pub const SSO: &str = "/settings/sso";

#[component]
pub fn SsoPage() -> impl IntoView {
    let settings = RwSignal::new(None::<Result<ScimSettings, String>>);
    let created = RwSignal::new(None::<CreatedScimToken>);
    let confirming = RwSignal::new(None::<TokenChange>);
    let error = RwSignal::new(None::<String>);
    let changed = RwSignal::new(0_u32);
    Effect::new(move |_| {
        changed.track();
        spawn_local(async move {
            settings.set(Some(
                api::scim_settings()
                    .await
                    .map_err(|failure| failure.message()),
            ));
        });
    });
    let generate = move || {
        error.set(None);
        // The token shown before stops working now: it must not stay on the page.
        created.set(None);
        spawn_local(async move {
            match api::create_scim_token().await {
                Ok(token) => created.set(Some(token)),
                Err(failure) => error.set(Some(failure.message())),
            }
            changed.update(|count| *count += 1);
        });
    };
    let revoke = move || {
        error.set(None);
        created.set(None);
        spawn_local(async move {
            if let Err(failure) = api::revoke_scim_token().await {
                error.set(Some(failure.message()));
            }
            changed.update(|count| *count += 1);
        });
    };
    let on_confirm = Callback::new(move |()| {
        match confirming.get_untracked() {
            Some(TokenChange::Rotate) => generate(),
            Some(TokenChange::Revoke) => revoke(),
            None => {}
        }
        confirming.set(None);
    });

    view! {
        <h1 tabindex="-1">"SSO"</h1>
        <p>"Microsoft Entra adds and removes your technicians: assign a security group to your Entra enterprise app with the role " <strong>"Admin"</strong> " or " <strong>"Technician"</strong> ", and Entra's provisioning creates, updates and deactivates their accounts here. In the app's Provisioning, choose Automatic, paste the Tenant URL and the Secret Token below under Admin Credentials, and click Test Connection. Turn off \"Provision Microsoft Entra ID Groups\"; map " <code>"userName"</code> " to userPrincipalName, " <code>"externalId"</code> " to objectId and " <code>"roles[primary eq \"True\"].value"</code> " to " <code>"SingleAppRoleAssignment([appRoleAssignments])"</code> "."</p>
        {move || error.get().map(|text| view! { <p class="error" role="alert">{text}</p> })}
        {move || match settings.get() {
            None => view! { <p role="status">"Loading…"</p> }.into_any(),
            Some(Err(message)) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
            Some(Ok(settings)) => view! {
                <section class="card" aria-labelledby="scim-title">
                    <h2 id="scim-title">"Provisioning (SCIM)"</h2>
                    <dl class="facts">
                        <dt>"Tenant URL"</dt>
                        <dd><code data-testid="tenant-url">{settings.tenant_url.clone()}</code>
                            " " <CopyButton text=settings.tenant_url.clone() label="Copy Tenant URL"/></dd>
                        <dt>"Secret Token"</dt>
                        <dd data-testid="token-status">{token_status(&settings)}</dd>
                    </dl>
                    <div class="actions">{token_buttons(settings.token.is_some(), generate, confirming)}</div>
                </section>
            }.into_any(),
        }}
        {move || created.get().map(|token| view! {
            <div class="card notice" role="status">
                <p>"Copy the Secret Token now and paste it into Entra: it will not be shown again."</p>
                <code data-testid="new-scim-token">{token.secret_token.clone()}</code>
                <div class="actions"><CopyButton text=token.secret_token label="Copy Secret Token"/></div>
            </div>
        })}
        {move || confirming.get().map(|change| {
            let (title, text, label) = match change {
                TokenChange::Rotate => (
                    "Rotate the Secret Token?",
                    "The current token stops working at once: Entra's provisioning fails until you paste the new token into the enterprise app.",
                    "Rotate token",
                ),
                TokenChange::Revoke => (
                    "Revoke the Secret Token?",
                    "Entra's provisioning stops at once. Accounts already provisioned stay as they are.",
                    "Revoke token",
                ),
            };
            view! {
                <ConfirmDialog title=title.to_owned() text=text.to_owned() confirm_label=label
                    on_confirm=on_confirm on_cancel=move |()| confirming.set(None)/>
            }
        })}
        <ProvisioningLog refresh=changed/>
    }
}

fn token_status(settings: &ScimSettings) -> String {
    match &settings.token {
        None => "None yet: generate one to give to Entra.".to_owned(),
        Some(token) => format!(
            "{}… created {}, last used {}",
            token.prefix,
            components::minute(&token.created_at),
            token
                .last_used_at
                .as_ref()
                .map(components::minute)
                .unwrap_or_else(|| "never".to_owned())
        ),
    }
}

fn token_buttons(
    has_token: bool,
    generate: impl Fn() + Copy + 'static,
    confirming: RwSignal<Option<TokenChange>>,
) -> impl IntoView {
    if has_token {
        view! {
            <button type="button" on:click=move |_| confirming.set(Some(TokenChange::Rotate))>"Rotate token"</button>
            <button type="button" class="danger" on:click=move |_| confirming.set(Some(TokenChange::Revoke))>"Revoke token"</button>
        }
        .into_any()
    } else {
        view! { <button type="button" on:click=move |_| generate()>"Generate token"</button> }
            .into_any()
    }
}

fn call_row(call: ProvisioningCall) -> impl IntoView {
    let outcome = if (200..300).contains(&call.status) {
        format!("{} OK", call.status)
    } else {
        format!(
            "{} {}",
            call.status,
            call.detail.clone().unwrap_or_default()
        )
    };
    view! {
        <tr class:failed=!(200..300).contains(&call.status)>
            <td class="when">{components::minute(&call.created_at)}</td>
            <td>{call.method.clone()}</td>
            <td><code>{call.path.clone()}</code></td>
            <td>{outcome}</td>
        </tr>
    }
}

/// Entra's latest calls, newest first, a page at a time.
#[component]
fn ProvisioningLog(#[prop(into)] refresh: Signal<u32>) -> impl IntoView {
    let page = RwSignal::new(1_u64);
    let calls = RwSignal::new(None::<Result<Page<ProvisioningCall>, String>>);
    Effect::new(move |_| {
        refresh.track();
        let wanted = page.get();
        spawn_local(async move {
            calls.set(Some(
                api::provisioning_calls(wanted)
                    .await
                    .map_err(|failure| failure.message()),
            ));
        });
    });
    let total = Signal::derive(move || {
        calls.with(|calls| match calls {
            Some(Ok(page)) => page.total,
            _ => 0,
        })
    });
    view! {
        <section class="card" aria-labelledby="log-title">
            <h2 id="log-title">"Provisioning log"</h2>
            <p class="help">"Each call Entra made with the Secret Token in the last 30 days, and the answer it got."</p>
            {move || match calls.get() {
                None => view! { <p role="status">"Loading…"</p> }.into_any(),
                Some(Err(message)) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
                Some(Ok(found)) if found.items.is_empty() => view! { <p>"No calls from Entra yet."</p> }.into_any(),
                Some(Ok(found)) => view! {
                    <table>
                        <thead><tr>
                            <th scope="col">"When"</th><th scope="col">"Method"</th>
                            <th scope="col">"Path"</th><th scope="col">"Answer"</th>
                        </tr></thead>
                        <tbody>{found.items.into_iter().map(call_row).collect_view()}</tbody>
                    </table>
                }.into_any(),
            }}
            <Pager page=page total=total per_page=api::CALLS_PER_PAGE label="Provisioning log pages"/>
        </section>
    }
}
