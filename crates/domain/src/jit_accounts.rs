//! Just-in-time admin accounts in a customer's Microsoft Entra tenant (SPEC §16): the account's
//! name (`<prefix><local part>@<domain>`, within Entra's rules for user principal names), how
//! long it lives, which built-in roles a technician gets from the customer's role mapping, when a
//! repeated request moves the expiry, and the order in which an expired account is taken apart.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use crate::{Email, JitPrefix};

/// How long a just-in-time account lives: 1 to 24 hours, 4 unless the MSP chooses otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccountLifetime(u32);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("an account lives 1 to 24 hours, not {0}")]
pub struct AccountLifetimeError(u32);

impl AccountLifetime {
    pub const DEFAULT_HOURS: u32 = 4;
    pub const MAX_HOURS: u32 = 24;

    pub fn from_hours(hours: u32) -> Result<Self, AccountLifetimeError> {
        if (1..=Self::MAX_HOURS).contains(&hours) {
            Ok(Self(hours))
        } else {
            Err(AccountLifetimeError(hours))
        }
    }

    pub fn hours(self) -> u32 {
        self.0
    }

    pub fn duration(self) -> Duration {
        Duration::hours(i64::from(self.0))
    }
}

impl Default for AccountLifetime {
    fn default() -> Self {
        Self(Self::DEFAULT_HOURS)
    }
}

/// The expiry of an account asked for at `now`: a new one lives `lifetime`; asking again while
/// it is active extends it to `now + lifetime`, never shortens it.
pub fn expiry_after_request(
    now: DateTime<Utc>,
    current_expiry: Option<DateTime<Utc>>,
    lifetime: AccountLifetime,
) -> DateTime<Utc> {
    let fresh = now + lifetime.duration();
    match current_expiry {
        Some(current) if current > fresh => current,
        _ => fresh,
    }
}

/// A just-in-time account's names in the customer's directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JitAccountName {
    user_principal_name: String,
    mail_nickname: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JitAccountNameError {
    #[error("the domain for accounts is not a valid domain name")]
    Domain,
    #[error(
        "the account's name would be {0} characters before the @; Entra allows 64: choose a shorter prefix"
    )]
    TooLong(usize),
}

impl JitAccountName {
    /// Entra allows 64 characters before the `@` of a user principal name.
    pub const MAX_LOCAL_CHARS: usize = 64;

    /// `<prefix><local part of the technician's e-mail>@<domain>`, lower case. Characters a user
    /// principal name cannot hold (`+`, `&`, `=`…) become `-`. (A valid e-mail's local part
    /// neither starts nor ends with a dot nor repeats one, and a prefix starts with a letter, so
    /// the name keeps Entra's rules for dots.)
    pub fn for_technician(
        prefix: &JitPrefix,
        technician: &Email,
        domain: &str,
    ) -> Result<Self, JitAccountNameError> {
        let domain = domain.trim().to_ascii_lowercase();
        let domain_ok = !domain.is_empty()
            && domain.len() <= 253
            && domain.split('.').count() >= 2
            && domain.split('.').all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            });
        if !domain_ok {
            return Err(JitAccountNameError::Domain);
        }
        let wanted = prefix.username_for(technician);
        let mut local = String::with_capacity(wanted.len());
        for c in wanted.chars() {
            let kept = if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '\'') {
                c.to_ascii_lowercase()
            } else {
                '-'
            };
            local.push(kept);
        }
        let length = local.chars().count();
        if length > Self::MAX_LOCAL_CHARS {
            return Err(JitAccountNameError::TooLong(length));
        }
        // The mail nickname refuses the apostrophe that a user principal name accepts.
        let mail_nickname = local.replace('\'', "-");
        Ok(Self {
            user_principal_name: format!("{local}@{domain}"),
            mail_nickname,
        })
    }

    pub fn user_principal_name(&self) -> &str {
        &self.user_principal_name
    }

    pub fn mail_nickname(&self) -> &str {
        &self.mail_nickname
    }
}

/// An Entra built-in role, by its template ID (the same in every tenant).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RoleId(Uuid);

impl RoleId {
    pub fn parse(raw: &str) -> Result<Self, RoleMappingError> {
        Uuid::parse_str(raw.trim())
            .map(Self)
            .map_err(|_| RoleMappingError::RoleId(raw.to_owned()))
    }

    pub fn uuid(self) -> Uuid {
        self.0
    }
}

impl std::fmt::Display for RoleId {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(formatter)
    }
}

