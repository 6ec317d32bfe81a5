//! Why a sign-in with Microsoft is refused (SPEC §14): each reason has a stable code, which the
//! server puts in the sign-in page's address, and one sentence the page shows for it.

/// A refused sign-in with Microsoft.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MicrosoftSignInRefusal {
    /// The button is not configured on this server.
    NotConfigured,
    /// Microsoft answered with an error: the user cancelled or did not consent.
    Cancelled,
    /// The way back does not belong to a sign-in started here (another window, or too late).
    Expired,
    /// Microsoft refused the code (expired, used, or not for this app).
    CodeRefused,
    /// The ID token failed verification (signature, issuer, audience, nonce or expiry).
    TokenInvalid,
    /// Microsoft's sign-in service could not be reached.
    Unreachable,
    /// No account here has the user's Entra object ID or e-mail.
    NoAccount,
    /// The account's company has not saved its Microsoft tenant ID (Azure Login).
    TenantIdNotSaved,
    /// The user signed in to a Microsoft tenant other than the one its company saved.
    OtherTenant,
    Deactivated,
    UiAccessOff,
}

impl MicrosoftSignInRefusal {
    pub const ALL: [Self; 11] = [
        Self::NotConfigured,
        Self::Cancelled,
        Self::Expired,
        Self::CodeRefused,
        Self::TokenInvalid,
        Self::Unreachable,
        Self::NoAccount,
        Self::TenantIdNotSaved,
        Self::OtherTenant,
        Self::Deactivated,
        Self::UiAccessOff,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::NotConfigured => "microsoft_not_configured",
            Self::Cancelled => "microsoft_cancelled",
            Self::Expired => "microsoft_sign_in_expired",
            Self::CodeRefused => "microsoft_code_refused",
            Self::TokenInvalid => "microsoft_token_invalid",
            Self::Unreachable => "microsoft_unreachable",
            Self::NoAccount => "no_account",
            Self::TenantIdNotSaved => "tenant_id_not_saved",
            Self::OtherTenant => "other_tenant",
            Self::Deactivated => "account_deactivated",
            Self::UiAccessOff => "ui_access_disabled",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|refusal| refusal.code() == code)
    }

    /// What the sign-in page says, and what to do next.
    pub fn message(self) -> &'static str {
        match self {
            Self::NotConfigured => {
                "Sign in with Microsoft is not set up on this server. Sign in with your e-mail and password."
            }
            Self::Cancelled => {
                "Microsoft did not sign you in (the sign-in was cancelled or consent was not given). Try again, or ask your admin to grant consent for the app."
            }
            Self::Expired => {
                "The sign-in with Microsoft took too long or was started in another window. Click “Sign in with Microsoft” again."
            }
            Self::CodeRefused => {
                "Microsoft did not accept the sign-in (its code expired or was already used). Click “Sign in with Microsoft” again."
            }
            Self::TokenInvalid => {
                "Microsoft's answer could not be verified, so you were not signed in. Try again; if it keeps happening, tell your admin."
            }
            Self::Unreachable => {
                "Microsoft's sign-in service cannot be reached right now. Try again in a few minutes."
            }
            Self::NoAccount => {
                "There is no account here for the Microsoft account you used. Ask your admin to assign you to the MSP Onboarding app in Microsoft Entra (or to invite you)."
            }
            Self::TenantIdNotSaved => {
                "Your company has not saved its Microsoft tenant ID yet. An admin saves it under Customer Settings → Azure Login; then sign in with Microsoft again."
            }
            Self::OtherTenant => {
                "You signed in to a different Microsoft tenant than your company's. Sign out of Microsoft, then sign in with your work account."
            }
            Self::Deactivated => {
                "This account is deactivated. Ask an admin of your tenant to reactivate it."
            }
            Self::UiAccessOff => {
                "UI access is off for this account: it is meant for API tokens only. An admin can turn on “Allow access to UI” if you need the web app."
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refusal_has_its_own_code_that_reads_back() {
        let mut codes: Vec<&str> = MicrosoftSignInRefusal::ALL
            .into_iter()
            .map(MicrosoftSignInRefusal::code)
            .collect();
        for refusal in MicrosoftSignInRefusal::ALL {
            assert_eq!(
                MicrosoftSignInRefusal::from_code(refusal.code()),
                Some(refusal)
            );
            assert!(!refusal.message().is_empty());
        }
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), MicrosoftSignInRefusal::ALL.len());
        assert_eq!(MicrosoftSignInRefusal::from_code("<script>"), None);
    }
}
