use leptos::{prelude::*, task::spawn_local};
use leptos_router::{
    Lazy,
    components::{A, Route, Router, Routes},
    hooks::{use_location, use_navigate},
    path,
};
use proto::{Claim, Role};
use uuid::Uuid;

use crate::{
    api::{account, customer_tenants},
    components::{self, customer_tenant_banner::CustomerTenantBanner},
    lazy_pages::{
        ApiTokensRoute, AzureLoginRoute, CustomerEntraRoute, CustomersRoute, GroupsRoute,
        JobsRoute, MspOnboardingRoute, ProfileRoute, SecurityIntegrationsRoute, SsoRoute,
        TenantAddressRoute, UserSourceRoute, UsersRoute, WindowsGpRoute,
    },
    pages::{
        accept_invitation::{ACCEPT_INVITATION, AcceptInvitationPage},
        customers::{CUSTOMERS, sees_customers},
        enrolment::ForcedEnrolmentPage,
        groups::GROUPS,
        home::HomePage,
        jobs::JOBS,
        login::LoginPage,
        profile::PROFILE,
        security_integrations::SECURITY_INTEGRATIONS,
        sso::SSO,
        tenant_address::address_path,
        user_source::USER_SOURCE,
        users::USERS,
    },
    session::{self, Session, use_session},
    wizard::{AZURE_LOGIN, WINDOWS_GP, WizardControl, WizardOverlay},
};

/// What the whole window shows; changes only on sign-in, sign-out, finished enrolment and a move
/// into or out of a customer tenant, so the shell is not rebuilt when details of the signed-in
/// user change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Screen {
    Loading,
    SignIn,
    /// Use MFA is on and no app is enrolled: the API allows nothing else yet.
    Enrolment,
    /// The app in the tenant with this ID: the MSP's, or a customer tenant opened from it.
    Shell(Uuid),
}

#[component]
pub fn App() -> impl IntoView {
    let session = Session(RwSignal::new(None));
    provide_context(session);
    // The session cookie is HttpOnly: asking the server is the only way to know who is signed in.
    spawn_local(async move {
        session.set(account::me().await.ok());
    });

    view! {
        <Router>
            <Screens/>
        </Router>
    }
}

#[component]
fn Screens() -> impl IntoView {
    let session = use_session();
    let location = use_location();
    let screen = Memo::new(move |_| {
        session.0.with(|state| match state {
            None => Screen::Loading,
            Some(None) => Screen::SignIn,
            Some(Some(me)) if me.mfa_enrolment_required => Screen::Enrolment,
            Some(Some(me)) => Screen::Shell(me.tenant.id),
        })
    });
    open_host_address();
    // A session the server ended shows the sign-in page at the home address, as Sign out does:
    // the next person to sign in may not be the one whose page this was.
    let navigate = use_navigate();
    session::watch_for_end(session, move || navigate("/", Default::default()));
    // An invitation is accepted by someone who has no account yet, signed in here or not.
    let accepting = Memo::new(move |_| location.pathname.get() == ACCEPT_INVITATION);
    move || {
        if accepting.get() {
            return view! { <AcceptInvitationPage/> }.into_any();
        }
        match screen.get() {
            Screen::Loading => view! { <p class="loading" role="status">"Loading…"</p> }.into_any(),
            Screen::SignIn => view! { <LoginPage/> }.into_any(),
            Screen::Enrolment => view! { <ForcedEnrolmentPage/> }.into_any(),
            Screen::Shell(_) => view! { <Shell/> }.into_any(),
        }
    }
}

/// With a public domain, a customer tenant's own host (`https://<address>.<domain>`) stands for
/// its address: asked once at startup, it leads to `/t/<address>` as soon as it is known who is
/// signed in, unless this session is in that tenant already.
fn open_host_address() {
    let session = use_session();
    let navigate = use_navigate();
    let host_address = RwSignal::new(None::<String>);
    spawn_local(async move {
        if let Ok(found) = customer_tenants::host_address().await {
            host_address.set(Some(found.address));
        }
    });
    Effect::new(move |done: Option<bool>| {
        if done == Some(true) {
            return true;
        }
        let Some(address) = host_address.get() else {
            return false;
        };
        let inside = match session.0.get() {
            None => return false,
            Some(me) => me
                .and_then(|me| me.customer_tenant)
                .is_some_and(|visit| visit.customer_tenant.address == address),
        };
        if !inside {
            navigate(&address_path(&address), Default::default());
        }
        true
    });
}

