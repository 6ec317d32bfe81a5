//! SPEC §7's licensing rules as a form applies them while the user ticks boxes: which option
//! can be changed now, and what a click does to the others. Built on the rules that
//! `LicensingSelection::parse` checks, so every selection the form can reach is one the server
//! accepts.

use std::collections::BTreeSet;

use proto::LicensingOption;

use crate::licensing::{BROUGHT_BY_MXDR, NEEDS_MXDR, excluded_by};

/// Whether a licensing option can be ticked or cleared now, and if not, why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LicensingAvailability {
    /// The user may tick or clear it.
    Open,
    /// The parent reseller does not hold the option.
    NotHeld,
    /// The option waits for MXDR (`tac`, `tac_ui_m365_user_security`).
    NeedsMxdr,
    /// TAC is on and stays on while MXDR is.
    LockedByMxdr,
}

impl LicensingAvailability {
    /// The state of `option`'s checkbox when `chosen` is ticked and the reseller holds `held`.
    pub fn of(
        option: LicensingOption,
        chosen: &BTreeSet<LicensingOption>,
        held: &[LicensingOption],
    ) -> Self {
        let mxdr = chosen.contains(&LicensingOption::Mxdr);
        if !held.contains(&option) {
            Self::NotHeld
        } else if mxdr && option == BROUGHT_BY_MXDR {
            Self::LockedByMxdr
        } else if !mxdr && NEEDS_MXDR.contains(&option) {
            Self::NeedsMxdr
        } else {
            Self::Open
        }
    }

    pub fn is_open(self) -> bool {
        self == Self::Open
    }
}

