//! "Your just-in-time accounts" on the MSP's home page (SPEC §16): the admin accounts the
//! signed-in technician holds in customers' Entra directories now, with their customer and end;
//! shown only while there are any.

use leptos::{prelude::*, task::spawn_local};
use proto::{CustomerTenant, JitAccount};
use uuid::Uuid;

use crate::{
    api::{customer_tenants::first_customer_tenants, jit_accounts},
    components::local_minute,
};

/// The customer of an account, by the names of the customer tenants the caller may open.
fn customer_name(customer_id: Option<Uuid>, tenants: &[CustomerTenant]) -> String {
    let Some(id) = customer_id else {
        return "A deleted customer".to_owned();
    };
    tenants
        .iter()
        .find(|tenant| tenant.customer_id == id)
        .map_or_else(
            || "A customer you can no longer open".to_owned(),
            |tenant| tenant.display_name.clone(),
        )
}

/// Each account with its customer's name.
async fn named_accounts() -> Vec<(JitAccount, String)> {
    // Not being able to read them says nothing the technician must act on here: the section
    // stays away, as it does when there are none.
    let Ok(accounts) = jit_accounts::mine().await else {
        return Vec::new();
    };
    if accounts.items.is_empty() {
        return Vec::new();
    }
    let tenants = first_customer_tenants()
        .await
        .map(|page| page.items)
        .unwrap_or_default();
    accounts
        .items
        .into_iter()
        .map(|account| {
            let name = customer_name(account.customer_id, &tenants);
            (account, name)
        })
        .collect()
}

#[component]
pub fn YourJitAccounts() -> impl IntoView {
    let accounts = RwSignal::new(Vec::<(JitAccount, String)>::new());
    spawn_local(async move {
        accounts.try_set(named_accounts().await);
    });
    move || {
        let rows = accounts.get();
        (!rows.is_empty()).then(|| {
            view! {
                <section class="card" aria-labelledby="your-jit-title">
                    <h2 id="your-jit-title">"Your just-in-time accounts"</h2>
                    <div class="table-scroll" tabindex="0" role="region" aria-labelledby="your-jit-title">
                        <table aria-labelledby="your-jit-title" data-testid="your-jit-accounts">
                            <thead><tr>
                                <th scope="col">"Account"</th>
                                <th scope="col">"Customer"</th>
                                <th scope="col">"Ends (your time)"</th>
                            </tr></thead>
                            <tbody>
                                {rows.into_iter().map(|(account, customer)| view! {
                                    <tr>
                                        <th scope="row">{account.user_principal_name}</th>
                                        <td>{customer}</td>
                                        <td class="when">{local_minute(&account.expires_at)}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                </section>
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_is_named_by_its_customer_or_why_not() {
        let tenant = CustomerTenant {
            customer_id: Uuid::from_u128(1),
            tenant_name: "woodgrove".to_owned(),
            display_name: "Woodgrove Bank".to_owned(),
            address: "woodgrove-demo-reseller".to_owned(),
            url: "/t/woodgrove-demo-reseller".to_owned(),
        };
        let tenants = [tenant];
        assert_eq!(
            customer_name(Some(Uuid::from_u128(1)), &tenants),
            "Woodgrove Bank"
        );
        assert_eq!(
            customer_name(Some(Uuid::from_u128(2)), &tenants),
            "A customer you can no longer open"
        );
        assert_eq!(customer_name(None, &tenants), "A deleted customer");
    }
}
