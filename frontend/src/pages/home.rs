use leptos::prelude::*;
use proto::{Claim, Me, WizardStatus};

use crate::session::use_session;

fn claim_label(claim: Claim) -> &'static str {
    match claim {
        Claim::ViewEndpointSettings => "View endpoint settings",
        Claim::EditEndpointSettings => "Edit endpoint settings",
        Claim::ManageCustomerSettings => "Manage customer settings",
        Claim::ViewCustomers => "View customers",
        Claim::CreateCustomer => "Create customers",
    }
}

fn wizard_label(status: WizardStatus) -> &'static str {
    match status {
        WizardStatus::NotStarted => "not started",
        WizardStatus::InProgress => "in progress",
        WizardStatus::Dismissed => "dismissed",
        WizardStatus::Completed => "completed",
    }
}

/// Why MSP Onboarding is not offered, in the terms of SPEC §2.
fn unavailable_reason(me: &Me) -> &'static str {
    if me.tenant.tenant_type == proto::TenantType::Corporate {
        "MSP Onboarding is for resellers and distributors."
    } else if !me.tenant.monthly_billing {
        "MSP Onboarding needs monthly billing on your tenant."
    } else {
        "MSP Onboarding needs the “Manage customer settings” permission. Ask an admin of your tenant."
    }
}

#[component]
pub fn HomePage() -> impl IntoView {
    let session = use_session();
    move || {
        session.signed_in().map(|me| {
            let onboarding = if me.feature_available {
                format!("MSP Onboarding is available to you (wizard {}).", wizard_label(me.wizard.status))
            } else {
                unavailable_reason(&me).to_owned()
            };
            let claims = me.claims.iter().map(|claim| view! { <li>{claim_label(*claim)}</li> }).collect_view();
            view! {
                <h1 tabindex="-1">"Welcome, " {me.user.email.clone()}</h1>
                <section class="card" aria-labelledby="tenant-title">
                    <h2 id="tenant-title">"Your tenant"</h2>
                    <dl>
                        <dt>"Name"</dt><dd data-testid="tenant-name">{me.tenant.name.clone()}</dd>
                        <dt>"Type"</dt><dd>{super::tenant_type_label(me.tenant.tenant_type)}</dd>
                        <dt>"Monthly billing"</dt><dd>{if me.tenant.monthly_billing { "On" } else { "Off" }}</dd>
                        <dt>"Your role"</dt><dd>{me.role.as_str()}</dd>
                    </dl>
                    <p data-testid="onboarding-availability">{onboarding}</p>
                </section>
                <section class="card" aria-labelledby="claims-title">
                    <h2 id="claims-title">"Your permissions"</h2>
                    <ul>{claims}</ul>
                </section>
            }
        })
    }
}
