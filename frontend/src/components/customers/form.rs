//! The create-customer form (SPEC §7), blank or pre-filled from an Azure row: the domain's rules
//! shown live per field, the server's answer mapped back onto the fields, and the new licence key.

use domain::{LicensingAvailability, ResellerTerms, toggle_licensing_option};
use leptos::{ev::SubmitEvent, prelude::*, task::spawn_local, wasm_bindgen::JsCast};
use proto::{AzureCustomer, CreateCustomer, Customer, LicensingOption};

use super::{
    choices,
    fields::{FieldMessages, FormInputs, TextField, live_problems},
    focus_by_id,
};
use crate::{
    api::{ApiFailure, customers as api, sentence},
    components::{day, dialog::ModalDialog},
};

/// The form's fields in page order, each with the id of the control that takes focus for it.
const FIELD_CONTROLS: [(&str, &str); 9] = [
    ("name", "customer-name"),
    ("display_name", "customer-display-name"),
    ("tenant_name", "customer-tenant-name"),
    ("total_licenses", "customer-total-licenses"),
    ("email", "customer-email"),
    ("details", "customer-details"),
    ("azure_tenant_id", "customer-azure-tenant-id"),
    ("licensing_options", "customer-licensing"),
    ("opt_in_master_gp", "customer-opt-in-master-gp"),
];

pub(super) fn focus_first_problem(fields_with_problems: impl Fn(&str) -> bool) {
    if let Some((_, control)) = FIELD_CONTROLS
        .iter()
        .find(|(field, _)| fields_with_problems(field))
    {
        focus_by_id(control);
    }
}

