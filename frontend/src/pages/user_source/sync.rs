//! The offboarding sync while Entra is the source: when it last ran, how that went and how many
//! users it deactivated, when it runs next, and **Sync now**. The server runs a sync after
//! answering, so the page asks again every second (up to a minute) until the last sync changes.

use std::time::Duration;

use chrono::{DateTime, Utc};
use leptos::{prelude::*, task::spawn_local};
use proto::{UserSourceSettings, UserSourceSync};

use crate::{
    api::{sentence, user_source as api},
    components::minute,
};

const POLL_EVERY: Duration = Duration::from_secs(1);
const POLLS: u32 = 60;

type Settings = RwSignal<Option<Result<UserSourceSettings, String>>>;

/// What one look at the settings says of a sync awaited since the last one at `before`.
#[derive(Debug, PartialEq, Eq)]
enum Look {
    Ended(Result<String, String>),
    Again,
    GiveUp,
}

fn look(
    before: Option<DateTime<Utc>>,
    polls_left: u32,
    answer: Option<&UserSourceSettings>,
) -> Look {
    match answer
        .and_then(|settings| settings.last_sync.as_ref())
        .filter(|sync| Some(sync.at) != before)
    {
        Some(sync) => Look::Ended(sync_words(sync)),
        None if polls_left == 0 => Look::GiveUp,
        None => Look::Again,
    }
}

/// `No users`, `1 user`, `3 users`.
fn users(count: u32) -> String {
    match count {
        0 => "No users".to_owned(),
        1 => "1 user".to_owned(),
        count => format!("{count} users"),
    }
}

fn sync_words(sync: &UserSourceSync) -> Result<String, String> {
    match &sync.error {
        Some(error) => Err(format!("The sync failed. {}", sentence(error))),
        None => Ok(format!(
            "The sync ended: {} deactivated.",
            users(sync.deactivated).to_ascii_lowercase()
        )),
    }
}

fn result_words(sync: &UserSourceSync) -> String {
    match &sync.error {
        Some(error) => format!("Failed: {}", sentence(error)),
        None => "Succeeded".to_owned(),
    }
}

const RUNNING: &str = "Syncing… the result shows here when the sync ends.";
const STILL_RUNNING: &str = "The sync has not ended after a minute. It goes on in the background; its result shows on this page next time.";

/// Waits for a sync to end and tells how it went; shared by Sync now and a switch to Entra.
#[derive(Clone, Copy, Default)]
pub struct SyncWatch {
    running: RwSignal<bool>,
    /// How the last awaited sync went: a success or the failure, in words.
    told: RwSignal<Option<Result<String, String>>>,
}

impl SyncWatch {
    fn start(self) {
        self.running.set(true);
        self.told.set(None);
    }

    fn end(self, told: Result<String, String>) {
        self.running.try_set(false);
        self.told.try_set(Some(told));
    }

    /// Tells the sync after `before` once it ended.
    pub fn watch(self, settings: Settings, before: Option<DateTime<Utc>>) {
        self.start();
        self.poll(settings, before, POLLS);
    }

    fn poll(self, settings: Settings, before: Option<DateTime<Utc>>, polls_left: u32) {
        set_timeout(
            move || {
                // The page was left: nobody is waiting any more.
                if self.running.try_get_untracked().is_none() {
                    return;
                }
                spawn_local(async move {
                    let answer = api::settings().await.ok();
                    match look(before, polls_left, answer.as_ref()) {
                        Look::Again => self.poll(settings, before, polls_left.saturating_sub(1)),
                        Look::Ended(told) => {
                            settings.try_set(answer.map(Ok));
                            self.end(told);
                        }
                        Look::GiveUp => self.end(Ok(STILL_RUNNING.to_owned())),
                    }
                });
            },
            POLL_EVERY,
        );
    }
}