/// Which roles a technician gets in the customer's directory: one set for every technician with
/// access (**All admins**), or a set per technician group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoleMapping {
    AllAdmins(BTreeSet<RoleId>),
    PerGroup(BTreeMap<Uuid, BTreeSet<RoleId>>),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RoleMappingError {
    #[error("'{0}' is not a role ID (a GUID)")]
    RoleId(String),
    #[error("choose at least one role")]
    NoRole,
    #[error("map at least one technician group to roles")]
    NoGroup,
    #[error("a group or All admins has at most {max} roles", max = RoleMapping::MAX_ROLES)]
    TooManyRoles,
}

/// Why a technician gets no account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NoRolesReason {
    #[error(
        "none of your technician groups is mapped to roles in this customer's Entra; ask an admin of your MSP"
    )]
    NotInMappedGroup,
}

impl RoleMapping {
    /// More roles than this for one group is a mistake, not a need.
    pub const MAX_ROLES: usize = 20;

    /// A mapping with every set non-empty and within bounds.
    pub fn all_admins(roles: BTreeSet<RoleId>) -> Result<Self, RoleMappingError> {
        check_roles(&roles)?;
        Ok(Self::AllAdmins(roles))
    }

    pub fn per_group(groups: BTreeMap<Uuid, BTreeSet<RoleId>>) -> Result<Self, RoleMappingError> {
        if groups.is_empty() {
            return Err(RoleMappingError::NoGroup);
        }
        groups.values().try_for_each(check_roles)?;
        Ok(Self::PerGroup(groups))
    }

    /// Every role the mapping names, for checking them against the directory once.
    pub fn every_role(&self) -> BTreeSet<RoleId> {
        match self {
            Self::AllAdmins(roles) => roles.clone(),
            Self::PerGroup(groups) => groups.values().flatten().copied().collect(),
        }
    }

    /// The roles of a technician in `groups`: the All admins set, or the union of its mapped
    /// groups' sets.
    pub fn roles_for(&self, groups: &[Uuid]) -> Result<BTreeSet<RoleId>, NoRolesReason> {
        let roles = match self {
            Self::AllAdmins(roles) => roles.clone(),
            Self::PerGroup(mapped) => groups
                .iter()
                .filter_map(|group| mapped.get(group))
                .flatten()
                .copied()
                .collect(),
        };
        if roles.is_empty() {
            Err(NoRolesReason::NotInMappedGroup)
        } else {
            Ok(roles)
        }
    }
}

fn check_roles(roles: &BTreeSet<RoleId>) -> Result<(), RoleMappingError> {
    match roles.len() {
        0 => Err(RoleMappingError::NoRole),
        count if count > RoleMapping::MAX_ROLES => Err(RoleMappingError::TooManyRoles),
        _ => Ok(()),
    }
}

/// The steps that take an expired account apart, in order: it can do nothing once disabled, its
/// open sessions end, its roles go, then the account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TeardownStep {
    Disable,
    RevokeSessions,
    RemoveRoles,
    Delete,
}

impl TeardownStep {
    pub const ALL: [Self; 4] = [
        Self::Disable,
        Self::RevokeSessions,
        Self::RemoveRoles,
        Self::Delete,
    ];

