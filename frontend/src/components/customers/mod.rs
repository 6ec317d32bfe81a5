//! The customer list (SPEC §6): a modal with the Customers and Azure customers grids, the
//! create-customer form (SPEC §7) opened from an Azure row or blank, and, for admins, the
//! deletion of a customer (SPEC §15). Mounted by the MSP Onboarding tab and by the wizard's
//! step 12 (which puts its Done in `footer`); the Customers page reuses the form and the
//! deletion dialog.

mod azure_grid;
mod azure_match;
mod azure_news;
mod azure_rows;
mod bulk_create;
mod bulk_outcome;
mod choices;
mod customers_grid;
mod delete;
mod fields;
mod form;

use domain::ResellerTerms;
use leptos::{prelude::*, task::spawn_local, wasm_bindgen::JsCast, web_sys::HtmlElement};
use proto::{AzureCustomer, Claim, Customer, Me, Role};

use crate::{api, components::dialog::ModalDialog, session::use_session};

use self::{
    azure_grid::{AzureGrid, AzureListing},
    azure_rows::{KnownCustomer, RowChange},
    customers_grid::CustomersGrid,
};
pub use self::{delete::DeleteCustomerDialog, form::CreateCustomerForm};

/// The Entra app registration's Client ID and Secret Value, as typed on the MSP Onboarding tab.
/// Held in page memory only; Debug is redacted.
#[derive(Clone)]
pub struct GraphCredentials {
    pub client_id: String,
    pub client_secret: String,
}

impl std::fmt::Debug for GraphCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GraphCredentials")
            .field("client_id", &self.client_id)
            .field("client_secret", &"[redacted]")
            .finish()
    }
}

pub fn focus_by_id(id: &str) {
    if let Some(element) = document()
        .get_element_by_id(id)
        .and_then(|element| element.dyn_into::<HtmlElement>().ok())
    {
        let _ = element.focus();
    }
}

/// What the create-customer form allows the signed-in reseller: its licensing options and
/// whether it distributes master GPs. With `may_create`, the session's setting is refreshed from
/// the server, since it may predate a change made on the Windows GP page.
pub fn reseller_terms(me: Option<&Me>, may_create: bool) -> Signal<ResellerTerms> {
    let held_options = me
        .map(|me| me.tenant.licensing_options.clone())
        .unwrap_or_default();
    let distribution = RwSignal::new(me.is_some_and(|me| me.tenant.master_gp_distribution));
    if may_create {
        spawn_local(async move {
            if let Ok(settings) = api::windows_gp_settings().await {
                distribution.try_set(settings.master_gp_distribution);
            }
        });
    }
    Signal::derive(move || ResellerTerms {
        licensing_options: held_options.clone(),
        master_gp_distribution: distribution.get(),
    })
}

/// Which create-customer form is open, if any.
#[derive(Clone)]
enum OpenForm {
    Blank,
    FromAzure(AzureCustomer),
}

#[component]
pub fn CustomerListModal(
    credentials: GraphCredentials,
    on_close: Callback<()>,
    /// Rendered at the bottom of the modal, inside its focus trap.
    #[prop(optional)]
    footer: Option<ViewFn>,
) -> impl IntoView {
    let me = use_session()
        .0
        .with_untracked(|state| state.clone().flatten());
    let holds = |claim| me.as_ref().is_some_and(|me| me.claims.contains(&claim));
    let (may_view, may_create) = (holds(Claim::ViewCustomers), holds(Claim::CreateCustomer));
    let may_delete = me.as_ref().is_some_and(|me| me.role == Role::Admin);
    let terms = reseller_terms(me.as_ref(), may_create);

    let credentials = StoredValue::new(credentials);
    let refresh = RwSignal::new(0_u32);
    let relist_azure = RwSignal::new(0_u32);
    let azure = AzureListing::default();
    let form = RwSignal::new(None::<OpenForm>);
    let open_blank = may_create.then(|| Callback::new(move |()| form.set(Some(OpenForm::Blank))));
    let open_from_azure = may_create
        .then(|| Callback::new(move |row: AzureCustomer| form.set(Some(OpenForm::FromAzure(row)))));
    let changed = Callback::new(move |()| refresh.update(|count| *count += 1));
    // Listing the sub-tenants again would count as the user's next visit and take the New marks
    // away: the Azure rows follow the created customer in place.
    let created = Callback::new(move |customer: Customer| {
        changed.run(());
        azure.change(&[RowChange::Customer(KnownCustomer::from(&customer))]);
    });
    // A deleted customer frees its name and Azure tenant ID: both grids ask again.
    let deleted = may_delete.then(|| {
        Callback::new(move |()| {
            changed.run(());
            relist_azure.update(|count| *count += 1);
        })
    });
    let close_form = Callback::new(move |()| form.set(None));

    view! {
        <ModalDialog labelled_by="customer-list-title" on_close=on_close class="customer-list">
            <div class="modal-head">
                <h2 id="customer-list-title">"Customer list"</h2>
                <button type="button" class="secondary" on:click=move |_| on_close.run(())>"Close"</button>
            </div>
            {if may_view {
                view! {
                    {(!may_create).then(|| view! {
                        <p class="help" data-testid="no-create-customer">"Your account cannot create customers: it lacks the “Create customer” permission."</p>
                    })}
                    <div class="grids">
                        <CustomersGrid refresh=refresh on_new=open_blank on_deleted=deleted/>
                        <AzureGrid credentials=credentials listing=azure relist=relist_azure on_create=open_from_azure terms=terms on_changed=changed/>
                    </div>
                }.into_any()
            } else {
                view! {
                    <p class="card notice" data-testid="no-view-customers">
                        "The Customers and Azure customers lists are not shown because your account lacks the “View customers” permission. Ask an administrator of your reseller to grant it."
                    </p>
                }.into_any()
            }}
            {footer.map(|footer| view! { <div class="modal-foot">{footer.run()}</div> })}
            {move || form.get().map(|open| {
                let from_azure = match open {
                    OpenForm::Blank => None,
                    OpenForm::FromAzure(row) => Some(row),
                };
                view! { <CreateCustomerForm from_azure=from_azure terms=terms on_created=created on_close=close_form/> }
            })}
        </ModalDialog>
    }
}
