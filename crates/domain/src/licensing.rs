//! SPEC §7's rules for a customer's licensing options.

use std::collections::BTreeSet;

use proto::LicensingOption;

/// The options that can only be chosen together with MXDR.
pub(crate) const NEEDS_MXDR: [LicensingOption; 2] =
    [LicensingOption::Tac, LicensingOption::TacUiM365UserSecurity];

/// The option MXDR always comes with.
pub(crate) const BROUGHT_BY_MXDR: LicensingOption = LicensingOption::Tac;

/// Email Security 365 and ATP cannot both be chosen.
pub(crate) const MUTUALLY_EXCLUSIVE: [LicensingOption; 2] =
    [LicensingOption::EmailSecurity365, LicensingOption::Atp];

/// The option that cannot be chosen together with `option`, if any.
pub(crate) fn excluded_by(option: LicensingOption) -> Option<LicensingOption> {
    let [first, second] = MUTUALLY_EXCLUSIVE;
    if option == first {
        Some(second)
    } else if option == second {
        Some(first)
    } else {
        None
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LicensingError {
    #[error("your reseller account does not hold {}", .0.as_str())]
    NotHeldByReseller(LicensingOption),
    #[error("email_security_365 and atp cannot both be chosen: pick one")]
    EmailSecurityAndAtp,
    #[error("{} needs mxdr", .0.as_str())]
    NeedsMxdr(LicensingOption),
}

/// A customer's licensing options, checked against the parent reseller's and against each other.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LicensingSelection(BTreeSet<LicensingOption>);

impl LicensingSelection {
    /// Every broken rule is reported, not only the first, so a form can mark them all.
    pub fn parse(
        requested: &[LicensingOption],
        held_by_parent: &[LicensingOption],
    ) -> Result<Self, Vec<LicensingError>> {
        use LicensingOption as L;
        let mut chosen: BTreeSet<LicensingOption> = requested.iter().copied().collect();
        let mut errors: Vec<LicensingError> = chosen
            .iter()
            .filter(|option| !held_by_parent.contains(option))
            .map(|option| LicensingError::NotHeldByReseller(*option))
            .collect();
        if MUTUALLY_EXCLUSIVE
            .iter()
            .all(|option| chosen.contains(option))
        {
            errors.push(LicensingError::EmailSecurityAndAtp);
        }
        if !chosen.contains(&L::Mxdr) {
            errors.extend(
                NEEDS_MXDR
                    .into_iter()
                    .filter(|option| chosen.contains(option))
                    .map(LicensingError::NeedsMxdr),
            );
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        // The form locks it on; a client that left it out gets it all the same.
        if chosen.contains(&L::Mxdr) {
            chosen.insert(BROUGHT_BY_MXDR);
        }
        Ok(Self(chosen))
    }

    pub fn contains(&self, option: LicensingOption) -> bool {
        self.0.contains(&option)
    }

    pub fn to_vec(&self) -> Vec<LicensingOption> {
        self.0.iter().copied().collect()
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
    fn each_rule_of_section_7_is_enforced() {
        let held = all_but_privileged_access();
        let cases: [(&[LicensingOption], Vec<LicensingError>); 5] = [
            (
                &[L::PrivilegedAccess],
                vec![LicensingError::NotHeldByReseller(L::PrivilegedAccess)],
            ),
            (
                &[L::EmailSecurity365, L::Atp],
                vec![LicensingError::EmailSecurityAndAtp],
            ),
            (&[L::Tac], vec![LicensingError::NeedsMxdr(L::Tac)]),
            (
                &[L::TacUiM365UserSecurity],
                vec![LicensingError::NeedsMxdr(L::TacUiM365UserSecurity)],
            ),
            (
                &[L::PrivilegedAccess, L::Atp, L::EmailSecurity365, L::Tac],
                vec![
                    LicensingError::NotHeldByReseller(L::PrivilegedAccess),
                    LicensingError::EmailSecurityAndAtp,
                    LicensingError::NeedsMxdr(L::Tac),
                ],
            ),
        ];
        for (requested, expected) in cases {
            assert_eq!(
                LicensingSelection::parse(requested, &held),
                Err(expected),
                "{requested:?}"
            );
        }
    }

    #[test]
    fn mxdr_brings_tac_and_allows_the_tac_options() {
        let held = all_but_privileged_access();
        let selection = LicensingSelection::parse(&[L::Mxdr], &held).unwrap();
        assert_eq!(selection.to_vec(), vec![L::Mxdr, L::Tac]);
        let with_ui =
            LicensingSelection::parse(&[L::Mxdr, L::TacUiM365UserSecurity], &held).unwrap();
        assert!(with_ui.contains(L::Tac) && with_ui.contains(L::TacUiM365UserSecurity));
    }

    #[test]
    fn valid_choices_pass_unchanged_and_duplicates_collapse() {
        let held = all_but_privileged_access();
        let selection =
            LicensingSelection::parse(&[L::DnsSecurity, L::Atp, L::DnsSecurity], &held).unwrap();
        assert_eq!(selection.to_vec(), vec![L::DnsSecurity, L::Atp]);
        assert_eq!(
            LicensingSelection::parse(&[], &held).unwrap().to_vec(),
            vec![]
        );
    }
}