/// Applies a click that turns `option` on or off: an option that is not open stays as it is,
/// ticking one of two mutually exclusive options clears the other, MXDR brings TAC with it
/// (when the reseller holds TAC) and takes the options that need it away when cleared.
pub fn toggle_licensing_option(
    chosen: &mut BTreeSet<LicensingOption>,
    option: LicensingOption,
    on: bool,
    held: &[LicensingOption],
) {
    if !LicensingAvailability::of(option, chosen, held).is_open() {
        return;
    }
    if !on {
        chosen.remove(&option);
        if option == LicensingOption::Mxdr {
            chosen.retain(|chosen| !NEEDS_MXDR.contains(chosen));
        }
        return;
    }
    chosen.insert(option);
    if let Some(excluded) = excluded_by(option) {
        chosen.remove(&excluded);
    }
    if option == LicensingOption::Mxdr && held.contains(&BROUGHT_BY_MXDR) {
        chosen.insert(BROUGHT_BY_MXDR);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::LicensingSelection;
    use LicensingAvailability as A;
    use LicensingOption as L;

    fn all_but(missing: &[LicensingOption]) -> Vec<LicensingOption> {
        LicensingOption::ALL
            .into_iter()
            .filter(|option| !missing.contains(option))
            .collect()
    }

    fn set(options: &[LicensingOption]) -> BTreeSet<LicensingOption> {
        options.iter().copied().collect()
    }

    #[test]
    fn each_option_is_open_not_held_waiting_for_mxdr_or_locked_by_it() {
        let held = all_but(&[L::PrivilegedAccess]);
        let cases: [(LicensingOption, &[LicensingOption], LicensingAvailability); 10] = [
            (L::DnsSecurity, &[], A::Open),
            (L::PrivilegedAccess, &[], A::NotHeld),
            (L::PrivilegedAccess, &[L::Mxdr, L::Tac], A::NotHeld),
            (L::Tac, &[], A::NeedsMxdr),
            (L::TacUiM365UserSecurity, &[], A::NeedsMxdr),
            (L::Tac, &[L::Mxdr, L::Tac], A::LockedByMxdr),
            (L::TacUiM365UserSecurity, &[L::Mxdr, L::Tac], A::Open),
            (L::Mxdr, &[L::Mxdr, L::Tac], A::Open),
            (L::EmailSecurity365, &[L::Atp], A::Open),
            (L::Atp, &[L::EmailSecurity365], A::Open),
        ];
        for (option, chosen, expected) in cases {
            assert_eq!(
                LicensingAvailability::of(option, &set(chosen), &held),
                expected,
                "{option:?} with {chosen:?}"
            );
        }
    }

    #[test]
    fn an_option_the_reseller_lacks_is_not_held_even_when_mxdr_would_open_it() {
        let held = all_but(&[L::Tac]);
        assert_eq!(
            LicensingAvailability::of(L::Tac, &set(&[L::Mxdr]), &held),
            A::NotHeld
        );
    }

    /// Ticked before, the option clicked, turned on or off, held by the reseller, ticked after.
    type Click<'a> = (
        &'a [LicensingOption],
        LicensingOption,
        bool,
        &'a [LicensingOption],
        &'a [LicensingOption],
    );

    #[test]
    fn each_click_changes_the_selection_as_section_7_says() {
        let held = all_but(&[L::PrivilegedAccess]);
        let without_tac = all_but(&[L::Tac]);
        let cases: [Click; 10] = [
            (&[], L::DnsSecurity, true, &held, &[L::DnsSecurity]),
            (&[L::DnsSecurity], L::DnsSecurity, false, &held, &[]),
            (&[L::EmailSecurity365], L::Atp, true, &held, &[L::Atp]),
            (
                &[L::Atp],
                L::EmailSecurity365,
                true,
                &held,
                &[L::EmailSecurity365],
            ),
            (&[], L::Mxdr, true, &held, &[L::Mxdr, L::Tac]),
            (&[], L::Mxdr, true, &without_tac, &[L::Mxdr]),
            (
                &[L::Mxdr, L::Tac, L::TacUiM365UserSecurity],
                L::Mxdr,
                false,
                &held,
                &[],
            ),
            (&[L::Mxdr, L::Tac], L::Tac, false, &held, &[L::Mxdr, L::Tac]),
            (&[], L::Tac, true, &held, &[]),
            (&[], L::PrivilegedAccess, true, &held, &[]),
        ];
        for (before, option, on, held, after) in cases {
            let mut chosen = set(before);
            toggle_licensing_option(&mut chosen, option, on, held);
            assert_eq!(chosen, set(after), "{option:?} {on} after {before:?}");
        }
    }

    /// Every selection reachable by clicks, from nothing, for several reseller holdings.
    fn reachable(held: &[LicensingOption]) -> BTreeSet<BTreeSet<LicensingOption>> {
        let mut seen = BTreeSet::from([BTreeSet::new()]);
        let mut to_visit = vec![BTreeSet::new()];
        while let Some(chosen) = to_visit.pop() {
            for option in LicensingOption::ALL {
                for on in [true, false] {
                    let mut next = chosen.clone();
                    toggle_licensing_option(&mut next, option, on, held);
                    if seen.insert(next.clone()) {
                        to_visit.push(next);
                    }
                }
            }
        }
        seen
    }

    /// The server adds TAC to MXDR even for a reseller that does not hold TAC, which the form
    /// cannot tick; otherwise it keeps what the form sends.
    #[test]
    fn every_selection_the_form_can_reach_is_one_the_server_accepts() {
        let holdings = [
            all_but(&[]),
            all_but(&[L::PrivilegedAccess]),
            all_but(&[L::Tac]),
            all_but(&[L::Mxdr]),
        ];
        for held in holdings {
            let reached = reachable(&held);
            assert!(reached.len() > 1);
            for chosen in reached {
                let requested: Vec<LicensingOption> = chosen.iter().copied().collect();
                let mut expected = chosen.clone();
                if chosen.contains(&L::Mxdr) {
                    expected.insert(BROUGHT_BY_MXDR);
                }
                assert_eq!(
                    LicensingSelection::parse(&requested, &held)
                        .map(|selection| selection.to_vec()),
                    Ok(expected.into_iter().collect()),
                    "{requested:?} with {held:?}"
                );
            }
        }
    }
}
