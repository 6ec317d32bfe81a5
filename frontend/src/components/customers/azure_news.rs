//! "What is new" in the Azure customers grid (issue 19): the reseller's **Show new sub-tenants**
//! switch, a New mark on the sub-tenants first listed since the user's previous visit, and for a
//! sub-tenant renamed in Azure since its customer was created from it, a note with **Rename
//! customer**.

use leptos::{prelude::*, task::spawn_local};
use proto::{AzureCustomer, AzureRename, NewSubTenantsSetting};

use super::{
    azure_rows::{KnownCustomer, RowChange},
    focus_by_id,
};
use crate::api::{self, customers as api_customers};

/// The switch, loaded from the server and saved as soon as it is changed; `on_saved` lists the
/// sub-tenants again so that the marks come or go. Absent for a user the server does not let
/// read the setting.
#[component]
pub fn NewSubTenantsSwitch(#[prop(into)] on_saved: Callback<()>) -> impl IntoView {
    let shown = RwSignal::new(None::<bool>);
    let refused = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    spawn_local(async move {
        match api::new_sub_tenants_setting().await {
            Ok(setting) => {
                shown.try_set(Some(setting.show_new_sub_tenants));
            }
            Err(failure) if failure.status() == Some(403) => {
                refused.try_set(true);
            }
            Err(failure) => {
                problem.try_set(Some(failure.message()));
            }
        }
    });
    let change = move |event| {
        let wanted = event_target_checked(&event);
        let before = shown.get_untracked();
        shown.set(Some(wanted));
        problem.set(None);
        spawn_local(async move {
            let setting = NewSubTenantsSetting {
                show_new_sub_tenants: wanted,
            };
            match api::save_new_sub_tenants_setting(setting).await {
                Ok(saved) => {
                    shown.try_set(Some(saved.show_new_sub_tenants));
                    on_saved.run(());
                }
                Err(failure) => {
                    shown.try_set(before);
                    problem.try_set(Some(failure.message()));
                }
            }
        });
    };
    view! {
        <div class="news-switch" hidden=move || refused.get()>
            <div class="switch-line">
                <input id="azure-show-new" type="checkbox" role="switch"
                    prop:checked=move || shown.get().unwrap_or(false)
                    disabled=move || shown.with(Option::is_none)
                    aria-describedby="azure-show-new-help"
                    on:change=change/>
                <label for="azure-show-new">"Show new sub-tenants"</label>
            </div>
            <p id="azure-show-new-help" class="help">
                "Marks sub-tenants new since your previous visit and those renamed in Azure, for everyone in your reseller."
            </p>
            <p class="error" role="alert" hidden=move || problem.with(Option::is_none)>
                {move || problem.get().unwrap_or_default()}
            </p>
        </div>
    }
}

/// The New mark, in words, for a sub-tenant first listed since the user's previous visit.
pub fn new_badge(row: &AzureCustomer) -> Option<AnyView> {
    row.new_since_last_visit.then(|| {
        view! {
            <span class="new-tag" data-testid="new-badge">
                "New"<span class="visually-hidden">": first listed since your previous visit"</span>
            </span>
        }
        .into_any()
    })
}

/// What came of a Rename customer, next to its sub-tenant: what the customer is called now, or
/// the refusal in words.
#[derive(Clone, PartialEq)]
pub struct RenameOutcome {
    pub tenant_id: String,
    pub outcome: Result<String, String>,
}

/// The outcomes shown in the grid.
pub type RenameOutcomes = RwSignal<Vec<RenameOutcome>>;

fn outcome_id(index: usize) -> String {
    format!("azure-renamed-{index}")
}

fn ask_rename(
    tenant_id: String,
    index: usize,
    before: AzureRename,
    busy: RwSignal<bool>,
    outcomes: RenameOutcomes,
    on_renamed: Callback<RowChange>,
) {
    if busy.get_untracked() {
        return;
    }
    busy.set(true);
    outcomes.update(|shown| shown.retain(|shown| shown.tenant_id != tenant_id));
    spawn_local(async move {
        let answer = api_customers::rename_customer_after_azure(&tenant_id).await;
        busy.try_set(false);
        let renamed = answer.is_ok();
        let outcome = match answer {
            Ok(customer) => {
                let words = format!("{} is now {}", before.customer_name, customer.name);
                on_renamed.run(RowChange::Customer(KnownCustomer::from(&customer)));
                Ok(words)
            }
            Err(failure) => Err(failure.message()),
        };
        outcomes.try_update(|shown| shown.push(RenameOutcome { tenant_id, outcome }));
        if renamed {
            // The row is drawn again without its note and button: focus goes to what happened.
            request_animation_frame(move || focus_by_id(&outcome_id(index)));
        }
    });
}

/// The row's rename in Azure, if any, with Rename customer for those who may change customers
/// (`on_renamed` present), the refusal of it, and once renamed, the customer's new name.
pub fn rename_note(
    row: &AzureCustomer,
    index: usize,
    outcomes: RenameOutcomes,
    on_renamed: Option<Callback<RowChange>>,
) -> AnyView {
    let tenant_id = row.tenant_id.clone();
    let outcome = Memo::new(move |_| {
        outcomes.with(|shown| {
            shown
                .iter()
                .find(|shown| shown.tenant_id == tenant_id)
                .map(|shown| shown.outcome.clone())
        })
    });
    let Some(rename) = row.renamed.clone() else {
        return view! {
            {move || match outcome.get() {
                Some(Ok(words)) => Some(view! {
                    <p id=outcome_id(index) class="match renamed-done" role="status" tabindex="-1" data-testid="azure-renamed">{words}</p>
                }),
                _ => None,
            }}
        }
        .into_any();
    };
    let note_id = format!("azure-rename-{index}");
    let words = format!(
        "Renamed in Azure (was {}); customer: {}",
        rename.previous_azure_name, rename.customer_name
    );
    let button = on_renamed.map(|on_renamed| {
        let busy = RwSignal::new(false);
        let tenant_id = row.tenant_id.clone();
        let customer_name = rename.customer_name.clone();
        view! {
            <button type="button" class="small" aria-describedby=note_id.clone()
                aria-disabled=move || busy.get().to_string()
                on:click=move |_| ask_rename(tenant_id.clone(), index, rename.clone(), busy, outcomes, on_renamed)>
                "Rename customer"<span class="visually-hidden">{format!(" {customer_name}")}</span>
            </button>
        }
    });
    view! {
        <div class="match renamed" data-testid="azure-rename">
            <span id=note_id.clone()>{words}</span>
            " "{button}
            <p class="field-error" role="alert" data-testid="azure-rename-error" hidden=move || !matches!(outcome.get(), Some(Err(_)))>
                {move || match outcome.get() {
                    Some(Err(words)) => words,
                    _ => String::new(),
                }}
            </p>
        </div>
    }
    .into_any()
}
