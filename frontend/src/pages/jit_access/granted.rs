//! What a request for a just-in-time account answered: a new account's sign-in name and
//! password, shown this once in a dialog with Copy buttons, or the new end of an extended one.

use leptos::prelude::*;
use proto::{GrantedJitAccount, JitRole};

use crate::components::{copy::CopyButton, dialog::ModalDialog, local_minute};

/// `User Administrator, Global Reader`.
pub fn role_names(roles: &[JitRole]) -> String {
    roles
        .iter()
        .map(|role| role.display_name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// What an answer that shows no password says: the account was extended (or, should the server
/// ever answer so, made without a password to show).
pub fn extended_words(granted: &GrantedJitAccount) -> String {
    let until = local_minute(&granted.account.expires_at);
    if granted.extended {
        format!(
            "Your account {} was extended until {until} (your time).",
            granted.account.user_principal_name
        )
    } else {
        format!(
            "Your account {} is ready until {until} (your time).",
            granted.account.user_principal_name
        )
    }
}

/// A read-only copy of a value with a button that copies it.
fn copyable(
    id: &'static str,
    label: &'static str,
    value: String,
    copy: &'static str,
) -> impl IntoView {
    view! {
        <div class="field copyable">
            <label for=id>{label}</label>
            <div class="copy-line">
                <input id=id type="text" readonly value=value.clone() spellcheck="false" autocomplete="off"/>
                <CopyButton text=value label=copy/>
            </div>
        </div>
    }
}

/// The new account with its password. The password lives only in this dialog: closing it drops
/// it, and the server never shows it again.
#[component]
pub fn GrantedDialog(
    granted: GrantedJitAccount,
    app_name: String,
    #[prop(into)] on_close: Callback<()>,
) -> impl IntoView {
    let GrantedJitAccount {
        account,
        password,
        sign_in_url,
        ..
    } = granted;
    let expiry = local_minute(&account.expires_at);
    view! {
        <ModalDialog labelled_by="granted-title" on_close=on_close class="user-dialog granted">
            <h2 id="granted-title">"Your just-in-time account"</h2>
            <p>{format!("Your admin account in {app_name} is ready. The password is shown only this once: copy it now.")}</p>
            {copyable("granted-name", "Sign-in name", account.user_principal_name, "Copy sign-in name")}
            {password.map(|password| copyable("granted-password", "Password", password, "Copy password"))}
            <dl>
                <dt>"Sign in at"</dt>
                <dd><a href=sign_in_url.clone() target="_blank" rel="noopener noreferrer" data-testid="granted-sign-in-url">{sign_in_url.clone()}</a></dd>
                <dt>"Roles"</dt>
                <dd>{role_names(&account.roles)}</dd>
                <dt>"Ends"</dt>
                <dd data-testid="granted-expiry">{format!("{expiry} (your time)")}</dd>
            </dl>
            <div class="modal-foot">
                <button type="button" on:click=move |_| on_close.run(())>"Done"</button>
            </div>
        </ModalDialog>
    }
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::*;

    #[test]
    fn roles_read_as_a_list_of_names() {
        let role = |name: &str| JitRole {
            id: Uuid::nil(),
            display_name: name.to_owned(),
        };
        assert_eq!(role_names(&[]), "");
        assert_eq!(
            role_names(&[role("User Administrator"), role("Global Reader")]),
            "User Administrator, Global Reader"
        );
    }
}
