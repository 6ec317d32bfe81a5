use leptos::{prelude::*, task::spawn_local};
use leptos_router::{
    components::{A, Route, Router, Routes},
    hooks::use_navigate,
    path,
};

use crate::{
    api,
    pages::{api_tokens::ApiTokensPage, home::HomePage, login::LoginPage},
    session::{Session, use_session},
};

#[component]
pub fn App() -> impl IntoView {
    let session = Session(RwSignal::new(None));
    provide_context(session);
    // The session cookie is HttpOnly: asking the server is the only way to know who is signed in.
    spawn_local(async move {
        session.set(api::me().await.ok());
    });

    view! {
        <Router>
            {move || match session.0.get() {
                None => view! { <p class="loading" role="status">"Loading…"</p> }.into_any(),
                Some(None) => view! { <LoginPage/> }.into_any(),
                Some(Some(_)) => view! { <Shell/> }.into_any(),
            }}
        </Router>
    }
}

#[component]
fn Shell() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
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
                    crate::pages::tenant_type_label(me.tenant.tenant_type)
                )
            })
            .unwrap_or_default()
    };

    view! {
        <header class="topbar">
            <span class="brand">"MSP Onboarding"</span>
            <nav aria-label="Main">
                <A href="/">"Home"</A>
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
                <Route path=path!("/api-tokens") view=ApiTokensPage/>
            </Routes>
        </main>
    }
}
