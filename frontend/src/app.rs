use leptos::{prelude::*, task::spawn_local};
use leptos_router::{
    components::{A, Route, Router, Routes},
    hooks::use_navigate,
    path,
};
use proto::Claim;

use crate::{
    api, components,
    pages::{
        api_tokens::ApiTokensPage, azure_login::AzureLoginPage, home::HomePage, login::LoginPage,
        msp_onboarding::MspOnboardingPage, windows_gp::WindowsGpPage,
    },
    session::{Session, use_session},
    wizard::{AZURE_LOGIN, WINDOWS_GP, WizardControl, WizardOverlay},
};

#[component]
pub fn App() -> impl IntoView {
    let session = Session(RwSignal::new(None));
    provide_context(session);
    // The session cookie is HttpOnly: asking the server is the only way to know who is signed in.
    spawn_local(async move {
        session.set(api::me().await.ok());
    });
    let signed_in = Memo::new(move |_| session.is_signed_in());

    view! {
        <Router>
            {move || match signed_in.get() {
                None => view! { <p class="loading" role="status">"Loading…"</p> }.into_any(),
                Some(false) => view! { <LoginPage/> }.into_any(),
                Some(true) => view! { <Shell/> }.into_any(),
            }}
        </Router>
    }
}

#[component]
fn Shell() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    provide_context(WizardControl::start(session));
    let sign_out = move |_| {
        let navigate = navigate.clone();
        spawn_local(async move {
            // Even if the call fails, forget the session locally; the cookie expires on its own.
            let _ = api::logout().await;
            session.set(None);
            navigate("/", Default::default());
        });
    };
    let user_email = move || {
        session
            .signed_in()
            .map(|me| me.user.email)
            .unwrap_or_default()
    };
    let tenant_line = move || {
        session
            .signed_in()
            .map(|me| {
                format!(
                    "{} · {}",
                    me.tenant.name,
                    components::tenant_type_label(me.tenant.tenant_type)
                )
            })
            .unwrap_or_default()
    };
    let sees_endpoint_settings = move || {
        session
            .signed_in()
            .is_some_and(|me| me.claims.contains(&Claim::ViewEndpointSettings))
    };

    view! {
        <header class="topbar">
            <span class="brand">"MSP Onboarding"</span>
            <nav aria-label="Main">
                <A href="/">"Home"</A>
                <Show when=sees_endpoint_settings>
                    <A href=WINDOWS_GP>"Endpoint Settings"</A>
                </Show>
                <A href=AZURE_LOGIN>"Guide"</A>
                <A href="/api-tokens">"API tokens"</A>
                <a href="/api-docs/" target="_blank" rel="noopener">"API docs"</a>
            </nav>
            <div class="who" aria-label="Signed in as">
                <span class="who-email" data-testid="signed-in-user">{user_email}</span>
                <span class="who-tenant" data-testid="signed-in-tenant">{tenant_line}</span>
            </div>
            <button type="button" class="secondary" on:click=sign_out>"Sign out"</button>
        </header>
        <main>
            <Routes fallback=|| view! { <h1>"Page not found"</h1><p><A href="/">"Back to the home page"</A></p> }>
                <Route path=path!("/") view=HomePage/>
                <Route path=path!("/endpoint-settings/windows-gp") view=WindowsGpPage/>
                <Route path=path!("/guide/azure-login") view=AzureLoginPage/>
                <Route path=path!("/guide/msp-onboarding") view=MspOnboardingPage/>
                <Route path=path!("/api-tokens") view=ApiTokensPage/>
            </Routes>
        </main>
        <WizardOverlay/>
    }
}