/// 16 random bytes from the browser's cryptographic generator, as hex.
pub(super) fn random_idempotency_key() -> Option<String> {
    use leptos::web_sys::js_sys::{Function, Reflect, Uint8Array, global};
    let crypto = Reflect::get(&global(), &"crypto".into()).ok()?;
    let fill: Function = Reflect::get(&crypto, &"getRandomValues".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let bytes = Uint8Array::new_with_length(16);
    fill.call1(&crypto, &bytes).ok()?;
    Some(
        bytes
            .to_vec()
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect(),
    )
}

/// One submission attempt: a retry of the same body repeats its key, so a request that did
/// reach the server is not carried out twice; a changed body is a new attempt.
#[derive(Clone, Default)]
struct Attempt(Option<(CreateCustomer, String)>);

impl Attempt {
    fn key_for(&mut self, body: &CreateCustomer) -> Option<String> {
        match &self.0 {
            Some((sent, key)) if sent == body => Some(key.clone()),
            _ => {
                let key = random_idempotency_key()?;
                self.0 = Some((body.clone(), key.clone()));
                Some(key)
            }
        }
    }
}

/// The fields a refusal of the server is about, each once, with its words.
fn server_field_messages(failure: &ApiFailure) -> Vec<(String, String)> {
    let conflict_field = match failure.code() {
        Some("name_exists") => Some("name"),
        Some("tenant_name_exists") => Some("tenant_name"),
        Some("tenant_id_exists") => Some("azure_tenant_id"),
        _ => None,
    };
    let mut messages: Vec<(String, String)> = Vec::new();
    let mut set = |field: &str, message: String| match messages
        .iter_mut()
        .find(|(named, _)| named == field)
    {
        Some(entry) => entry.1 = message,
        None => messages.push((field.to_owned(), message)),
    };
    for error in failure.field_errors() {
        set(&error.field, sentence(&error.message));
    }
    if let Some(field) = conflict_field {
        set(field, failure.message());
    }
    messages
}

pub(super) fn licensing_fieldset(
    inputs: FormInputs,
    terms: Signal<ResellerTerms>,
    messages: FieldMessages,
) -> impl IntoView {
    let message = Memo::new(move |_| messages.message("licensing_options"));
    view! {
        <fieldset id="customer-licensing" tabindex="-1" class="licensing" class:invalid=move || message.with(Option::is_some)
            aria-describedby=move || message.with(Option::is_some).then_some("customer-licensing-error")>
            <legend>"Licensing options"</legend>
            {LicensingOption::ALL.into_iter().map(|option| {
                let id = format!("licence-{}", option.as_str());
                let note_id = format!("{id}-note");
                let availability = move || terms.with(|terms| {
                    inputs.licensing.with(|chosen| LicensingAvailability::of(option, chosen, &terms.licensing_options))
                });
                let note = move || choices::explanation(availability());
                view! {
                    <div class="choice" class:unavailable=move || choices::looks_unavailable(availability())>
                        <input type="checkbox" id=id.clone()
                            prop:checked=move || inputs.licensing.with(|chosen| chosen.contains(&option))
                            disabled=move || !availability().is_open()
                            aria-describedby=move || note().is_some().then(|| note_id.clone())
                            on:change=move |event| {
                                let on = event_target_checked(&event);
                                let held = terms.with_untracked(|terms| terms.licensing_options.clone());
                                inputs.licensing.update(|chosen| toggle_licensing_option(chosen, option, on, &held));
                                messages.edited("licensing_options");
                            }/>
                        <label for=id>{choices::label(option)}</label>
                        <span id=format!("licence-{}-note", option.as_str()) class="note">{note}</span>
                    </div>
                }
            }).collect_view()}
            <p id="customer-licensing-error" class="field-error" hidden=move || message.with(Option::is_none)>
                {move || message.get().unwrap_or_default()}
            </p>
        </fieldset>
    }
}

pub(super) fn switches(
    inputs: FormInputs,
    terms: Signal<ResellerTerms>,
    messages: FieldMessages,
) -> impl IntoView {
    let distribution = move || terms.with(|terms| terms.master_gp_distribution);
    let opt_in_message = Memo::new(move |_| messages.message("opt_in_master_gp"));
    view! {
        <div class="choice">
            <input type="checkbox" id="customer-monthly-billing" prop:checked=inputs.monthly_billing
                on:change=move |event| inputs.monthly_billing.set(event_target_checked(&event))/>
            <label for="customer-monthly-billing">"Monthly Billing"</label>
        </div>
        <div class="choice" class:unavailable=move || !distribution() class:invalid=move || opt_in_message.with(Option::is_some)>
            <input type="checkbox" id="customer-opt-in-master-gp" prop:checked=inputs.opt_in_master_gp
                disabled=move || !distribution()
                aria-describedby="customer-opt-in-master-gp-note"
                on:change=move |event| {
                    inputs.opt_in_master_gp.set(event_target_checked(&event));
                    messages.edited("opt_in_master_gp");
                }/>
            <label for="customer-opt-in-master-gp">"Opt in Reseller Master GP"</label>
            <span id="customer-opt-in-master-gp-note" class="note">{move || match opt_in_message.get() {
                Some(message) => message,
                None if distribution() => "The customer receives your enabled Windows group policies.".to_owned(),
                None => "Available when Reseller Master GPs Distribution is on (Endpoint Settings → Windows GP).".to_owned(),
            }}</span>
        </div>
    }
}

fn created_view(customer: Customer, on_close: Callback<()>) -> impl IntoView {
    let expires = day(&customer.licence_key.expires_at);
    view! {
        <div class="created" role="status" data-testid="customer-created">
            <p><strong>{customer.name.clone()}</strong>" was created."</p>
            <dl>
                <dt>"Customer tenant"</dt>
                <dd data-testid="customer-tenant-url">{customer.url.clone()}</dd>
                <dt>"Licence key"</dt>
                <dd><code data-testid="licence-key">{customer.licence_key.key.clone()}</code></dd>
                <dt>"Expires on"</dt>
                <dd data-testid="licence-expiry">{expires}</dd>
            </dl>
            <p class="help">"Give the key to the customer to activate their devices."</p>
        </div>
        <div class="actions">
            <button type="button" on:click=move |_| on_close.run(())>"Close"</button>
        </div>
    }
}

#[component]
pub fn CreateCustomerForm(
    /// The Azure row the customer is created from; `None` for a blank form.
    from_azure: Option<AzureCustomer>,
    #[prop(into)] terms: Signal<ResellerTerms>,
    /// Asks for the customer tenant's display name and tenant name too (SPEC §15), which are
    /// otherwise the name and derived from it.
    #[prop(optional)]
    tenant_fields: bool,
    /// A customer was created: the grids should show it.
    #[prop(into)]
    on_created: Callback<Customer>,
    #[prop(into)] on_close: Callback<()>,
) -> impl IntoView {
    let from_azure_row = from_azure.is_some();
    let (name, tenant_id) = from_azure
        .map(|row| (row.name, row.tenant_id))
        .unwrap_or_default();
    let inputs = FormInputs::new(name, tenant_id);
    let request = Memo::new(move |_| inputs.request());
    let live = Memo::new(move |_| {
        request.with(|request| terms.with(|terms| live_problems(request, terms)))
    });
    let messages = FieldMessages::new(live);
    let general = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let created = RwSignal::new(None::<Customer>);
    let attempt = StoredValue::new(Attempt::default());

    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        messages.submitted.set(true);
        general.set(None);
        let body = request.get_untracked();
        let problems = live.get_untracked();
        if !problems.is_empty() {
            focus_first_problem(|field| problems.iter().any(|problem| problem.field == field));
            return;
        }
        let Some(key) = attempt
            .try_update_value(|attempt| attempt.key_for(&body))
            .flatten()
        else {
            general.set(Some(
                "Your browser could not generate a request key. Reload the page and try again."
                    .to_owned(),
            ));
            return;
        };
        busy.set(true);
        spawn_local(async move {
            match api::create_customer(&body, &key).await {
                Ok(customer) => {
                    attempt.set_value(Attempt::default());
                    created.set(Some(customer.clone()));
                    on_created.run(customer);
                    focus_by_id("customer-created-title");
                }
                Err(failure) => {
                    let fields = server_field_messages(&failure);
                    if fields.is_empty() {
                        general.set(Some(failure.message()));
                    } else {
                        focus_first_problem(|field| fields.iter().any(|(named, _)| named == field));
                    }
                    messages.server.set(fields);
                    if !failure.outcome_unknown() {
                        attempt.set_value(Attempt::default());
                    }
                }
            }
            busy.set(false);
        });
    };

    let title = if from_azure_row {
        "Create customer from Azure"
    } else {
        "Create customer"
    };
    view! {
        <ModalDialog labelled_by="create-customer-title" on_close=on_close class="create-customer">
            <h2 id="create-customer-title">{title}</h2>
            {move || match created.get() {
                Some(customer) => view! {
                    <h3 id="customer-created-title" tabindex="-1">"Customer created"</h3>
                    {created_view(customer, on_close)}
                }.into_any(),
                None => view! {
                    <form novalidate on:submit=submit aria-labelledby="create-customer-title">
                        <p class="help">"Fields marked * are required."</p>
                        <TextField id="customer-name" field="name" label="Name" required=true
                            hint="Up to 100 characters, without / \\ or +" value=inputs.name messages=messages/>
                        {tenant_fields.then(|| view! {
                            <TextField id="customer-display-name" field="display_name" label="Display name"
                                hint="Optional: how technicians see the customer tenant; the name when empty"
                                value=inputs.display_name messages=messages/>
                            <TextField id="customer-tenant-name" field="tenant_name" label="Tenant name"
                                hint="Optional: 3–63 lower-case letters, digits and hyphens, for its address; derived from the name when empty"
                                value=inputs.tenant_name messages=messages/>
                        })}
                        <TextField id="customer-total-licenses" field="total_licenses" label="Total Licenses"
                            input_type="number" required=true value=inputs.total_licenses messages=messages/>
                        <TextField id="customer-email" field="email" label="Email" input_type="email" required=true
                            value=inputs.email messages=messages/>
                        <DetailsField inputs=inputs messages=messages/>
                        <TextField id="customer-azure-tenant-id" field="azure_tenant_id" label="Azure Tenant ID"
                            read_only=from_azure_row
                            hint=if from_azure_row { "From the Azure row" } else { "Optional: the customer's Entra tenant ID (GUID)" }
                            value=inputs.azure_tenant_id messages=messages/>
                        {switches(inputs, terms, messages)}
                        {licensing_fieldset(inputs, terms, messages)}
                        <p class="error" role="alert" hidden=move || general.with(Option::is_none)>
                            {move || general.get().unwrap_or_default()}
                        </p>
                        <div class="actions">
                            <button type="submit" aria-disabled=move || busy.get().to_string()>{move || if busy.get() { "Creating…" } else { "Create customer" }}</button>
                            <button type="button" class="secondary" on:click=move |_| on_close.run(())>"Cancel"</button>
                        </div>
                    </form>
                }.into_any(),
            }}
        </ModalDialog>
    }
}

#[component]
fn DetailsField(inputs: FormInputs, messages: FieldMessages) -> impl IntoView {
    let message = Memo::new(move |_| messages.message("details"));
    view! {
        <div class="field" class:invalid=move || message.with(Option::is_some)>
            <label for="customer-details">"Details"</label>
            <textarea id="customer-details" rows="3"
                aria-invalid=move || message.with(Option::is_some).to_string()
                aria-describedby=move || message.with(Option::is_some).then_some("customer-details-error")
                prop:value=inputs.details
                on:input=move |event| {
                    inputs.details.set(event_target_value(&event));
                    messages.edited("details");
                }></textarea>
            <p id="customer-details-error" class="field-error" hidden=move || message.with(Option::is_none)>
                {move || message.get().unwrap_or_default()}
            </p>
        </div>
    }
}
