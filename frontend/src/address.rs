//! The address bar after a round trip through another site (Microsoft, Duo): what the server's
//! redirect left in the query or the fragment, read once and then removed.

use leptos::prelude::window;

/// The value of `key` in `pairs` (`a=1&b=2`, with or without a leading `?` or `#`).
pub fn value<'a>(pairs: &'a str, key: &str) -> Option<&'a str> {
    pairs
        .trim_start_matches(['?', '#'])
        .split('&')
        .find_map(|pair| pair.strip_prefix(key)?.strip_prefix('='))
}

/// Leaves only the path in the address bar, so a reload or a bookmark does not repeat what the
/// query or fragment said.
pub fn keep_only_path() {
    let location = window().location();
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(
            &leptos::wasm_bindgen::JsValue::NULL,
            "",
            Some(&location.pathname().unwrap_or_else(|_| "/".to_owned())),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::value;

    #[test]
    fn a_value_is_found_by_its_whole_key() {
        assert_eq!(value("?duo=linked", "duo"), Some("linked"));
        assert_eq!(value("?duo_error=duo_denied", "duo"), None);
        assert_eq!(value("#a=1&b=", "b"), Some(""));
        assert_eq!(value("", "a"), None);
    }
}
