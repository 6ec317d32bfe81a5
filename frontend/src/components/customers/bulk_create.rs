//! Create many customers from the selected Azure rows at once (issue 19): the fields they share
//! (the single create's controls and rules), one e-mail per row, then the rows sent in chunks
//! with a progress bar and each row's outcome.

use domain::ResellerTerms;
use leptos::{ev::SubmitEvent, prelude::*, task::spawn_local};
use proto::{AzureCustomer, CreateCustomer, Customer};

use super::{
    bulk_outcome::{CHUNK_SIZE, RowOutcome, RowResult, send_chunk},
    fields::{FieldMessages, FormInputs, TextField, live_problems},
    focus_by_id,
    form::{focus_first_problem, licensing_fieldset, switches},
};
use crate::components::dialog::ModalDialog;

/// The fields every row shares; a row's own name or tenant ID the server judges row by row.
const SHARED_FIELDS: [&str; 4] = [
    "total_licenses",
    "monthly_billing",
    "licensing_options",
    "opt_in_master_gp",
];

/// One selected row: the sub-tenant and the e-mail typed for it.
#[derive(Clone, Copy)]
struct BulkRow {
    row: StoredValue<AzureCustomer>,
    email: RwSignal<String>,
}

/// `it@<default domain>`, or nothing to start from when the sub-tenant has no default domain.
fn suggested_email(row: &AzureCustomer) -> String {
    row.default_domain
        .as_deref()
        .map(|domain| format!("it@{domain}"))
        .unwrap_or_default()
}

/// The request for one row: its name, tenant ID and e-mail with the shared fields.
fn row_request(shared: &CreateCustomer, row: &AzureCustomer, email: String) -> CreateCustomer {
    CreateCustomer {
        name: Some(row.name.clone()),
        email: Some(email),
        azure_tenant_id: Some(row.tenant_id.clone()),
        ..shared.clone()
    }
}

fn email_problem(request: &CreateCustomer, terms: &ResellerTerms) -> Option<String> {
    live_problems(request, terms)
        .into_iter()
        .find(|problem| problem.field == "email")
        .map(|problem| crate::api::sentence(&problem.message))
}

fn email_id(index: usize) -> String {
    format!("bulk-email-{index}")
}

fn email_field(
    index: usize,
    bulk_row: BulkRow,
    shared: Memo<CreateCustomer>,
    terms: Signal<ResellerTerms>,
    submitted: RwSignal<bool>,
) -> impl IntoView {
    let name = bulk_row.row.with_value(|row| row.name.clone());
    let (id, error_id) = (email_id(index), format!("bulk-email-{index}-error"));
    let problem = Memo::new(move |_| {
        let request = shared.with(|shared| {
            bulk_row
                .row
                .with_value(|row| row_request(shared, row, bulk_row.email.get()))
        });
        terms.with(|terms| email_problem(&request, terms))
    });
    let shown = move || submitted.get() && problem.with(Option::is_some);
    view! {
        <li class="field" class:invalid=shown>
            <label for=id.clone()>{format!("Email for {name}")}</label>
            <input id=id type="email" required aria-invalid=move || shown().to_string()
                aria-describedby=move || shown().then(|| error_id.clone())
                prop:value=bulk_row.email on:input=move |event| bulk_row.email.set(event_target_value(&event))/>
            <p id=format!("bulk-email-{index}-error") class="field-error" hidden=move || !shown()>
                {move || problem.get().unwrap_or_default()}
            </p>
        </li>
    }
}

fn results_view(results: Vec<RowResult>) -> impl IntoView {
    view! {
        <ol class="bulk-results" data-testid="bulk-results">
            {results.into_iter().map(|result| match result.outcome {
                RowOutcome::Created(customer) => view! {
                    <li class="created-row" data-testid="bulk-created">
                        <strong>{result.name}</strong>" created. Licence key "
                        <code>{customer.licence_key.key}</code>
                    </li>
                }.into_any(),
                RowOutcome::Refused(words) => view! {
                    <li class="refused-row" data-testid="bulk-refused">
                        <strong>{result.name}</strong>" not created: "
                        {words.into_iter().map(|line| view! { <span class="reason">{line}" "</span> }).collect_view()}
                    </li>
                }.into_any(),
            }).collect_view()}
        </ol>
    }
}

