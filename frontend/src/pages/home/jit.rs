//! "Your just-in-time accounts" on the MSP's home page (SPEC §16): the admin accounts the
//! signed-in technician holds in customers' Entra directories now, with their customer and end;
//! shown only while there are any.

use leptos::{prelude::*, task::spawn_local};
use proto::JitAccount;

use crate::{api::jit_accounts, components::local_minute};

/// The customer of an account: its name, or that it was deleted (the account is being removed).
fn customer_name(account: &JitAccount) -> String {
    account
        .customer_name
        .clone()
        .unwrap_or_else(|| "A deleted customer".to_owned())
}

/// Each account with its customer's name; none when they cannot be read, which says nothing the
/// technician must act on here: the section stays away, as it does when there are none.
async fn named_accounts() -> Vec<(JitAccount, String)> {
    let Ok(accounts) = jit_accounts::mine().await else {
        return Vec::new();
    };
    accounts
        .items
        .into_iter()
        .map(|account| {
            let name = customer_name(&account);
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
    use chrono::{DateTime, Utc};
    use proto::JitAccountState;
    use uuid::Uuid;

    use super::*;

    #[test]
    fn an_account_is_named_by_its_customer_or_as_deleted() {
        let mut account = JitAccount {
            id: Uuid::from_u128(7),
            customer_id: Some(Uuid::from_u128(1)),
            customer_name: Some("Woodgrove Bank".to_owned()),
            technician_id: Uuid::from_u128(2),
            technician_email: "sam@demo-reseller.test".to_owned(),
            user_principal_name: "msp-sam@woodgrovebank.test".to_owned(),
            roles: Vec::new(),
            created_at: DateTime::<Utc>::default(),
            expires_at: DateTime::<Utc>::default(),
            state: JitAccountState::Active,
            last_error: None,
        };
        assert_eq!(customer_name(&account), "Woodgrove Bank");
        account.customer_id = None;
        account.customer_name = None;
        assert_eq!(customer_name(&account), "A deleted customer");
    }
}
