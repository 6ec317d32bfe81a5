//! Who is signed in, shared through the component tree.

use leptos::prelude::*;
use proto::Me;

/// `None` while the app has not yet asked the server; `Some(None)` when nobody is signed in.
#[derive(Clone, Copy)]
pub struct Session(pub RwSignal<Option<Option<Me>>>);

impl Session {
    pub fn signed_in(&self) -> Option<Me> {
        self.0.get().flatten()
    }

    pub fn set(&self, me: Option<Me>) {
        self.0.set(Some(me));
    }

    /// Records a setting the user just saved, so every page sees it without asking the server.
    pub fn update_signed_in(&self, change: impl FnOnce(&mut Me)) {
        self.0.update(|state| {
            if let Some(Some(me)) = state {
                change(me);
            }
        });
    }
}

pub fn use_session() -> Session {
    use_context::<Session>().unwrap_or_else(|| Session(RwSignal::new(Some(None))))
}
