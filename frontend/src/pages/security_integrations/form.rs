//! Adding Duo Web SDK, or editing it: what to copy from Duo's Admin Panel and where it is. The
//! server runs Duo's health check with the credentials before it saves them, and says which
//! field Duo or the rules refused.

use leptos::{ev::SubmitEvent, prelude::*, task::spawn_local};
use proto::{
    NewSecurityIntegration, SecurityIntegration, SecurityIntegrationChanges,
    SecurityIntegrationKind,
};

use uuid::Uuid;

use super::fields::{DuoField, Problems, Typed, problems, refusal};
use crate::{
    api::{ApiFailure, security_integrations as api},
    components::dialog::ModalDialog,
};

const WHERE: &str = "In Duo's Admin Panel, open Applications → Protect an Application, find Web SDK and click Protect (or open the Web SDK application you already have).";

/// The changes from `saved` to `typed`; `None` when nothing changed.
fn changes(saved: &SecurityIntegration, typed: &Typed) -> Option<SecurityIntegrationChanges> {
    let differs =
        |new: &str, old: &str| (!new.trim().eq_ignore_ascii_case(old)).then(|| new.to_owned());
    let change = SecurityIntegrationChanges {
        name: (typed.name.trim() != saved.name).then(|| typed.name.clone()),
        client_id: differs(&typed.client_id, &saved.client_id),
        client_secret: Some(typed.client_secret.clone()).filter(|secret| !secret.trim().is_empty()),
        api_hostname: differs(&typed.api_hostname, &saved.api_hostname),
        enabled: None,
    };
    (change != SecurityIntegrationChanges::default()).then_some(change)
}

/// What the form sends.
enum Save {
    Create(NewSecurityIntegration),
    Update(Uuid, SecurityIntegrationChanges),
}

impl Save {
    /// `None` for an edit that changes nothing.
    fn of(editing: Option<&SecurityIntegration>, typed: Typed) -> Option<Self> {
        match editing {
            None => Some(Self::Create(NewSecurityIntegration {
                kind: SecurityIntegrationKind::DuoWebSdk,
                name: typed.name,
                client_id: typed.client_id,
                client_secret: typed.client_secret,
                api_hostname: typed.api_hostname,
                enabled: true,
            })),
            Some(saved) => changes(saved, &typed).map(|change| Self::Update(saved.id, change)),
        }
    }

    async fn send(self) -> Result<SecurityIntegration, ApiFailure> {
        match self {
            Self::Create(new) => api::create(&new).await,
            Self::Update(id, change) => api::update(id, &change).await,
        }
    }
}

/// The form in a dialog: a new integration when `editing` is `None`.
#[component]
pub fn IntegrationDialog(
    editing: Option<SecurityIntegration>,
    /// Told what was saved, in words.
    #[prop(into)]
    on_saved: Callback<String>,
    #[prop(into)] on_close: Callback<()>,
) -> impl IntoView {
    let start = editing.as_ref().map_or_else(
        || Typed {
            name: "Duo".to_owned(),
            ..Typed::default()
        },
        |saved| Typed {
            name: saved.name.clone(),
            client_id: saved.client_id.clone(),
            client_secret: String::new(),
            api_hostname: saved.api_hostname.clone(),
        },
    );
    let name = RwSignal::new(start.name);
    let client_id = RwSignal::new(start.client_id);
    let client_secret = RwSignal::new(start.client_secret);
    let api_hostname = RwSignal::new(start.api_hostname);
    let field_problems = RwSignal::new(Problems::new());
    let refused = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let is_edit = editing.is_some();
    let editing = StoredValue::new(editing);

    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        refused.set(None);
        let typed = Typed {
            name: name.get_untracked(),
            client_id: client_id.get_untracked(),
            client_secret: client_secret.get_untracked(),
            api_hostname: api_hostname.get_untracked(),
        };
        let found = problems(&typed, is_edit);
        let invalid = !found.is_empty();
        field_problems.set(found);
        if invalid || busy.get_untracked() {
            return;
        }
        let Some(save) = editing.with_value(|editing| Save::of(editing.as_ref(), typed)) else {
            on_close.run(());
            return;
        };
        busy.set(true);
        spawn_local(async move {
            let answer = save.send().await;
            busy.set(false);
            match answer {
                Ok(saved) if is_edit => on_saved.run(format!("Changes to {} saved.", saved.name)),
                Ok(saved) => on_saved.run(format!(
                    "{} added: Duo answered, and users can now link Duo on their profile page.",
                    saved.name
                )),
                Err(failure) => {
                    let (found, whole) = refusal(&failure);
                    field_problems.set(found);
                    refused.set(whole);
                }
            }
        });
    };
    let (title, save_label) = if is_edit {
        ("Edit Duo Web SDK", "Save changes")
    } else {
        ("Add Duo Web SDK", "Add integration")
    };
    let secret_help = if is_edit {
        "Leave empty to keep the saved secret. A new one: Client secret on the same page, 40 letters and digits."
    } else {
        "Client secret on the same page: 40 letters and digits (click to reveal it there). It is stored encrypted and never shown again."
    };
    view! {
        <ModalDialog labelled_by="integration-title" on_close class="user-dialog">
            <form on:submit=submit novalidate>
                <div class="modal-head">
                    <h2 id="integration-title">{title}</h2>
                    <button type="button" class="secondary" on:click=move |_| on_close.run(())>"Cancel"</button>
                </div>
                <p class="help">{WHERE} " The application's page shows the three values below. Duo is asked to confirm them before anything is saved."</p>
                <DuoField field="name" label="Name" value=name problems=field_problems maxlength="100"
                    help="Shown to admins here; users just see Duo.".to_owned()/>
                <DuoField field="client_id" label="Client ID" value=client_id problems=field_problems maxlength="40"
                    help="Client ID on the Web SDK application's page: 20 letters and digits, e.g. DIWJ8X6AEYOR5OMC6TQ1.".to_owned()/>
                <DuoField field="client_secret" label="Client Secret" value=client_secret problems=field_problems
                    kind="password" maxlength="80" help=secret_help.to_owned()/>
                <DuoField field="api_hostname" label="API hostname" value=api_hostname problems=field_problems maxlength="260"
                    help="API hostname on the same page, e.g. api-1a2b3c4d.duosecurity.com, without https://.".to_owned()/>
                {move || refused.get().map(|text| view! { <p class="error" role="alert">{text}</p> })}
                <div class="modal-foot">
                    <button type="submit" disabled=move || busy.get()>
                        {move || if busy.get() { "Asking Duo…" } else { save_label }}
                    </button>
                </div>
            </form>
        </ModalDialog>
    }
}
