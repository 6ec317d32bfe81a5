//! The create-customer form's inputs: what the user typed, the request it makes, and which of
//! the domain's complaints to show next to which field.

use std::collections::BTreeSet;

use domain::{CustomerDraft, ResellerTerms};
use leptos::prelude::*;
use proto::{CreateCustomer, FieldError, LicensingOption};

use crate::api::sentence;

/// The form's fields as typed.
#[derive(Clone, Copy)]
pub struct FormInputs {
    pub name: RwSignal<String>,
    /// Optional: the name when left empty.
    pub display_name: RwSignal<String>,
    /// Optional: derived from the name when left empty.
    pub tenant_name: RwSignal<String>,
    pub total_licenses: RwSignal<String>,
    pub email: RwSignal<String>,
    pub details: RwSignal<String>,
    pub azure_tenant_id: RwSignal<String>,
    pub monthly_billing: RwSignal<bool>,
    pub licensing: RwSignal<BTreeSet<LicensingOption>>,
    pub opt_in_master_gp: RwSignal<bool>,
}

fn given(text: &str) -> Option<String> {
    let trimmed = text.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

impl FormInputs {
    pub fn new(name: String, azure_tenant_id: String) -> Self {
        Self {
            name: RwSignal::new(name),
            display_name: RwSignal::new(String::new()),
            tenant_name: RwSignal::new(String::new()),
            total_licenses: RwSignal::new(String::new()),
            email: RwSignal::new(String::new()),
            details: RwSignal::new(String::new()),
            azure_tenant_id: RwSignal::new(azure_tenant_id),
            // SPEC §7: monthly billing is on unless turned off.
            monthly_billing: RwSignal::new(true),
            licensing: RwSignal::new(BTreeSet::new()),
            opt_in_master_gp: RwSignal::new(false),
        }
    }

    /// The request body, exactly as the server will parse it.
    pub fn request(&self) -> CreateCustomer {
        let total_licenses = self.total_licenses.with(|raw| {
            let raw = raw.trim();
            // Not a whole number counts as out of range, which the domain words for the user.
            (!raw.is_empty()).then(|| raw.parse::<i64>().unwrap_or(0))
        });
        CreateCustomer {
            name: Some(self.name.get()),
            tenant_name: self.tenant_name.with(|text| given(text)),
            display_name: self.display_name.with(|text| given(text)),
            total_licenses,
            email: Some(self.email.get()),
            details: self.details.with(|text| given(text)),
            monthly_billing: Some(self.monthly_billing.get()),
            licensing_options: self
                .licensing
                .with(|chosen| chosen.iter().copied().collect()),
            opt_in_master_gp: self.opt_in_master_gp.get(),
            azure_tenant_id: self.azure_tenant_id.with(|text| given(text)),
            spla: None,
        }
    }
}

/// The rules of SPEC §7 applied to what is typed, by the same code the server runs.
pub fn live_problems(request: &CreateCustomer, terms: &ResellerTerms) -> Vec<FieldError> {
    CustomerDraft::parse(request, terms)
        .err()
        .unwrap_or_default()
}

/// Problems that only make sense once the user has finished typing (an address or a tenant name
/// half typed is not yet wrong); the others — an empty required field, a forbidden character —
/// show at once.
fn waits_for_blur(field: &str, code: &str) -> bool {
    field == "tenant_name" || matches!(code, "invalid_email" | "invalid_guid")
}

/// What to show next to each field: the server's word wins until the field is edited again.
/// `server` (one entry per field) and `left` are plain lists: they hold a handful of fields, and
/// a map or set of their own types would add its own copy of the B-tree code to the web app.
#[derive(Clone, Copy)]
pub struct FieldMessages {
    pub live: Memo<Vec<FieldError>>,
    pub server: RwSignal<Vec<(String, String)>>,
    pub left: RwSignal<Vec<&'static str>>,
    pub submitted: RwSignal<bool>,
}

impl FieldMessages {
    pub fn new(live: Memo<Vec<FieldError>>) -> Self {
        Self {
            live,
            server: RwSignal::new(Vec::new()),
            left: RwSignal::new(Vec::new()),
            submitted: RwSignal::new(false),
        }
    }

    pub fn message(&self, field: &'static str) -> Option<String> {
        let from_server = self.server.with(|server| {
            server
                .iter()
                .find(|(named, _)| named == field)
                .map(|(_, message)| message.clone())
        });
        if let Some(message) = from_server {
            return Some(message);
        }
        let settled = self.submitted.get() || self.left.with(|left| left.contains(&field));
        self.live.with(|problems| {
            let messages: Vec<String> = problems
                .iter()
                .filter(|problem| problem.field == field)
                .filter(|problem| settled || !waits_for_blur(&problem.field, &problem.code))
                .map(|problem| sentence(&problem.message))
                .collect();
            (!messages.is_empty()).then(|| messages.join(" "))
        })
    }

    /// The user changed the field: the server's earlier complaint no longer applies.
    pub fn edited(&self, field: &'static str) {
        self.server
            .update(|server| server.retain(|(named, _)| named != field));
    }

    pub fn leave(&self, field: &'static str) {
        self.left.update(|left| {
            if !left.contains(&field) {
                left.push(field);
            }
        });
    }
}

/// One labelled text input with its error, wired for assistive technology.
#[component]
pub fn TextField(
    id: &'static str,
    field: &'static str,
    label: &'static str,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] required: bool,
    #[prop(optional)] read_only: bool,
    #[prop(optional)] hint: Option<&'static str>,
    value: RwSignal<String>,
    messages: FieldMessages,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let message = Memo::new(move |_| messages.message(field));
    let described_by = {
        let (error_id, hint_id) = (error_id.clone(), hint_id.clone());
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if message.with(Option::is_some) {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field" class:invalid=move || message.with(Option::is_some)>
            <label for=id>{label}{required.then_some(view! { <span class="required" aria-hidden="true">" *"</span> })}</label>
            <input id=id type=input_type required=required readonly=read_only
                inputmode=(input_type == "number").then_some("numeric")
                min=(input_type == "number").then_some("1")
                aria-invalid=move || message.with(Option::is_some).to_string()
                aria-describedby=described_by
                prop:value=value
                on:input=move |event| {
                    value.set(event_target_value(&event));
                    messages.edited(field);
                }
                on:blur=move |_| messages.leave(field)/>
            {hint.map(|hint| view! { <p id=hint_id class="help">{hint}</p> })}
            <p id=error_id class="field-error" data-field=field hidden=move || message.with(Option::is_none)>
                {move || message.get().unwrap_or_default()}
            </p>
        </div>
    }
}
