//! The home page: who is signed in, in which tenant, with which permissions; for an MSP's users
//! the customer tenants they may open and their just-in-time accounts, and inside a customer
//! tenant its just-in-time admin access.

mod jit;
mod tiles;

use domain::{ClaimSet, feature_availability};
use leptos::prelude::*;
use proto::{Role, TenantType, WizardStatus};

use self::{jit::YourJitAccounts, tiles::YourCustomers};

use crate::{
    api::sentence,
    components::{claim_label, tenant_type_label},
    lazy_pages::JitAccessLoader,
    session::use_session,
};

fn wizard_label(status: WizardStatus) -> &'static str {
    match status {
        WizardStatus::NotStarted => "not started",
        WizardStatus::InProgress => "in progress",
        WizardStatus::Dismissed => "dismissed",
        WizardStatus::Completed => "completed",
    }
}

#[component]
pub fn HomePage() -> impl IntoView {
    let session = use_session();
    move || {
        session.signed_in().map(|me| {
            let claim_set: ClaimSet = me.claims.iter().copied().collect();
            let onboarding = match feature_availability(me.tenant.tenant_type, me.tenant.monthly_billing, &claim_set) {
                Ok(()) => format!("MSP Onboarding is available to you (wizard {}).", wizard_label(me.wizard.status)),
                Err(reason) => sentence(&reason.to_string()),
            };
            let in_msp = matches!(me.tenant.tenant_type, TenantType::Reseller | TenantType::Distributor)
                && me.customer_tenant.is_none();
            let admin = me.role == Role::Admin;
            let inside = me.customer_tenant.as_ref().map(|visit| visit.customer_tenant.customer_id);
            let claims = me.claims.iter().map(|claim| view! { <li>{claim_label(*claim)}</li> }).collect_view();
            view! {
                <h1 tabindex="-1">"Welcome, " {me.user.email.clone()}</h1>
                {in_msp.then(|| view! { <YourCustomers admin/> <YourJitAccounts/> })}
                {inside.map(|customer_id| view! { <JitAccessLoader customer_id/> })}
                <section class="card" aria-labelledby="tenant-title">
                    <h2 id="tenant-title">"Your tenant"</h2>
                    <dl>
                        <dt>"Name"</dt><dd data-testid="tenant-name">{me.tenant.name.clone()}</dd>
                        <dt>"Type"</dt><dd>{tenant_type_label(me.tenant.tenant_type)}</dd>
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
