//! What the Azure customers grid says about the existing customer a sub-tenant most likely is
//! (issue 19): linked already, or a suggestion by domain or name with **Link** and **Not this
//! one**; and where Graph lists the sub-tenant (a GDAP label).

use leptos::{prelude::*, task::spawn_local};
use proto::{AzureCustomer, CustomerMatch, MatchBasis, SubTenantSource};

use super::azure_rows::{KnownCustomer, RowChange};
use crate::api::customers as api;

/// A refusal of Link or Not this one, in words, next to the sub-tenant it concerns.
#[derive(Clone, PartialEq)]
pub struct MatchRefusal {
    pub tenant_id: String,
    pub message: String,
}

/// The refusals shown in the grid, kept across its refreshes.
pub type MatchRefusals = RwSignal<Vec<MatchRefusal>>;

/// Which answer the user gave to a suggestion.
#[derive(Clone, Copy)]
enum Decision {
    Link,
    NotThisOne,
}

fn basis_words(basis: MatchBasis) -> &'static str {
    match basis {
        MatchBasis::TenantId => "by tenant ID",
        MatchBasis::Domain => "by domain",
        MatchBasis::Name => "by name",
    }
}

/// The sub-tenant's GDAP label when Graph lists it through a GDAP relationship.
pub fn source_label(source: SubTenantSource) -> Option<AnyView> {
    let words = match source {
        SubTenantSource::Contract => return None,
        SubTenantSource::Gdap => "Listed through a GDAP relationship only",
        SubTenantSource::Both => "Listed through a contract and a GDAP relationship",
    };
    Some(
        view! {
            <span class="source-tag" title=words data-testid="gdap-label">
                "GDAP"<span class="visually-hidden">{format!(": {words}")}</span>
            </span>
        }
        .into_any(),
    )
}

fn decide(
    decision: Decision,
    tenant_id: String,
    suggested: CustomerMatch,
    busy: RwSignal<bool>,
    refusals: MatchRefusals,
    on_decided: Callback<RowChange>,
) {
    if busy.get_untracked() {
        return;
    }
    busy.set(true);
    refusals.update(|shown| shown.retain(|refusal| refusal.tenant_id != tenant_id));
    spawn_local(async move {
        let answer = match decision {
            Decision::Link => api::link_azure_customer(&tenant_id, suggested.customer_id).await,
            Decision::NotThisOne => {
                api::reject_azure_match(&tenant_id, suggested.customer_id).await
            }
        };
        busy.try_set(false);
        match answer {
            Ok(()) => on_decided.run(match decision {
                Decision::Link => RowChange::Customer(KnownCustomer {
                    id: suggested.customer_id,
                    name: suggested.customer_name,
                    azure_tenant_id: Some(tenant_id),
                }),
                Decision::NotThisOne => RowChange::MatchRejected { tenant_id },
            }),
            Err(failure) => {
                refusals.try_update(|shown| {
                    shown.push(MatchRefusal {
                        tenant_id,
                        message: failure.message(),
                    })
                });
            }
        }
    });
}

/// The row's suggested match, if any, with Link and Not this one for those who may create
/// customers (`on_decided` present, told what changed), and the last refusal of either.
pub fn match_note(
    row: &AzureCustomer,
    index: usize,
    refusals: MatchRefusals,
    on_decided: Option<Callback<RowChange>>,
) -> Option<AnyView> {
    let suggested = row.suggested_match.clone()?;
    let note_id = format!("azure-match-{index}");
    if suggested.basis == MatchBasis::TenantId {
        return Some(
            view! {
                <span id=note_id class="match linked" data-testid="azure-match">
                    {format!("Linked to {}", suggested.customer_name)}
                </span>
            }
            .into_any(),
        );
    }
    let words = format!(
        "Matches {} ({})",
        suggested.customer_name,
        basis_words(suggested.basis)
    );
    let tenant_id = row.tenant_id.clone();
    let busy = RwSignal::new(false);
    let refusal = {
        let tenant_id = tenant_id.clone();
        Memo::new(move |_| {
            refusals.with(|shown| {
                shown
                    .iter()
                    .find(|refusal| refusal.tenant_id == tenant_id)
                    .map(|refusal| refusal.message.clone())
            })
        })
    };
    let buttons = on_decided.map(|on_decided| {
        let answer = move |decision| {
            let (tenant_id, suggested) = (tenant_id.clone(), suggested.clone());
            move |_| decide(decision, tenant_id.clone(), suggested.clone(), busy, refusals, on_decided)
        };
        view! {
            <span class="match-actions">
                <button type="button" class="small" aria-describedby=note_id.clone()
                    aria-disabled=move || busy.get().to_string() on:click=answer(Decision::Link)>"Link"</button>
                <button type="button" class="small secondary" aria-describedby=note_id.clone()
                    aria-disabled=move || busy.get().to_string() on:click=answer(Decision::NotThisOne)>"Not this one"</button>
            </span>
        }
    });
    Some(
        view! {
            <div class="match suggested" data-testid="azure-match">
                <span id=note_id.clone()>{words}</span>
                {buttons}
                <p class="field-error" role="alert" data-testid="azure-match-error" hidden=move || refusal.with(Option::is_none)>
                    {move || refusal.get().unwrap_or_default()}
                </p>
            </div>
        }
        .into_any(),
    )
}
