//! What the way back from Microsoft or Duo left in the sign-in page's address: a refusal's code
//! in the query (`?sign_in_error=`), or the second-factor step in the fragment
//! (`#mfa_token=…&methods=duo,totp,recovery_code`). Read once, then removed from the address
//! bar, so a reload does not repeat them.

use domain::{DuoRefusal, MicrosoftSignInRefusal};
use leptos::prelude::window;
use proto::MfaMethod;

use crate::address::{keep_only_path, value};

/// The password step passed elsewhere (Microsoft): a second factor is due.
#[derive(Debug, Clone, PartialEq)]
pub struct Challenge {
    pub mfa_token: String,
    pub methods: Vec<MfaMethod>,
}

/// A refusal's code in words: Microsoft's and Duo's reasons, and the account's own.
pub fn refusal_message(code: &str) -> &'static str {
    MicrosoftSignInRefusal::from_code(code)
        .map(MicrosoftSignInRefusal::message)
        .or_else(|| DuoRefusal::from_code(code).map(DuoRefusal::message))
        .unwrap_or("Signing in did not work. Try again.")
}

/// The methods of a challenge; a list without any this app knows (or none, from a server that
/// did not send one yet) means the authenticator app or a recovery code.
pub fn methods(listed: Option<&str>) -> Vec<MfaMethod> {
    let known: Vec<MfaMethod> = listed
        .unwrap_or_default()
        .split(',')
        .filter_map(MfaMethod::from_code)
        .collect();
    if known.is_empty() {
        vec![MfaMethod::Totp, MfaMethod::RecoveryCode]
    } else {
        known
    }
}

/// The refusal's words and the challenge in `search` (`?…`) and `hash` (`#…`).
pub fn parse(search: &str, hash: &str) -> (Option<&'static str>, Option<Challenge>) {
    let refusal = value(search, "sign_in_error").map(refusal_message);
    let challenge = value(hash, "mfa_token")
        .filter(|token| !token.is_empty())
        .map(|token| Challenge {
            mfa_token: token.to_owned(),
            methods: methods(value(hash, "methods")),
        });
    (refusal, challenge)
}

/// Reads the address, then leaves only its path in the address bar.
pub fn take() -> (Option<&'static str>, Option<Challenge>) {
    let location = window().location();
    let (refusal, challenge) = parse(
        &location.search().unwrap_or_default(),
        &location.hash().unwrap_or_default(),
    );
    if refusal.is_some() || challenge.is_some() {
        keep_only_path();
    }
    (refusal, challenge)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_challenge_from_microsoft_lists_its_methods() {
        let (refusal, challenge) = parse("", "#mfa_token=a.b.c&methods=duo,totp,recovery_code");
        assert_eq!(refusal, None);
        assert_eq!(
            challenge,
            Some(Challenge {
                mfa_token: "a.b.c".to_owned(),
                methods: vec![MfaMethod::Duo, MfaMethod::Totp, MfaMethod::RecoveryCode],
            })
        );
    }

    #[test]
    fn a_challenge_without_methods_means_the_app_or_a_recovery_code() {
        let (_, challenge) = parse("", "#mfa_token=t");
        assert_eq!(
            challenge.map(|challenge| challenge.methods),
            Some(vec![MfaMethod::Totp, MfaMethod::RecoveryCode])
        );
        assert_eq!(
            methods(Some("fingerprint")),
            vec![MfaMethod::Totp, MfaMethod::RecoveryCode]
        );
        assert_eq!(parse("", "#mfa_token=").1, None);
        assert_eq!(parse("", "#token=x").1, None);
    }

    #[test]
    fn each_refusal_code_reads_in_its_own_words() {
        for (code, words) in [
            ("duo_denied", "Duo denied the sign-in"),
            ("duo_invalid", "could not be verified"),
            ("duo_unreachable", "Duo cannot be reached"),
            ("account_deactivated", "deactivated"),
            ("no_account", "account"),
            ("nonsense", "Signing in did not work"),
        ] {
            let (refusal, _) = parse(&format!("?x=1&sign_in_error={code}"), "");
            assert!(refusal.is_some_and(|text| text.contains(words)), "{code}");
        }
        assert_eq!(parse("?other=1", "").0, None);
    }
}