/// Ends the server's session, then forgets it here even if that call failed: the cookie expires
/// on its own.
#[component]
pub fn SignOutButton() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let sign_out = move |_| {
        let navigate = navigate.clone();
        spawn_local(async move {
            let _ = account::logout().await;
            session.set(None);
            navigate("/", Default::default());
        });
    };
    view! { <button type="button" class="secondary" on:click=sign_out>"Sign out"</button> }
}

#[component]
fn Shell() -> impl IntoView {
    let session = use_session();
    provide_context(WizardControl::start(session));
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
    let is_admin = move || session.signed_in().is_some_and(|me| me.role == Role::Admin);
    let sees_customers = move || session.signed_in().is_some_and(|me| sees_customers(&me));
    let sees_endpoint_settings = move || {
        session
            .signed_in()
            .is_some_and(|me| me.claims.contains(&Claim::ViewEndpointSettings))
    };

    view! {
        <CustomerTenantBanner/>
        <header class="topbar">
            <span class="brand">"MSP Onboarding"</span>
            <nav aria-label="Main">
                <A href="/">"Home"</A>
                <Show when=sees_customers>
                    <A href=CUSTOMERS>"Customers"</A>
                </Show>
                <Show when=sees_endpoint_settings>
                    <A href=WINDOWS_GP>"Endpoint Settings"</A>
                </Show>
                <A href=AZURE_LOGIN>"Guide"</A>
                <A href=USERS>"Users"</A>
                <Show when=is_admin>
                    <A href=GROUPS>"Technician groups"</A>
                    <A href=SSO>"SSO"</A>
                    <A href=SECURITY_INTEGRATIONS>"Security integrations"</A>
                    <A href=USER_SOURCE>"User source"</A>
                    <A href=JOBS>"Jobs"</A>
                </Show>
                <A href="/api-tokens">"API tokens"</A>
                <a href="/api-docs/" target="_blank" rel="noopener">"API docs"</a>
            </nav>
            <div class="who" aria-label="Signed in as">
                <span class="who-email" data-testid="signed-in-user">{user_email}</span>
                <span class="who-tenant" data-testid="signed-in-tenant">{tenant_line}</span>
            </div>
            <A href=PROFILE>"Profile"</A>
            <SignOutButton/>
        </header>
        <main>
            <Routes fallback=|| view! { <h1>"Page not found"</h1><p><A href="/">"Back to the home page"</A></p> }>
                <Route path=path!("/") view=HomePage/>
                <Route path=path!("/customers") view={Lazy::<CustomersRoute>::new()}/>
                <Route path=path!("/t/:address") view={Lazy::<TenantAddressRoute>::new()}/>
                <Route path=path!("/customer-entra") view={Lazy::<CustomerEntraRoute>::new()}/>
                <Route path=path!("/customer-entra/:id") view={Lazy::<CustomerEntraRoute>::new()}/>
                <Route path=path!("/endpoint-settings/windows-gp") view={Lazy::<WindowsGpRoute>::new()}/>
                <Route path=path!("/guide/azure-login") view={Lazy::<AzureLoginRoute>::new()}/>
                <Route path=path!("/guide/msp-onboarding") view={Lazy::<MspOnboardingRoute>::new()}/>
                <Route path=path!("/teams/users") view={Lazy::<UsersRoute>::new()}/>
                <Route path=path!("/teams/groups") view={Lazy::<GroupsRoute>::new()}/>
                <Route path=path!("/user-source") view={Lazy::<UserSourceRoute>::new()}/>
                <Route path=path!("/settings/sso") view={Lazy::<SsoRoute>::new()}/>
                <Route path=path!("/settings/security-integrations") view={Lazy::<SecurityIntegrationsRoute>::new()}/>
                <Route path=path!("/settings/jobs") view={Lazy::<JobsRoute>::new()}/>
                <Route path=path!("/profile") view={Lazy::<ProfileRoute>::new()}/>
                <Route path=path!("/api-tokens") view={Lazy::<ApiTokensRoute>::new()}/>
            </Routes>
        </main>
        <WizardOverlay/>
    }
}