#[component]
pub fn BulkCreateForm(
    /// The selected rows, all of which can be created.
    rows: Vec<AzureCustomer>,
    #[prop(into)] terms: Signal<ResellerTerms>,
    /// The customers created, once every row was sent.
    #[prop(into)]
    on_created: Callback<Vec<Customer>>,
    #[prop(into)] on_close: Callback<()>,
) -> impl IntoView {
    let count = rows.len();
    let bulk_rows: Vec<BulkRow> = rows
        .into_iter()
        .map(|row| BulkRow {
            email: RwSignal::new(suggested_email(&row)),
            row: StoredValue::new(row),
        })
        .collect();
    let bulk_rows = StoredValue::new(bulk_rows);
    let inputs = FormInputs::new(String::new(), String::new());
    let shared = Memo::new(move |_| inputs.request());
    // The shared fields' complaints are the same for every row: the first row's speak for all.
    let live = Memo::new(move |_| {
        let first = bulk_rows.with_value(|rows| rows.first().copied());
        let Some(first) = first else {
            return Vec::new();
        };
        let request = shared.with(|shared| {
            first
                .row
                .with_value(|row| row_request(shared, row, first.email.get()))
        });
        terms
            .with(|terms| live_problems(&request, terms))
            .into_iter()
            .filter(|problem| SHARED_FIELDS.contains(&problem.field.as_str()))
            .collect()
    });
    let messages = FieldMessages::new(live);
    let done = RwSignal::new(None::<usize>);
    let results = RwSignal::new(Vec::<RowResult>::new());

    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        if done.get_untracked().is_some() {
            return;
        }
        messages.submitted.set(true);
        let shared_problems = live.get_untracked();
        if !shared_problems.is_empty() {
            focus_first_problem(|field| {
                shared_problems.iter().any(|problem| problem.field == field)
            });
            return;
        }
        let (requests, names, first_bad_email) = bulk_rows.with_value(|rows| {
            let shared = shared.get_untracked();
            let terms = terms.get_untracked();
            let mut first_bad_email = None;
            let mut requests = Vec::new();
            let mut names = Vec::new();
            for (index, bulk_row) in rows.iter().enumerate() {
                let request = bulk_row
                    .row
                    .with_value(|row| row_request(&shared, row, bulk_row.email.get_untracked()));
                if first_bad_email.is_none() && email_problem(&request, &terms).is_some() {
                    first_bad_email = Some(index);
                }
                names.push(bulk_row.row.with_value(|row| row.name.clone()));
                requests.push(request);
            }
            (requests, names, first_bad_email)
        });
        if let Some(index) = first_bad_email {
            focus_by_id(&email_id(index));
            return;
        }
        done.set(Some(0));
        spawn_local(async move {
            let mut names = names.into_iter();
            for chunk in requests.chunks(CHUNK_SIZE) {
                let outcomes = send_chunk(chunk.to_vec()).await;
                let sent = outcomes.len();
                let chunk_results: Vec<RowResult> = outcomes
                    .into_iter()
                    .zip(names.by_ref())
                    .map(|(outcome, name)| RowResult { name, outcome })
                    .collect();
                results.try_update(|results| results.extend(chunk_results));
                done.try_update(|done| *done = Some(done.unwrap_or(0) + sent));
            }
            let made = results.with_untracked(|results| {
                results
                    .iter()
                    .filter_map(|result| match &result.outcome {
                        RowOutcome::Created(customer) => Some(Customer::clone(customer)),
                        RowOutcome::Refused(_) => None,
                    })
                    .collect()
            });
            on_created.run(made);
            focus_by_id("bulk-results-title");
        });
    };

    let finished = move || done.get() == Some(count);
    let created = move || {
        results.with(|results| {
            results
                .iter()
                .filter(|result| matches!(result.outcome, RowOutcome::Created(_)))
                .count()
        })
    };
    let title = format!(
        "Create {count} customer{}",
        if count == 1 { "" } else { "s" }
    );
    view! {
        <ModalDialog labelled_by="bulk-create-title" on_close=on_close class="create-customer bulk-create">
            <h2 id="bulk-create-title">{title.clone()}</h2>
            {move || match done.get() {
                None => view! {
                    <form novalidate on:submit=submit aria-labelledby="bulk-create-title">
                        <p class="help">"These settings apply to every selected sub-tenant. Fields marked * are required."</p>
                        <TextField id="customer-total-licenses" field="total_licenses" label="Total Licenses"
                            input_type="number" required=true value=inputs.total_licenses messages=messages/>
                        {switches(inputs, terms, messages)}
                        {licensing_fieldset(inputs, terms, messages)}
                        <fieldset class="bulk-emails">
                            <legend>"Email per customer"</legend>
                            <ul>
                                {bulk_rows.get_value().into_iter().enumerate()
                                    .map(|(index, bulk_row)| email_field(index, bulk_row, shared, terms, messages.submitted))
                                    .collect_view()}
                            </ul>
                        </fieldset>
                        <div class="actions">
                            <button type="submit">{title.clone()}</button>
                            <button type="button" class="secondary" on:click=move |_| on_close.run(())>"Cancel"</button>
                        </div>
                    </form>
                }.into_any(),
                Some(sent) => view! {
                    <label for="bulk-progress">{move || if finished() { "Done".to_owned() } else { format!("Creating customers: {sent} of {count}") }}</label>
                    <progress id="bulk-progress" max=count value=sent></progress>
                    <div role="status">
                        <h3 id="bulk-results-title" tabindex="-1">{move || if finished() {
                            format!("{} of {count} created", created())
                        } else {
                            "Creating…".to_owned()
                        }}</h3>
                    </div>
                    {move || results_view(results.get())}
                    <div class="actions">
                        <button type="button" disabled=move || !finished() on:click=move |_| on_close.run(())>"Close"</button>
                    </div>
                }.into_any(),
            }}
        </ModalDialog>
    }
}
