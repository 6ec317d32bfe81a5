//! Duo as a factor of one's own account (SPEC §14): "Link Duo" goes through Duo's prompt, and
//! Duo's way back lands on `/profile?duo=linked` or `/profile?duo_error=<code>`.

use domain::DuoRefusal;
use leptos::{prelude::*, task::spawn_local};

use crate::{
    address::{keep_only_path, value},
    api::{ApiFailure, duo},
};

/// How the round trip through Duo's prompt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkReturn {
    Linked,
    /// Why not, in words.
    Refused(&'static str),
}

fn refusal_message(code: &str) -> &'static str {
    match DuoRefusal::from_code(code) {
        Some(DuoRefusal::Denied) => {
            "Duo denied the request, so Duo was not linked. Click “Link Duo” again and approve it."
        }
        Some(DuoRefusal::Unreachable) => {
            "Duo cannot be reached, so Duo was not linked. Try again in a few minutes."
        }
        Some(DuoRefusal::Invalid) => {
            "Duo's answer could not be verified, so Duo was not linked. Try again; if it keeps happening, tell your admin."
        }
        Some(DuoRefusal::Expired) => {
            "Linking Duo took too long or was started in another window. Click “Link Duo” again."
        }
        Some(DuoRefusal::NotAvailable) => {
            "Duo is not set up for your company any more, so it cannot be linked. Ask your admin."
        }
        None => "Duo was not linked. Try again.",
    }
}

/// What the query `search` says about a link, if anything.
pub fn parse_return(search: &str) -> Option<LinkReturn> {
    if value(search, "duo") == Some("linked") {
        return Some(LinkReturn::Linked);
    }
    value(search, "duo_error").map(|code| LinkReturn::Refused(refusal_message(code)))
}

/// Reads Duo's way back from the address once, and removes it.
pub fn take_return() -> Option<LinkReturn> {
    let found = parse_return(&window().location().search().unwrap_or_default());
    if found.is_some() {
        keep_only_path();
    }
    found
}

fn link_refusal(failure: &ApiFailure) -> String {
    match failure.code() {
        Some("duo_unreachable") => {
            "Duo cannot be reached right now. Try again in a few minutes.".to_owned()
        }
        Some("duo_not_available") => {
            "Your admin has not set up Duo, or turned it off, so it cannot be linked.".to_owned()
        }
        _ => failure.message(),
    }
}

/// The button that sends the browser to Duo's prompt to link the signed-in user.
#[component]
pub fn LinkDuoButton() -> impl IntoView {
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let link = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        problem.set(None);
        spawn_local(async move {
            match duo::begin_link().await {
                // The page is being left for Duo's: the button stays busy.
                Ok(redirect) if duo::go_to_prompt(&redirect) => {}
                Ok(_) => {
                    busy.set(false);
                    problem.set(Some(
                        "The browser did not open Duo's page. Try again.".to_owned(),
                    ));
                }
                Err(failure) => {
                    busy.set(false);
                    problem.set(Some(link_refusal(&failure)));
                }
            }
        });
    };
    view! {
        <button type="button" disabled=move || busy.get() on:click=link>
            {move || if busy.get() { "Opening Duo…" } else { "Link Duo" }}
        </button>
        {move || problem.get().map(|text| view! { <p class="error" role="alert">{text}</p> })}
    }
}

impl LinkReturn {
    /// In words: a success (`Ok`) or why not.
    pub fn told(self) -> Result<String, String> {
        match self {
            Self::Linked => {
                Ok("Duo is linked: from now on, sign-ins ask Duo to confirm it’s you.".to_owned())
            }
            Self::Refused(text) => Err(text.to_owned()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duos_way_back_says_linked_or_why_not() {
        assert_eq!(parse_return("?duo=linked"), Some(LinkReturn::Linked));
        assert_eq!(parse_return(""), None);
        assert_eq!(parse_return("?duo=other"), None);
        for refusal in DuoRefusal::ALL {
            let found = parse_return(&format!("?duo_error={}", refusal.code()));
            assert!(
                matches!(found, Some(LinkReturn::Refused(text)) if text.ends_with('.')),
                "{refusal:?}"
            );
        }
        assert_eq!(
            parse_return("?duo_error=new_code"),
            Some(LinkReturn::Refused("Duo was not linked. Try again."))
        );
    }
}
