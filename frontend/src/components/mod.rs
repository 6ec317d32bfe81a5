//! Everything the pages are built from that is not itself a route: the customer list modal and
//! its create-customer form, the Guide's tabs, the New Windows GP form, dialogs, search boxes,
//! API tokens, the authenticator app and new passwords.

pub mod api_tokens;
pub mod confirm;
pub mod copy;
pub mod customer_list;
pub mod customer_tenant_banner;
pub mod customers;
pub mod dialog;
pub mod entra_consent;
pub mod guide_tabs;
pub mod mfa;
pub mod new_policy;
pub mod pager;
pub mod password;
pub mod search;

use chrono::{DateTime, Datelike, Timelike, Utc};
use proto::{Claim, TenantType};

pub fn tenant_type_label(tenant_type: TenantType) -> &'static str {
    match tenant_type {
        TenantType::Distributor => "Distributor",
        TenantType::Reseller => "Reseller",
        TenantType::Corporate => "Corporate",
    }
}

pub fn claim_label(claim: Claim) -> &'static str {
    match claim {
        Claim::ViewEndpointSettings => "View endpoint settings",
        Claim::EditEndpointSettings => "Edit endpoint settings",
        Claim::ManageCustomerSettings => "Manage customer settings",
        Claim::ViewCustomers => "View customers",
        Claim::CreateCustomer => "Create customers",
    }
}

/// The `aria-invalid` value of a control whose input was refused (or not).
pub fn aria_invalid(refused: bool) -> &'static str {
    if refused { "true" } else { "false" }
}

/// How an action ended, said where the user is: a success as a status, a failure as an alert.
pub fn outcome(told: Result<String, String>) -> leptos::prelude::AnyView {
    use leptos::prelude::*;
    match told {
        Ok(text) => view! { <p class="saved" role="status">{text}</p> }.into_any(),
        Err(text) => view! { <p class="error" role="alert">{text}</p> }.into_any(),
    }
}

/// Sorts `items` by `key` as `sort_by_key` does, equal keys keeping their order. The sort itself
/// runs on (key, position) pairs: one copy of the sorting code in the web app for every item type.
pub fn sort_by_text<T>(items: &mut Vec<T>, key: impl Fn(&T) -> String) {
    let mut order: Vec<(String, usize)> = items.iter().map(key).zip(0..).collect();
    // The positions make every pair distinct, so an unstable sort gives the stable order.
    order.sort_unstable();
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(
        order
            .into_iter()
            .filter_map(|(_, position)| slots.get_mut(position).and_then(Option::take)),
    );
}

/// `2026-11-30`. Written out by hand rather than with chrono's `format`: its strftime parser and
/// formatter cost the web app several KiB for these two fixed layouts.
pub fn day(at: &DateTime<Utc>) -> String {
    format!("{:04}-{:02}-{:02}", at.year(), at.month(), at.day())
}

/// `2026-11-30 14:05` (UTC), for the same reason as `day`.
pub fn minute(at: &DateTime<Utc>) -> String {
    format!("{} {:02}:{:02}", day(at), at.hour(), at.minute())
}

/// `at` on a clock `minutes_west` minutes behind UTC (JavaScript's `getTimezoneOffset`: -60 in
/// Paris in winter), as `minute` writes it.
fn minute_west_of_utc(at: &DateTime<Utc>, minutes_west: i64) -> String {
    minute(&(*at - chrono::Duration::minutes(minutes_west)))
}

/// `2026-11-30 15:05` in the browser's time zone, for times someone acts on (an account's end).
/// The offset is the one in force at `at`, so a summer time change in between is counted.
pub fn local_minute(at: &DateTime<Utc>) -> String {
    use leptos::wasm_bindgen::JsValue;
    // Milliseconds since 1970 are exact in an f64 for any date this app shows.
    let millis = at.timestamp_millis() as f64;
    let offset =
        leptos::web_sys::js_sys::Date::new(&JsValue::from_f64(millis)).get_timezone_offset();
    // Offsets are whole minutes, less than a day: the cast loses nothing.
    minute_west_of_utc(at, offset as i64)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn sorts_by_text_as_sort_by_key_does() {
        let words = ["b", "A", "a", "c", "B", "a", "", "é", "E"];
        let mut ours: Vec<(usize, &str)> = words.iter().copied().enumerate().collect();
        let mut theirs = ours.clone();
        sort_by_text(&mut ours, |(_, word)| word.to_lowercase());
        theirs.sort_by_key(|(_, word)| word.to_lowercase());
        assert_eq!(ours, theirs);
    }

    #[test]
    fn dates_read_as_chronos_own_layouts() {
        let cases = [
            Utc.with_ymd_and_hms(2026, 11, 30, 14, 5, 9),
            Utc.with_ymd_and_hms(987, 1, 2, 3, 4, 5),
            Utc.with_ymd_and_hms(2024, 12, 31, 23, 59, 59),
        ];
        for at in cases.into_iter().flat_map(|at| at.single()) {
            assert_eq!(day(&at), at.format("%Y-%m-%d").to_string());
            assert_eq!(minute(&at), at.format("%Y-%m-%d %H:%M").to_string());
        }
    }

    #[test]
    fn a_time_reads_on_the_local_clock_across_midnight() {
        let at = Utc
            .with_ymd_and_hms(2026, 12, 31, 23, 30, 0)
            .single()
            .unwrap_or_default();
        assert_eq!(minute_west_of_utc(&at, 0), "2026-12-31 23:30");
        // Paris in winter (UTC+1) is already in the new year; New York (UTC-5) is not.
        assert_eq!(minute_west_of_utc(&at, -60), "2027-01-01 00:30");
        assert_eq!(minute_west_of_utc(&at, 300), "2026-12-31 18:30");
        assert_eq!(minute_west_of_utc(&at, -330), "2027-01-01 05:00");
    }
}
