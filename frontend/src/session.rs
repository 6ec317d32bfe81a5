//! Who is signed in, shared through the component tree, and what happens when the server says
//! that session has ended.

use std::{
    cell::{Cell, RefCell},
    rc::Rc,
    time::Duration,
};

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

/// The session a 401 ends, and how to show the sign-in page's address.
type Watched = Option<(Session, Rc<dyn Fn()>)>;

// The API calls are plain functions, not components, so they cannot reach the context: the app
// registers its session here once. The web app runs on one thread.
thread_local! {
    static WATCHED: RefCell<Watched> = const { RefCell::new(None) };
    static ENDED: Cell<bool> = const { Cell::new(false) };
}

/// Makes `session` the one a 401 ends; `to_sign_in` then shows the sign-in page's address.
pub fn watch_for_end(session: Session, to_sign_in: impl Fn() + 'static) {
    WATCHED.with(|watched| *watched.borrow_mut() = Some((session, Rc::new(to_sign_in))));
}

/// The server answered 401. With someone signed in, their session ended meanwhile (deactivated,
/// signed out on another device, expired): the app forgets it and shows the sign-in page, which
/// says why. With nobody signed in, the 401 answers the sign-in page's own call (a wrong
/// password, say), which that page explains itself.
pub fn ended_by_server() {
    // After the failed call's caller has dealt with it: the page it works for is about to go,
    // and reading that page's signals once it went would panic.
    set_timeout(end_now, Duration::ZERO);
}

fn end_now() {
    let Some((session, to_sign_in)) = WATCHED.with(|watched| watched.borrow().clone()) else {
        return;
    };
    let signed_in = session
        .0
        .try_with_untracked(|state| matches!(state, Some(Some(_))))
        .unwrap_or(false);
    if !signed_in {
        return;
    }
    // Set before the sign-in page is built, which reads it.
    ENDED.set(true);
    session.0.try_set(Some(None));
    to_sign_in();
}

/// Whether the sign-in page shows because the server ended the session; true once.
pub fn take_ended() -> bool {
    ENDED.replace(false)
}
