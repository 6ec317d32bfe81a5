//! The checks Graph makes on `POST /v1.0/users` before it creates anyone: the required
//! properties, the mail nickname, the UPN and its domain, and Entra's password complexity.

use actix_web::HttpResponse;
use serde::Deserialize;

use super::{
    admin_state::NewAccount,
    graph_call::{bad_property, missing_property},
};
use crate::{contracts::graph_error, fixture::DirectoryDomain};

/// The body of `POST /v1.0/users`, every property optional so that a missing one gets Graph's
/// own answer rather than a deserialisation error.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct UserCreate {
    account_enabled: Option<bool>,
    display_name: Option<String>,
    mail_nickname: Option<String>,
    user_principal_name: Option<String>,
    password_profile: Option<PasswordProfile>,
}

/// `forceChangePasswordNextSignIn` is accepted and ignored: the fake has no password sign-in
/// to force a change at.
#[derive(Deserialize)]
struct PasswordProfile {
    password: Option<String>,
}

/// Entra allows these besides letters and digits in a cloud user's password.
const PASSWORD_SYMBOLS: &str = "@#$%^&*-_!+=[]{}|\\:',.?/`~\"();<> ";

/// Characters Exchange refuses in a mail nickname.
const NICKNAME_FORBIDDEN: &str = "@()\\[]\";:<>, ";

/// The user to create, or Graph's 400 for the first property at fault.
pub(crate) fn check(
    create: UserCreate,
    domains: &[DirectoryDomain],
) -> Result<NewAccount, Box<HttpResponse>> {
    let account_enabled = create
        .account_enabled
        .ok_or_else(|| Box::new(missing_property("accountEnabled", "User")))?;
    let display_name = create
        .display_name
        .filter(|name| !name.trim().is_empty())
        .ok_or_else(|| Box::new(missing_property("displayName", "User")))?;
    let mail_nickname = create
        .mail_nickname
        .filter(|nickname| !nickname.is_empty())
        .ok_or_else(|| Box::new(missing_property("mailNickname", "User")))?;
    if mail_nickname.len() > 64
        || mail_nickname
            .chars()
            .any(|character| !character.is_ascii() || NICKNAME_FORBIDDEN.contains(character))
    {
        return Err(Box::new(graph_error(
            400,
            "Request_BadRequest",
            "Invalid value specified for property 'mailNickname' of resource 'User'.",
        )));
    }
    let user_principal_name = create
        .user_principal_name
        .ok_or_else(|| Box::new(missing_property("userPrincipalName", "User")))?;
    let password = create
        .password_profile
        .and_then(|profile| profile.password)
        .ok_or_else(|| Box::new(missing_property("passwordProfile", "User")))?;
    check_domain(&user_principal_name, domains)?;
    if !is_complex(&password) {
        return Err(Box::new(graph_error(
            400,
            "Request_BadRequest",
            "The specified password does not comply with password complexity requirements. \
             Please provide a different password.",
        )));
    }
    Ok(NewAccount {
        user_principal_name,
        display_name,
        mail_nickname,
        account_enabled,
    })
}

fn check_domain(
    user_principal_name: &str,
    domains: &[DirectoryDomain],
) -> Result<(), Box<HttpResponse>> {
    let Some((local, domain)) = user_principal_name.split_once('@') else {
        return Err(Box::new(invalid_upn()));
    };
    if local.is_empty() || local.starts_with('.') || local.ends_with('.') || domain.contains('@') {
        return Err(Box::new(invalid_upn()));
    }
    match domains
        .iter()
        .find(|known| known.is_verified && known.id.eq_ignore_ascii_case(domain))
    {
        None => Err(Box::new(bad_property(
            "The domain portion of the userPrincipalName property is invalid. You must use one \
             of the verified domain names in your organization.",
            "InvalidValue",
            "userPrincipalName",
        ))),
        // A federated domain's users sign in at their own identity provider: Graph creates
        // them only with an `onPremisesImmutableId`, which just-in-time accounts never have.
        Some(known) if known.authentication_type.eq_ignore_ascii_case("Federated") => {
            Err(Box::new(graph_error(
                400,
                "Request_BadRequest",
                "One or more properties contains invalid values.",
            )))
        }
        Some(_) => Ok(()),
    }
}

fn invalid_upn() -> HttpResponse {
    bad_property(
        "Property userPrincipalName is invalid.",
        "InvalidValue",
        "userPrincipalName",
    )
}

/// Entra's rule for cloud users: 8 to 256 characters from letters, digits and its symbols, and
/// at least three of lower case, upper case, digits and symbols.
pub(crate) fn is_complex(password: &str) -> bool {
    let length = password.chars().count();
    if !(8..=256).contains(&length) {
        return false;
    }
    if password.chars().any(|character| {
        !character.is_ascii_alphanumeric() && !PASSWORD_SYMBOLS.contains(character)
    }) {
        return false;
    }
    let kinds = [
        password
            .chars()
            .any(|character| character.is_ascii_lowercase()),
        password
            .chars()
            .any(|character| character.is_ascii_uppercase()),
        password.chars().any(|character| character.is_ascii_digit()),
        password
            .chars()
            .any(|character| PASSWORD_SYMBOLS.contains(character)),
    ];
    kinds.iter().filter(|present| **present).count() >= 3
}

#[cfg(test)]
mod tests {
    use super::is_complex;

    #[test]
    fn a_password_needs_eight_characters_of_three_kinds_from_entras_set() {
        for (password, complex) in [
            ("Passw0rd", true),
            ("correct horse Battery", true),
            ("Sh0rt!", false),
            ("alllowercase1", false),
            ("ALLUPPER!!", false),
            ("Pässw0rd!", false),
            ("Tab\tSeparated1", false),
        ] {
            assert_eq!(is_complex(password), complex, "{password}");
        }
    }
}
