//! A Microsoft Entra connection made by admin consent (SPEC §16), for the MSP's own directory
//! (the user source) or a customer's (just-in-time accounts): who authorised it and when,
//! **Authorize**, and how the round trip through Entra's admin consent ended (`?consent=granted`,
//! or `?consent=refused&reason=<Entra's words>` on the page it came back to), read once from the
//! address and then removed.

use leptos::{prelude::*, task::spawn_local};
use proto::{ConsentRedirect, EntraConnection};
use uuid::Uuid;

use crate::{
    address::{keep_only_path, value},
    api::{ApiFailure, customer_entra, sentence, user_source},
    components::{self, minute},
};

/// How the admin consent ended, as the server's redirect says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConsentReturn {
    Granted,
    /// Entra's words, or the server's (an expired or unknown Authorize).
    Refused(String),
}

impl ConsentReturn {
    /// In words: a success (`Ok`) or why not.
    pub fn told(self) -> Result<String, String> {
        match self {
            Self::Granted => Ok(
                "Microsoft Entra accepted the consent: the connection is authorised.".to_owned(),
            ),
            Self::Refused(reason) => Err(format!(
                "The connection was not authorised. {}",
                sentence(&reason)
            )),
        }
    }
}

/// A form-encoded query value as text: `+` is a space and `%XX` a byte of UTF-8; anything else,
/// a stray `%` too, stays as it is.
fn form_decoded(raw: &str) -> String {
    let bytes = raw.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        let escaped = bytes
            .get(at + 1..at + 3)
            .filter(|pair| pair.iter().all(u8::is_ascii_hexdigit))
            .and_then(|pair| std::str::from_utf8(pair).ok())
            .and_then(|pair| u8::from_str_radix(pair, 16).ok());
        match (byte, escaped) {
            (b'%', Some(escaped)) => {
                decoded.push(escaped);
                at += 3;
            }
            (b'+', _) => {
                decoded.push(b' ');
                at += 1;
            }
            _ => {
                decoded.push(byte);
                at += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

/// What the query `search` says about a consent, if anything.
pub fn parse_return(search: &str) -> Option<ConsentReturn> {
    match value(search, "consent")? {
        "granted" => Some(ConsentReturn::Granted),
        "refused" => Some(ConsentReturn::Refused(
            value(search, "reason")
                .map(form_decoded)
                .filter(|reason| !reason.trim().is_empty())
                .unwrap_or_else(|| "Microsoft Entra gave no reason".to_owned()),
        )),
        _ => None,
    }
}

/// Reads the consent's way back from the address once, and removes it.
pub fn take_return() -> Option<ConsentReturn> {
    let found = parse_return(&window().location().search().unwrap_or_default());
    if found.is_some() {
        keep_only_path();
    }
    found
}

/// `Authorised by admin@acme.com on 2026-12-01 10:00 UTC`.
pub fn authorised_words(connection: &EntraConnection) -> String {
    format!(
        "Authorised by {} on {} UTC",
        connection.authorised_by,
        minute(&connection.authorised_at)
    )
}

/// The green tick of an authorised connection.
pub fn tick() -> impl IntoView {
    view! {
        <svg class="icon tick" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M9 16.2 4.8 12l-1.4 1.4L9 19 21 7l-1.4-1.4z"/>
        </svg>
    }
}

/// Whose directory a connection is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsentFor {
    /// The MSP's own, as its user source.
    UserSource,
    /// A customer's, for just-in-time admin accounts.
    Customer(Uuid),
}

impl ConsentFor {
    async fn authorize(self) -> Result<ConsentRedirect, ApiFailure> {
        match self {
            Self::UserSource => user_source::authorize().await,
            Self::Customer(id) => customer_entra::authorize(id).await,
        }
    }
}

/// Leaves the web app for Entra's consent page; `false` when the browser refused to go.
fn go_to_consent(redirect: &ConsentRedirect) -> bool {
    window().location().set_href(&redirect.redirect_url).is_ok()
}

/// The connection's state, **Authorize**, and the outcome of the consent that led here. `help`
/// says what the app will be allowed to do in the directory.
#[component]
pub fn Connection(
    #[prop(into)] connection: Signal<Option<EntraConnection>>,
    returned: Option<ConsentReturn>,
    target: ConsentFor,
    help: &'static str,
) -> impl IntoView {
    let busy = RwSignal::new(false);
    let outcome = RwSignal::new(returned.map(ConsentReturn::told));
    let authorize = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        outcome.set(None);
        spawn_local(async move {
            match target.authorize().await {
                // The page is being left for Entra's: the button stays busy.
                Ok(redirect) if go_to_consent(&redirect) => {}
                Ok(_) => {
                    busy.set(false);
                    outcome.set(Some(Err(
                        "The browser did not open Microsoft Entra's page. Try again.".to_owned(),
                    )));
                }
                Err(failure) => {
                    busy.set(false);
                    outcome.set(Some(Err(failure.message())));
                }
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="connection-title">
            <h2 id="connection-title">"Microsoft Entra connection"</h2>
            {move || match connection.get() {
                Some(connection) => view! {
                    <p class="connected" data-testid="connection">{tick()} {authorised_words(&connection)}</p>
                    <p class="help">"Directory (tenant ID): " <code>{connection.entra_tenant_id}</code></p>
                }.into_any(),
                None => view! {
                    <p data-testid="connection">"Not authorised yet."</p>
                }.into_any(),
            }}
            <p class="help">{help}</p>
            <div class="actions">
                <button type="button" disabled=move || busy.get() on:click=authorize>
                    {move || if busy.get() { "Opening Microsoft Entra…" } else { "Authorize" }}
                </button>
            </div>
            {move || outcome.get().map(components::outcome)}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;

    #[test]
    fn the_way_back_from_entra_is_read_in_words() {
        assert_eq!(
            parse_return("?consent=granted"),
            Some(ConsentReturn::Granted)
        );
        assert_eq!(
            parse_return(
                "?consent=refused&reason=AADSTS65004%3A+User+declined+to+consent+to+access+the+app."
            ),
            Some(ConsentReturn::Refused(
                "AADSTS65004: User declined to consent to access the app.".to_owned()
            ))
        );
        assert_eq!(
            parse_return("?consent=refused"),
            Some(ConsentReturn::Refused(
                "Microsoft Entra gave no reason".to_owned()
            ))
        );
        assert_eq!(parse_return("?consent=maybe"), None);
        assert_eq!(parse_return("?duo=linked"), None);
        assert_eq!(parse_return(""), None);
    }

    #[test]
    fn a_form_encoded_reason_decodes_utf8_and_keeps_stray_percents() {
        let cases = [
            ("a+b", "a b"),
            ("caf%C3%A9", "café"),
            ("100%", "100%"),
            ("%zz%2", "%zz%2"),
            ("%+1", "% 1"),
            ("%2B", "+"),
        ];
        for (raw, text) in cases {
            assert_eq!(form_decoded(raw), text, "{raw}");
        }
    }

    #[test]
    fn the_outcome_and_the_connection_read_as_sentences() {
        assert_eq!(
            ConsentReturn::Refused("the Authorize took longer than 10 minutes; press Authorize again".to_owned()).told(),
            Err("The connection was not authorised. The Authorize took longer than 10 minutes; press Authorize again.".to_owned())
        );
        assert!(ConsentReturn::Granted.told().is_ok());
        let connection = EntraConnection {
            entra_tenant_id: "3a6f1d2e-8b7c-4d5e-9f0a-1b2c3d4e5f60".to_owned(),
            authorised_by: "admin@demo-entra.test".to_owned(),
            authorised_at: Utc
                .with_ymd_and_hms(2026, 12, 1, 9, 5, 0)
                .single()
                .unwrap_or_default(),
        };
        assert_eq!(
            authorised_words(&connection),
            "Authorised by admin@demo-entra.test on 2026-12-01 09:05 UTC"
        );
    }
}