#[component]
pub fn SyncSection(settings: Settings, watch: SyncWatch) -> impl IntoView {
    let current = move || {
        settings.with(|settings| {
            settings
                .as_ref()
                .and_then(|settings| settings.as_ref().ok())
                .map(|settings| (settings.last_sync.clone(), settings.next_sync_at))
                .unwrap_or_default()
        })
    };
    let press = move |_| {
        if watch.running.get_untracked() {
            return;
        }
        let before = current().0.map(|sync| sync.at);
        watch.start();
        spawn_local(async move {
            match api::sync_now().await {
                Ok(answer) => {
                    settings.try_set(Some(Ok(answer)));
                    watch.poll(settings, before, POLLS);
                }
                Err(failure) => watch.end(Err(failure.message())),
            }
        });
    };
    let last_sync = move || {
        current()
            .0
            .map(|sync| format!("{} UTC", minute(&sync.at)))
            .unwrap_or_else(|| "Not yet".to_owned())
    };
    let result = move || {
        current()
            .0
            .map(|sync| result_words(&sync))
            .unwrap_or_default()
    };
    let deactivated = move || {
        current()
            .0
            .map(|sync| users(sync.deactivated))
            .unwrap_or_default()
    };
    let next_sync = move || {
        current()
            .1
            .map(|at| format!("{} UTC", minute(&at)))
            .unwrap_or_else(|| "Not scheduled".to_owned())
    };
    let status = move || {
        if watch.running.get() {
            return RUNNING.to_owned();
        }
        watch.told.with(|told| match told {
            Some(Ok(text)) => text.clone(),
            Some(Err(_)) => "The sync did not succeed.".to_owned(),
            None => String::new(),
        })
    };
    let failure = move || watch.told.get().and_then(Result::err);
    view! {
        <section class="card" aria-labelledby="sync-title">
            <h2 id="sync-title">"Offboarding sync"</h2>
            <p class="help">"Reads what changed in your Entra directory and deactivates the users removed or disabled there, ending their sessions. A user enabled again in Entra stays deactivated until an admin reactivates them."</p>
            <dl class="facts">
                <dt>"Last sync"</dt><dd data-testid="last-sync">{last_sync}</dd>
                <dt>"Result"</dt><dd data-testid="last-sync-result">{result}</dd>
                <dt>"Deactivated"</dt><dd data-testid="last-sync-deactivated">{deactivated}</dd>
                <dt>"Next sync"</dt><dd data-testid="next-sync">{next_sync}</dd>
            </dl>
            <div class="actions">
                <button type="button" disabled=move || watch.running.get() on:click=press>"Sync now"</button>
            </div>
            <p class="help" role="status" data-testid="sync-status">{status}</p>
            {move || failure().map(|text| view! { <p class="error" role="alert">{text}</p> })}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use proto::UserSourceKind;

    use super::*;

    fn at(secs: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_800_000_000 + secs, 0)
            .single()
            .unwrap_or_default()
    }

    fn settings(last_sync: Option<UserSourceSync>) -> UserSourceSettings {
        UserSourceSettings {
            source: UserSourceKind::Azuread,
            connection: None,
            onboarding_domain: Some("demo-entra.test".to_owned()),
            jit_prefix: "msp-".to_owned(),
            onboarded_users: 2,
            last_sync,
            next_sync_at: Some(at(14_400)),
            reenabled: Vec::new(),
        }
    }

    fn sync(secs: i64, error: Option<&str>, deactivated: u32) -> UserSourceSync {
        UserSourceSync {
            at: at(secs),
            error: error.map(str::to_owned),
            deactivated,
        }
    }

    #[test]
    fn the_page_waits_until_the_last_sync_changes() {
        let before = settings(Some(sync(0, None, 0)));
        assert_eq!(look(Some(at(0)), 5, Some(&before)), Look::Again);
        assert_eq!(look(Some(at(0)), 5, None), Look::Again);
        assert_eq!(look(Some(at(0)), 0, Some(&before)), Look::GiveUp);
        assert_eq!(
            look(Some(at(0)), 5, Some(&settings(Some(sync(9, None, 1))))),
            Look::Ended(Ok("The sync ended: 1 user deactivated.".to_owned()))
        );
        // The first sync ever.
        assert_eq!(look(None, 5, Some(&settings(None))), Look::Again);
        assert_eq!(
            look(None, 5, Some(&settings(Some(sync(3, None, 0))))),
            Look::Ended(Ok("The sync ended: no users deactivated.".to_owned()))
        );
        assert_eq!(
            look(
                None,
                5,
                Some(&settings(Some(sync(3, Some("graph is unreachable"), 0))))
            ),
            Look::Ended(Err("The sync failed. Graph is unreachable.".to_owned()))
        );
    }

    #[test]
    fn the_last_sync_reads_in_words() {
        assert_eq!(users(0), "No users");
        assert_eq!(users(1), "1 user");
        assert_eq!(users(12), "12 users");
        assert_eq!(result_words(&sync(0, None, 3)), "Succeeded");
        assert_eq!(
            result_words(&sync(0, Some("throttled"), 0)),
            "Failed: Throttled."
        );
    }
}
