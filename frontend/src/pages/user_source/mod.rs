//! Teams → Users → User source (SPEC §16, admins): where the tenant's technicians come from.
//! With Microsoft Entra ID, the admin authorises the connection by Entra's admin consent, picks
//! the onboarding domain and the username prefix, watches the offboarding sync, and decides
//! whether technicians Entra enabled again come back.

mod form;
mod reenabled;
mod sync;

use leptos::{prelude::*, task::spawn_local};
use proto::{Role, UserSourceKind, UserSourceSettings};

use self::{
    form::{SourceForm, source_label},
    reenabled::ReenabledSection,
    sync::{SyncSection, SyncWatch},
};
use crate::{
    api::user_source as api,
    components::entra_consent::{Connection, ConsentFor, take_return},
    session::use_session,
};

/// Where the page lives; Entra's admin consent comes back here.
pub const USER_SOURCE: &str = "/user-source";

const USER_SOURCE_CONSENT: &str = "Authorize opens Microsoft Entra, where an administrator of your directory accepts that this app reads its users and domains. No secret of yours is stored here.";

#[component]
pub fn UserSourcePage() -> impl IntoView {
    let admin = use_session()
        .signed_in()
        .is_some_and(|me| me.role == Role::Admin);
    view! {
        <p class="breadcrumb">"Teams › Users › User source"</p>
        {if admin {
            view! { <UserSource/> }.into_any()
        } else {
            view! {
                <h1 tabindex="-1">"User source"</h1>
                <p class="error" role="alert">"Only admins choose where the users of your tenant come from."</p>
            }.into_any()
        }}
    }
}

#[component]
fn UserSource() -> impl IntoView {
    let returned = take_return();
    let settings = RwSignal::new(None::<Result<UserSourceSettings, String>>);
    spawn_local(async move {
        let answer = api::settings().await.map_err(|failure| failure.message());
        settings.try_set(Some(answer));
    });
    // The page is built once the first answer is in; what changes later (a save, a sync) is
    // always a new `Ok`.
    let loaded = Memo::new(move |_| settings.with(Option::is_some));
    let current = move || {
        settings.with(|settings| {
            settings
                .as_ref()
                .and_then(|settings| settings.as_ref().ok())
                .map(|settings| settings.source)
        })
    };
    let entra_active = move || current() == Some(UserSourceKind::Azuread);
    let connection = Signal::derive(move || {
        settings.with(|settings| {
            settings
                .as_ref()
                .and_then(|settings| settings.as_ref().ok())
                .and_then(|settings| settings.connection.clone())
        })
    });
    let watch = SyncWatch::default();

    view! {
        <h1 tabindex="-1">"User source"</h1>
        <p>"Where your technicians come from: invited here, or from your Microsoft Entra directory, which then decides who may be onboarded and whose account ends."</p>
        {move || {
            if !loaded.get() {
                return view! { <p role="status">"Loading…"</p> }.into_any();
            }
            match settings.get_untracked() {
                Some(Ok(initial)) => view! {
                    <p data-testid="current-source">"Users come from: " <strong>{move || current().map(source_label)}</strong></p>
                    <Connection connection returned=returned.clone() target=ConsentFor::UserSource help=USER_SOURCE_CONSENT/>
                    <SourceForm settings initial watch/>
                    <Show when=entra_active>
                        <SyncSection settings watch/>
                    </Show>
                    <ReenabledSection settings/>
                }.into_any(),
                Some(Err(message)) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
                None => ().into_any(),
            }
        }}
    }
}
