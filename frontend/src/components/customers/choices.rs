//! How the licensing checkboxes of the create-customer form are worded. Which box can be changed
//! and what a click does are SPEC §7's rules in `domain` (`LicensingAvailability`,
//! `toggle_licensing_option`), the same ones the API checks.

use domain::LicensingAvailability;
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

/// Why a checkbox cannot be changed, shown next to it.
pub fn explanation(availability: LicensingAvailability) -> Option<&'static str> {
    match availability {
        LicensingAvailability::Open => None,
        LicensingAvailability::NotHeld => Some("Not included in your reseller's licences"),
        LicensingAvailability::NeedsMxdr => Some("Needs MXDR"),
        LicensingAvailability::LockedByMxdr => Some("Included with MXDR"),
    }
}

/// Greyed out: an option the user cannot have now. TAC locked on by MXDR is had, so it is not.
pub fn looks_unavailable(availability: LicensingAvailability) -> bool {
    match availability {
        LicensingAvailability::NotHeld | LicensingAvailability::NeedsMxdr => true,
        LicensingAvailability::Open | LicensingAvailability::LockedByMxdr => false,
    }
}