    /// The step after this one; `None` after the deletion.
    pub fn next(self) -> Option<Self> {
        Self::ALL
            .iter()
            .position(|step| *step == self)
            .and_then(|index| Self::ALL.get(index + 1))
            .copied()
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Disable => "disable",
            Self::RevokeSessions => "revoke_sessions",
            Self::RemoveRoles => "remove_roles",
            Self::Delete => "delete",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|step| step.as_str() == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn email(raw: &str) -> Email {
        Email::parse(raw).unwrap()
    }

    fn role(n: u8) -> RoleId {
        RoleId(Uuid::from_u128(u128::from(n)))
    }

    #[test]
    fn an_account_is_named_with_the_prefix_and_the_local_part_at_the_chosen_domain() {
        let cases = [
            (
                "alex@acme.com",
                "msp-",
                "contoso.com",
                "msp-alex@contoso.com",
                "msp-alex",
            ),
            (
                "Alex.Kim@acme.com",
                "msp-",
                "Contoso.COM",
                "msp-alex.kim@contoso.com",
                "msp-alex.kim",
            ),
            (
                "o'brien@acme.com",
                "jit.",
                "contoso.com",
                "jit.o'brien@contoso.com",
                "jit.o-brien",
            ),
            (
                "sam+ops@acme.com",
                "msp-",
                "contoso.com",
                "msp-sam-ops@contoso.com",
                "msp-sam-ops",
            ),
        ];
        for (technician, prefix, domain, upn, nickname) in cases {
            let prefix = JitPrefix::parse(prefix).unwrap();
            let technician_email =
                Email::parse(technician).unwrap_or_else(|error| panic!("{technician}: {error}"));
            let name = JitAccountName::for_technician(&prefix, &technician_email, domain)
                .unwrap_or_else(|error| panic!("{technician}: {error}"));
            assert_eq!(name.user_principal_name(), upn, "{technician}");
            assert_eq!(name.mail_nickname(), nickname, "{technician}");
        }
    }

    #[test]
    fn a_name_past_sixty_four_characters_or_a_bad_domain_is_refused() {
        let prefix = JitPrefix::parse("msp-admin-account-").unwrap();
        let long = email(&format!("{}@acme.com", "a".repeat(50)));
        assert_eq!(
            JitAccountName::for_technician(&prefix, &long, "contoso.com"),
            Err(JitAccountNameError::TooLong(68))
        );
        let alex = email("alex@acme.com");
        for domain in [
            "",
            "contoso",
            "-contoso.com",
            "con toso.com",
            "contoso..com",
        ] {
            assert_eq!(
                JitAccountName::for_technician(&prefix, &alex, domain),
                Err(JitAccountNameError::Domain),
                "{domain:?}"
            );
        }
    }

    #[test]
    fn a_lifetime_is_one_to_twenty_four_hours_and_four_by_default() {
        assert_eq!(AccountLifetime::default().hours(), 4);
        assert!(AccountLifetime::from_hours(1).is_ok());
        assert!(AccountLifetime::from_hours(24).is_ok());
        assert_eq!(AccountLifetime::from_hours(0), Err(AccountLifetimeError(0)));
        assert_eq!(
            AccountLifetime::from_hours(25),
            Err(AccountLifetimeError(25))
        );
    }

    #[test]
    fn asking_again_extends_an_account_and_never_shortens_it() {
        let now = DateTime::parse_from_rfc3339("2026-12-01T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let four = AccountLifetime::default();
        assert_eq!(
            expiry_after_request(now, None, four),
            now + Duration::hours(4)
        );
        let soon = now + Duration::minutes(30);
        assert_eq!(
            expiry_after_request(now, Some(soon), four),
            now + Duration::hours(4)
        );
        let later = now + Duration::hours(6);
        assert_eq!(expiry_after_request(now, Some(later), four), later);
    }

    #[test]
    fn all_admins_gives_everyone_its_roles_and_groups_give_the_union_of_theirs() {
        let everyone = RoleMapping::all_admins([role(1), role(2)].into()).unwrap();
        assert_eq!(everyone.roles_for(&[]), Ok([role(1), role(2)].into()));

        let (level_1, level_2, other) = (
            Uuid::from_u128(10),
            Uuid::from_u128(20),
            Uuid::from_u128(30),
        );
        let groups = RoleMapping::per_group(
            [
                (level_1, [role(1)].into()),
                (level_2, [role(2), role(3)].into()),
            ]
            .into(),
        )
        .unwrap();
        assert_eq!(groups.roles_for(&[level_1]), Ok([role(1)].into()));
        assert_eq!(
            groups.roles_for(&[level_1, level_2, other]),
            Ok([role(1), role(2), role(3)].into())
        );
        assert_eq!(
            groups.roles_for(&[other]),
            Err(NoRolesReason::NotInMappedGroup)
        );
        assert_eq!(groups.every_role(), [role(1), role(2), role(3)].into());
    }

    #[test]
    fn a_mapping_needs_roles_within_bounds_and_at_least_one_group() {
        assert_eq!(
            RoleMapping::all_admins(BTreeSet::new()),
            Err(RoleMappingError::NoRole)
        );
        assert_eq!(
            RoleMapping::per_group(BTreeMap::new()),
            Err(RoleMappingError::NoGroup)
        );
        let too_many: BTreeSet<RoleId> = (0..=20).map(role).collect();
        assert_eq!(
            RoleMapping::all_admins(too_many),
            Err(RoleMappingError::TooManyRoles)
        );
        assert_eq!(
            RoleId::parse("Global Administrator"),
            Err(RoleMappingError::RoleId("Global Administrator".to_owned()))
        );
        assert_eq!(
            RoleId::parse("62e90394-69f5-4237-9190-012177145e10").map(|id| id.to_string()),
            Ok("62e90394-69f5-4237-9190-012177145e10".to_owned())
        );
    }

    #[test]
    fn an_expired_account_is_disabled_then_signed_out_then_unassigned_then_deleted() {
        let mut steps = vec![TeardownStep::Disable];
        while let Some(next) = steps.last().and_then(|step| step.next()) {
            steps.push(next);
        }
        assert_eq!(steps, TeardownStep::ALL);
        for step in TeardownStep::ALL {
            assert_eq!(TeardownStep::parse(step.as_str()), Some(step));
        }
        assert_eq!(TeardownStep::parse("unknown"), None);
    }
}
