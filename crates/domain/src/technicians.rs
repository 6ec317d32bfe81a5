//! The rules of SPEC §12 about who may change a technician's rights, and how.

use proto::{Claim, Role};

use crate::ClaimSet;

/// A user's display name: trimmed, at most 200 characters; blank means none.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub const MAX_CHARS: usize = 200;

    pub fn parse(raw: &str) -> Result<Self, crate::TextError> {
        let trimmed = raw.trim();
        if trimmed.chars().count() > Self::MAX_CHARS {
            return Err(crate::TextError::TooLong {
                max: Self::MAX_CHARS,
            });
        }
        Ok(Self(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What a user may do: role, claims and the two permissions, and whether the account is active.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRights {
    pub role: Role,
    pub claims: ClaimSet,
    pub use_mfa: bool,
    pub allow_ui_access: bool,
    pub active: bool,
}

/// Why a change of rights is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RightsChangeRefused {
    #[error("nobody raises their own rights: ask another admin")]
    RaisesOwnRights,
    #[error(
        "a technician changes only its own display name and password; an admin changes the rest"
    )]
    NotAdmin,
    #[error("this is the tenant's last active admin: make another user an admin first")]
    LastActiveAdmin,
    #[error(
        "you cannot deactivate or delete your own account, nor turn off your own access to the web app; ask another admin"
    )]
    LocksOutSelf,
}

impl UserRights {
    /// Whether the account counts as one of its tenant's active admins.
    pub fn is_active_admin(&self) -> bool {
        self.active && self.role == Role::Admin
    }

    /// Whether `proposed` gives anything `self` lacks: a higher role, a claim, UI access, an
    /// active account, or Use MFA turned off.
    pub fn raised_by(&self, proposed: &UserRights) -> bool {
        let gains_claim = Claim::ALL
            .into_iter()
            .any(|claim| proposed.claims.contains(claim) && !self.claims.contains(claim));
        (self.role == Role::Technician && proposed.role == Role::Admin)
            || gains_claim
            || (!self.allow_ui_access && proposed.allow_ui_access)
            || (!self.active && proposed.active)
            || (self.use_mfa && !proposed.use_mfa)
    }
}

/// Who is changing whose rights.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RightsChange<'a> {
    pub actor_role: Role,
    pub on_self: bool,
    pub current: &'a UserRights,
    pub proposed: &'a UserRights,
    /// Active admins of the tenant other than the target.
    pub other_active_admins: u64,
}

/// SPEC §12: admins manage users; nobody raises their own rights; the last active admin of a
/// tenant is never demoted or deactivated.
pub fn check_rights_change(change: RightsChange<'_>) -> Result<(), RightsChangeRefused> {
    let RightsChange {
        actor_role,
        on_self,
        current,
        proposed,
        other_active_admins,
    } = change;
    if current == proposed {
        return Ok(());
    }
    if actor_role != Role::Admin {
        return Err(RightsChangeRefused::NotAdmin);
    }
    if on_self && current.raised_by(proposed) {
        return Err(RightsChangeRefused::RaisesOwnRights);
    }
    if current.is_active_admin() && !proposed.is_active_admin() && other_active_admins == 0 {
        return Err(RightsChangeRefused::LastActiveAdmin);
    }
    if on_self && (!proposed.active || (current.allow_ui_access && !proposed.allow_ui_access)) {
        return Err(RightsChangeRefused::LocksOutSelf);
    }
    Ok(())
}

