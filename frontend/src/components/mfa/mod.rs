//! The second factors of one's own account: the authenticator app (TOTP, SPEC §12) with the
//! recovery codes shown once, and linking Duo (SPEC §14). Used by the forced enrolment after
//! sign-in and by the profile page.

pub mod duo;
mod enrolment;
mod recovery_codes;

pub use enrolment::TotpEnrolmentFlow;
pub use recovery_codes::RecoveryCodesShownOnce;

/// What the user types: spaces (apps show `123 456`) do not count.
pub fn typed_code(raw: &str) -> String {
    raw.chars().filter(|c| !c.is_whitespace()).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn spaces_in_a_typed_code_do_not_count() {
        assert_eq!(super::typed_code(" 123 456 "), "123456");
    }
}
