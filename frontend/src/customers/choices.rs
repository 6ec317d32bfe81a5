//! How the licensing checkboxes of the create-customer form behave (SPEC §7): what a click
//! changes and which boxes cannot be changed, and why. The API enforces the same rules through
//! `domain::LicensingSelection`; here they shape the form so a broken choice cannot be made.

use std::collections::BTreeSet;

use proto::LicensingOption;

pub fn label(option: LicensingOption) -> &'static str {
    match option {
        LicensingOption::DnsSecurity => "DNS Security",
        LicensingOption::PatchManagement => "Patch Management",
        LicensingOption::Ngav => "Next-Gen Antivirus (NGAV)",
        LicensingOption::RansomwareEncryption => "Ransomware Encryption Protection",
        LicensingOption::PrivilegedAccess => "Privileged Access Management",
        LicensingOption::ApplicationControl => "Application Control",
        LicensingOption::EmailSecurity365 => "Email Security 365",
        LicensingOption::Atp => "Advanced Threat Protection (ATP)",
        LicensingOption::Mxdr => "MXDR",
        LicensingOption::Tac => "TAC",
        LicensingOption::TacUiM365UserSecurity => "TAC UI M365 User Security",
    }
}

/// Whether a licensing checkbox can be changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Availability {
    Open,
    /// The parent reseller does not hold the option.
    NotHeld,
    /// `tac` and `tac_ui_m365_user_security` wait for `mxdr`.
    NeedsMxdr,
    /// `tac` is on and locked while `mxdr` is on.
    LockedByMxdr,
}

impl Availability {
    pub fn explanation(self) -> Option<&'static str> {
        match self {
            Self::Open => None,
            Self::NotHeld => Some("Not included in your reseller's licences"),
            Self::NeedsMxdr => Some("Needs MXDR"),
            Self::LockedByMxdr => Some("Included with MXDR"),
        }
    }
}

pub fn availability(
    option: LicensingOption,
    chosen: &BTreeSet<LicensingOption>,
    held: &[LicensingOption],
) -> Availability {
    let mxdr = chosen.contains(&LicensingOption::Mxdr);
    match option {
        _ if !held.contains(&option) => Availability::NotHeld,
        LicensingOption::Tac if mxdr => Availability::LockedByMxdr,
        LicensingOption::Tac | LicensingOption::TacUiM365UserSecurity if !mxdr => {
            Availability::NeedsMxdr
        }
        _ => Availability::Open,
    }
}

/// Applies a click on `option`: Email Security 365 and ATP clear each other, MXDR brings TAC
/// and takes the TAC options away with it.
pub fn toggle(
    chosen: &mut BTreeSet<LicensingOption>,
    option: LicensingOption,
    on: bool,
    held: &[LicensingOption],
) {
    if availability(option, chosen, held) != Availability::Open {
        return;
    }
    if !on {
        chosen.remove(&option);
        if option == LicensingOption::Mxdr {
            chosen.remove(&LicensingOption::Tac);
            chosen.remove(&LicensingOption::TacUiM365UserSecurity);
        }
        return;
    }
    chosen.insert(option);
    match option {
        LicensingOption::EmailSecurity365 => {
            chosen.remove(&LicensingOption::Atp);
        }
        LicensingOption::Atp => {
            chosen.remove(&LicensingOption::EmailSecurity365);
        }
        LicensingOption::Mxdr if held.contains(&LicensingOption::Tac) => {
            chosen.insert(LicensingOption::Tac);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use LicensingOption as L;

    fn all_but_privileged_access() -> Vec<LicensingOption> {
        LicensingOption::ALL
            .into_iter()
            .filter(|option| *option != L::PrivilegedAccess)
            .collect()
    }

    #[test]
    fn choosing_email_security_or_atp_clears_the_other() {
        let held = all_but_privileged_access();
        let mut chosen = BTreeSet::new();
        toggle(&mut chosen, L::EmailSecurity365, true, &held);
        toggle(&mut chosen, L::Atp, true, &held);
        assert_eq!(chosen, BTreeSet::from([L::Atp]));
        toggle(&mut chosen, L::EmailSecurity365, true, &held);
        assert_eq!(chosen, BTreeSet::from([L::EmailSecurity365]));
    }

    #[test]
    fn mxdr_turns_tac_on_and_locks_it_and_takes_the_tac_options_away_when_off() {
        let held = all_but_privileged_access();
        let mut chosen = BTreeSet::new();
        assert_eq!(
            availability(L::Tac, &chosen, &held),
            Availability::NeedsMxdr
        );
        assert_eq!(
            availability(L::TacUiM365UserSecurity, &chosen, &held),
            Availability::NeedsMxdr
        );
        toggle(&mut chosen, L::Mxdr, true, &held);
        assert_eq!(chosen, BTreeSet::from([L::Mxdr, L::Tac]));
        assert_eq!(
            availability(L::Tac, &chosen, &held),
            Availability::LockedByMxdr
        );
        toggle(&mut chosen, L::Tac, false, &held);
        assert!(chosen.contains(&L::Tac));
        toggle(&mut chosen, L::TacUiM365UserSecurity, true, &held);
        toggle(&mut chosen, L::Mxdr, false, &held);
        assert!(chosen.is_empty());
    }

    #[test]
    fn an_option_the_reseller_lacks_cannot_be_chosen() {
        let held = all_but_privileged_access();
        let mut chosen = BTreeSet::new();
        assert_eq!(
            availability(L::PrivilegedAccess, &chosen, &held),
            Availability::NotHeld
        );
        toggle(&mut chosen, L::PrivilegedAccess, true, &held);
        assert!(chosen.is_empty());
    }
}
