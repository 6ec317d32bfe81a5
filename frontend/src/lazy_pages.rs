//! The routed pages other than Home, loaded the first time one of them is opened instead of with
//! the app: `scripts/build-frontend.sh` cuts the wasm at each `#[wasm_split]` function below
//! (`wasm-split-cli`), so the app starts with the shell, the home page and the sign-in screens,
//! and each group of pages comes as its own files when first needed. Pages that are used together
//! share a group, so that moving between them loads nothing more.
//!
//! The router waits for a group (`LazyRoute::preload`) while the previous page stays on screen. A
//! group that cannot be loaded (no network) shows a message instead of the page; the next visit
//! tries again. The home page inside a customer tenant loads its just-in-time access section the
//! same way (`JitAccessLoader`): only technicians who go into customer tenants need it.

use leptos::{
    __reexports::send_wrapper::SendWrapper,
    prelude::*,
    wasm_split::{SplitLoaderError, wasm_split},
};
use leptos_router::LazyRoute;
use uuid::Uuid;

use crate::pages::{
    api_tokens::ApiTokensPage, azure_login::AzureLoginPage, customer_entra::CustomerEntraPage,
    customers::CustomersPage, groups::GroupsPage, jit_access::JitAccessSection, jobs::JobsPage,
    msp_onboarding::MspOnboardingPage, profile::ProfilePage,
    security_integrations::SecurityIntegrationsPage, sso::SsoPage,
    tenant_address::TenantAddressPage, user_source::UserSourcePage, users::UsersPage,
    windows_gp::WindowsGpPage,
};

/// Shown instead of a page whose code could not be downloaded.
fn not_loaded() -> AnyView {
    view! {
        <p class="error" role="alert">
            "This page could not be loaded. Check your connection and open it again."
        </p>
    }
    .into_any()
}

#[derive(Clone, Copy)]
enum CustomerPage {
    List,
    TenantAddress,
}

#[wasm_split(
    customer_pages,
    wasm_split_path = ::leptos::wasm_split,
    preload(preload_customer_pages),
    fallible
)]
fn customer_pages(page: CustomerPage) -> Result<AnyView, SplitLoaderError> {
    Ok(match page {
        CustomerPage::List => view! { <CustomersPage/> }.into_any(),
        CustomerPage::TenantAddress => view! { <TenantAddressPage/> }.into_any(),
    })
}

/// The pages the onboarding guide walks through.
#[derive(Clone, Copy)]
enum GuidePage {
    WindowsGp,
    AzureLogin,
    MspOnboarding,
}

#[wasm_split(
    guide_pages,
    wasm_split_path = ::leptos::wasm_split,
    preload(preload_guide_pages),
    fallible
)]
fn guide_pages(page: GuidePage) -> Result<AnyView, SplitLoaderError> {
    Ok(match page {
        GuidePage::WindowsGp => view! { <WindowsGpPage/> }.into_any(),
        GuidePage::AzureLogin => view! { <AzureLoginPage/> }.into_any(),
        GuidePage::MspOnboarding => view! { <MspOnboardingPage/> }.into_any(),
    })
}

#[derive(Clone, Copy)]
enum TeamPage {
    Users,
    Groups,
}

#[wasm_split(
    team_pages,
    wasm_split_path = ::leptos::wasm_split,
    preload(preload_team_pages),
    fallible
)]
fn team_pages(page: TeamPage) -> Result<AnyView, SplitLoaderError> {
    Ok(match page {
        TeamPage::Users => view! { <UsersPage/> }.into_any(),
        TeamPage::Groups => view! { <GroupsPage/> }.into_any(),
    })
}

/// The admins' settings pages.
#[derive(Clone, Copy)]
enum SettingsPage {
    UserSource,
    Sso,
    SecurityIntegrations,
    Jobs,
}

#[wasm_split(
    settings_pages,
    wasm_split_path = ::leptos::wasm_split,
    preload(preload_settings_pages),
    fallible
)]
fn settings_pages(page: SettingsPage) -> Result<AnyView, SplitLoaderError> {
    Ok(match page {
        SettingsPage::UserSource => view! { <UserSourcePage/> }.into_any(),
        SettingsPage::Sso => view! { <SsoPage/> }.into_any(),
        SettingsPage::SecurityIntegrations => view! { <SecurityIntegrationsPage/> }.into_any(),
        SettingsPage::Jobs => view! { <JobsPage/> }.into_any(),
    })
}