/// Deleting `target` keeps an active admin in its tenant, and nobody deletes itself.
pub fn check_deletion(
    target: &UserRights,
    on_self: bool,
    other_active_admins: u64,
) -> Result<(), RightsChangeRefused> {
    if target.is_active_admin() && other_active_admins == 0 {
        return Err(RightsChangeRefused::LastActiveAdmin);
    }
    if on_self {
        return Err(RightsChangeRefused::LocksOutSelf);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn admin() -> UserRights {
        UserRights {
            role: Role::Admin,
            claims: ClaimSet::all(),
            use_mfa: true,
            allow_ui_access: true,
            active: true,
        }
    }

    fn technician() -> UserRights {
        UserRights {
            role: Role::Technician,
            claims: ClaimSet::all_but(Claim::CreateCustomer),
            use_mfa: false,
            allow_ui_access: true,
            active: true,
        }
    }

    fn change<'a>(
        actor_role: Role,
        on_self: bool,
        current: &'a UserRights,
        proposed: &'a UserRights,
        other_active_admins: u64,
    ) -> Result<(), RightsChangeRefused> {
        check_rights_change(RightsChange {
            actor_role,
            on_self,
            current,
            proposed,
            other_active_admins,
        })
    }

    #[test]
    fn an_admin_raises_another_users_rights() {
        let current = technician();
        let proposed = UserRights {
            claims: ClaimSet::all(),
            role: Role::Admin,
            ..technician()
        };
        assert_eq!(change(Role::Admin, false, &current, &proposed, 1), Ok(()));
    }

    #[test]
    fn nobody_raises_their_own_rights() {
        let current = UserRights {
            claims: ClaimSet::all_but(Claim::ViewCustomers),
            ..admin()
        };
        for proposed in [
            UserRights {
                claims: ClaimSet::all(),
                ..current.clone()
            },
            UserRights {
                use_mfa: false,
                ..current.clone()
            },
        ] {
            assert_eq!(
                change(Role::Admin, true, &current, &proposed, 3),
                Err(RightsChangeRefused::RaisesOwnRights)
            );
        }
    }

    #[test]
    fn an_admin_may_lower_its_own_rights_while_another_admin_remains() {
        let current = admin();
        let proposed = UserRights {
            role: Role::Technician,
            ..admin()
        };
        assert_eq!(change(Role::Admin, true, &current, &proposed, 1), Ok(()));
        assert_eq!(
            change(Role::Admin, true, &current, &proposed, 0),
            Err(RightsChangeRefused::LastActiveAdmin)
        );
    }

    #[test]
    fn the_last_active_admin_is_neither_deactivated_nor_deleted() {
        let current = admin();
        let proposed = UserRights {
            active: false,
            ..admin()
        };
        assert_eq!(
            change(Role::Admin, true, &current, &proposed, 0),
            Err(RightsChangeRefused::LastActiveAdmin)
        );
        assert_eq!(
            check_deletion(&current, true, 0),
            Err(RightsChangeRefused::LastActiveAdmin)
        );
        assert_eq!(check_deletion(&current, false, 1), Ok(()));
        assert_eq!(check_deletion(&technician(), false, 0), Ok(()));
    }

    #[test]
    fn nobody_locks_itself_out() {
        let current = admin();
        for proposed in [
            UserRights {
                active: false,
                ..admin()
            },
            UserRights {
                allow_ui_access: false,
                ..admin()
            },
        ] {
            assert_eq!(
                change(Role::Admin, true, &current, &proposed, 3),
                Err(RightsChangeRefused::LocksOutSelf)
            );
        }
        assert_eq!(
            check_deletion(&current, true, 3),
            Err(RightsChangeRefused::LocksOutSelf)
        );
    }

    #[test]
    fn a_technician_changes_no_rights_not_even_its_own_lowering() {
        let current = technician();
        let proposed = UserRights {
            claims: ClaimSet::default(),
            ..technician()
        };
        assert_eq!(
            change(Role::Technician, true, &current, &proposed, 1),
            Err(RightsChangeRefused::NotAdmin)
        );
        assert_eq!(
            change(Role::Technician, true, &current, &current, 1),
            Ok(())
        );
    }

    #[test]
    fn a_display_name_is_trimmed_and_bounded() {
        assert_eq!(DisplayName::parse("  Ada  ").unwrap().as_str(), "Ada");
        assert_eq!(DisplayName::parse("").unwrap().as_str(), "");
        assert!(DisplayName::parse(&"x".repeat(201)).is_err());
    }
}