/// The signed-in person's own pages.
#[derive(Clone, Copy)]
enum AccountPage {
    Profile,
    ApiTokens,
}

#[wasm_split(
    account_pages,
    wasm_split_path = ::leptos::wasm_split,
    preload(preload_account_pages),
    fallible
)]
fn account_pages(page: AccountPage) -> Result<AnyView, SplitLoaderError> {
    Ok(match page {
        AccountPage::Profile => view! { <ProfilePage/> }.into_any(),
        AccountPage::ApiTokens => view! { <ApiTokensPage/> }.into_any(),
    })
}

/// A customer's Entra connection for just-in-time accounts: a group of its own, since the admins
/// who set it up are not otherwise on a page that needs its code.
#[derive(Clone, Copy)]
enum EntraPage {
    CustomerConnection,
}

#[wasm_split(
    entra_pages,
    wasm_split_path = ::leptos::wasm_split,
    preload(preload_entra_pages),
    fallible
)]
fn entra_pages(page: EntraPage) -> Result<AnyView, SplitLoaderError> {
    Ok(match page {
        EntraPage::CustomerConnection => view! { <CustomerEntraPage/> }.into_any(),
    })
}

#[wasm_split(
    jit_access_section,
    wasm_split_path = ::leptos::wasm_split,
    fallible
)]
fn jit_access_section(customer_id: Uuid) -> Result<AnyView, SplitLoaderError> {
    Ok(view! { <JitAccessSection customer_id/> }.into_any())
}

/// The just-in-time access section of a customer tenant's home page, shown once its code is in.
#[component]
pub fn JitAccessLoader(customer_id: Uuid) -> impl IntoView {
    // `Suspend` wants a future it could send to another thread; the web app has one thread, and
    // the split loader's future (a JavaScript promise) stays on it.
    let loading = SendWrapper::new(async move {
        jit_access_section(customer_id)
            .await
            .unwrap_or_else(|_| not_loaded())
    });
    view! {
        <Suspense fallback=|| view! { <p role="status">"Loading just-in-time admin access…"</p> }>
            {Suspend::new(loading)}
        </Suspense>
    }
}

/// A route (`Lazy::<Route>::new()` in the router) for one page of a group.
macro_rules! lazy_page {
    ($route:ident, $group:ident, $preload:ident, $page:expr) => {
        pub struct $route;

        impl LazyRoute for $route {
            fn data() -> Self {
                Self
            }

            async fn view(_this: Self) -> AnyView {
                $group($page).await.unwrap_or_else(|_| not_loaded())
            }

            async fn preload() {
                // A failure shows up in `view`, which loads again.
                let _ = $preload().await;
            }
        }
    };
}

lazy_page!(
    CustomersRoute,
    customer_pages,
    preload_customer_pages,
    CustomerPage::List
);
lazy_page!(
    TenantAddressRoute,
    customer_pages,
    preload_customer_pages,
    CustomerPage::TenantAddress
);
lazy_page!(
    WindowsGpRoute,
    guide_pages,
    preload_guide_pages,
    GuidePage::WindowsGp
);
lazy_page!(
    AzureLoginRoute,
    guide_pages,
    preload_guide_pages,
    GuidePage::AzureLogin
);
lazy_page!(
    MspOnboardingRoute,
    guide_pages,
    preload_guide_pages,
    GuidePage::MspOnboarding
);
lazy_page!(UsersRoute, team_pages, preload_team_pages, TeamPage::Users);
lazy_page!(
    GroupsRoute,
    team_pages,
    preload_team_pages,
    TeamPage::Groups
);
lazy_page!(
    UserSourceRoute,
    settings_pages,
    preload_settings_pages,
    SettingsPage::UserSource
);
lazy_page!(
    SsoRoute,
    settings_pages,
    preload_settings_pages,
    SettingsPage::Sso
);
lazy_page!(
    SecurityIntegrationsRoute,
    settings_pages,
    preload_settings_pages,
    SettingsPage::SecurityIntegrations
);
lazy_page!(
    JobsRoute,
    settings_pages,
    preload_settings_pages,
    SettingsPage::Jobs
);
lazy_page!(
    CustomerEntraRoute,
    entra_pages,
    preload_entra_pages,
    EntraPage::CustomerConnection
);
lazy_page!(
    ProfileRoute,
    account_pages,
    preload_account_pages,
    AccountPage::Profile
);
lazy_page!(
    ApiTokensRoute,
    account_pages,
    preload_account_pages,
    AccountPage::ApiTokens
);
